package io.herald.transport;

import io.herald.admin.AdminApi;
import io.herald.pusher.PusherApi;
import io.herald.util.Failures;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes HTTP requests before any upgrade: WebSocket upgrades (to a {@link WebSocketEndpoint} by path), the admin API,
 * {@code /health}, {@code /ready}, {@code /metrics} and the bundled pages. Stateless and shared.
 */
@ChannelHandler.Sharable
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);
  private static final String JSON = "application/json; charset=utf-8";

  private final TransportContext context;
  private final boolean servesWebSocket;
  /** Every WebSocket protocol on the main port, by path: the one place an upgrade is routed. */
  private final List<WebSocketEndpoint> webSockets;
  private final boolean servesAdmin;

  HttpRequestHandler(TransportContext context, boolean servesWebSocket, boolean servesAdmin) {
    this.context = context;
    this.webSockets = context.pusher() == null ? List.of(new HeraldEndpoint(context))
        : List.of(new HeraldEndpoint(context), new PusherEndpoint(context, context.pusher()));
    this.servesWebSocket = servesWebSocket;
    this.servesAdmin = servesAdmin;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (!req.decoderResult().isSuccess()) {
      malformed(ctx, req.decoderResult().cause());
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path;
    try {
      path = uri.path();
      uri.parameters();
    } catch (IllegalArgumentException badEscape) {
      HttpResponses.envelope(ctx, false, 400, "malformed URL: a %-escape is not valid", null);
      return;
    }
    WebSocketEndpoint endpoint = servesWebSocket ? webSocketEndpoint(path) : null;
    if (endpoint != null) {
      if (req.method() == HttpMethod.GET && req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
        AccessGuard.Refusal refusal = context.guard().upgrade(ctx.channel(), req.headers());
        if (refusal != null) {
          HttpResponses.envelope(ctx, false, refusal.status(), refusal.message(), null);
        } else {
          endpoint.upgrade(ctx, req, uri);
        }
      } else {
        HttpResponses.envelope(ctx, keepAlive, 400, "a WebSocket upgrade is expected on " + path, null);
      }
      return;
    }
    if (context.pusherApi() != null && servesAdmin && PusherApi.serves(path)) {
      pusherApi(ctx, req, uri, keepAlive);
      return;
    }
    if (path.equals("/admin") || path.startsWith("/admin/")) {
      AccessGuard.Refusal refusal = servesAdmin ? context.guard().admin(ctx.channel(), req.headers()) : null;
      if (refusal != null) {
        HttpResponses.envelope(ctx, keepAlive, refusal.status(), refusal.message(), null);
      } else if (servesAdmin && path.equals(InspectStream.PATH)) {
        InspectStream.open(ctx, req, uri, context);
      } else if (servesAdmin) {
        admin(ctx, req, uri, keepAlive);
      } else {
        HttpResponses.envelope(ctx, keepAlive, 404, "the admin API is served on its own port", null);
      }
      return;
    }
    if (!servesWebSocket) {
      HttpResponses.envelope(ctx, keepAlive, 404, "no such endpoint: " + path, null);
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      HttpResponses.send(ctx, keepAlive, 405, AdminApi.render(405, req.method() + " is not allowed on " + path, null),
          JSON, "GET");
      return;
    }
    switch (path) {
      case "/health" -> HttpResponses.envelope(ctx, keepAlive, 200, "success", context.health().get());
      case "/ready" -> {
        boolean ready = context.ready().get();
        HttpResponses.envelope(ctx, keepAlive, ready ? 200 : 503, ready ? "success" : "not ready",
            java.util.Map.of("ready", ready));
      }
      case "/metrics" -> HttpResponses.send(ctx, keepAlive, 200,
          context.metrics().scrape().getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4; charset=utf-8", null);
      case "/" -> HttpResponses.send(ctx, keepAlive, 200, index(), "text/html; charset=utf-8", null);
      default -> context.pages().find(path).ifPresentOrElse(
          page -> HttpResponses.send(ctx, keepAlive, 200, page.body(), page.contentType(), null),
          () -> HttpResponses.envelope(ctx, keepAlive, 404, "no such endpoint: " + path, null));
    }
  }

  /** The WebSocket protocol served on {@code path}, or null. */
  private WebSocketEndpoint webSocketEndpoint(String path) {
    for (WebSocketEndpoint e : webSockets) {
      if (e.serves(path)) {
        return e;
      }
    }
    return null;
  }

  private static byte[] index() {
    return ("<!doctype html><meta charset=utf-8><title>Herald</title>"
        + "<h1>Herald</h1><ul><li><a href=/demo>Demo</a></li><li><a href=/dashboard>Dashboard</a></li>"
        + "<li><a href=/health>Health</a></li><li><a href=/metrics>Metrics</a></li></ul>")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The Pusher HTTP API ({@code /apps/{id}/…}, possibly behind a prefix), when a Pusher app is configured. */
  private void pusherApi(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, boolean keepAlive) {
    java.util.Map<String, String> query = new java.util.LinkedHashMap<>();
    uri.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
    PusherApi.Request request = new PusherApi.Request(req.method().name(), uri.path(), query,
        ByteBufUtil.getBytes(req.content()));
    context.pusherApi().handle(request).whenComplete((response, err) -> ctx.executor().execute(() ->
        HttpResponses.send(ctx, keepAlive, response.status(), response.body(), JSON, null)));
  }

  /**
   * A request the HTTP decoder could not read. A request line or headers over the decoder's
   * limits (8 KiB, 16 KiB) get 414 / 431 with a message that says what to do, a long token being
   * the usual cause (issue 9, defect 5); anything else 400. The connection closes: the decoder
   * cannot tell where the next request would start.
   */
  private static void malformed(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      HttpResponses.envelope(ctx, false, 414, "request line longer than " + ConnectionPipeline.MAX_INITIAL_LINE
          + " bytes: send a long token in the 'Authorization: Bearer' header, not in the URL", null);
    } else if (cause instanceof TooLongHttpHeaderException) {
      HttpResponses.envelope(ctx, false, 431, "request headers larger than " + ConnectionPipeline.MAX_HEADER_BYTES
          + " bytes", null);
    } else {
      HttpResponses.envelope(ctx, false, 400, "malformed HTTP request", null);
    }
  }

  private void admin(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, boolean keepAlive) {
    String path = uri.path();
    byte[] body = ByteBufUtil.getBytes(req.content());
    String remote = String.valueOf(ctx.channel().remoteAddress());
    AdminApi.Request request = new AdminApi.Request(req.method().name(), path,
        req.headers().get(HttpHeaderNames.AUTHORIZATION), req.headers().get("X-API-Key"), body, remote,
        uri.parameters(), req.headers().get("Idempotency-Key"));
    context.admin().handle(request).whenComplete((response, err) -> ctx.executor().execute(() -> {
      if (err != null) {
        log.error("admin {} failed", path, Failures.cause(err));
        HttpResponses.envelope(ctx, keepAlive, 500, "internal error", null);
      } else {
        HttpResponses.send(ctx, keepAlive, response.status(), response.body(), JSON, response.allow());
      }
    }));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
