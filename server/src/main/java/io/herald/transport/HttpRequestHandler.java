package io.herald.transport;

import io.herald.admin.AdminApi;
import io.herald.auth.AuthException;
import io.herald.auth.Principal;
import io.herald.hub.Session;
import io.herald.protocol.CloseCode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.herald.protocol.RecoveryRequest;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes HTTP requests before any upgrade: {@code /ws} (the WebSocket upgrade), the admin API,
 * {@code /health}, {@code /ready}, {@code /metrics} and the bundled pages. Stateless and shared.
 */
@ChannelHandler.Sharable
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String WS_PATH = "/ws";
  private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);
  private static final String JSON = "application/json; charset=utf-8";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TransportContext context;
  private final boolean servesWebSocket;
  private final boolean servesAdmin;

  HttpRequestHandler(TransportContext context, boolean servesWebSocket, boolean servesAdmin) {
    this.context = context;
    this.servesWebSocket = servesWebSocket;
    this.servesAdmin = servesAdmin;
  }

  private static WebSocketDecoderConfig decoderConfig(WsSettings settings) {
    return WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(settings.maxFrameBytes())
        .allowExtensions(false)
        .closeOnProtocolViolation(true)
        .withUTF8Validator(true)
        .build();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (!req.decoderResult().isSuccess()) {
      HttpResponses.envelope(ctx, false, 400, "malformed HTTP request", null);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path = uri.path();
    if (servesWebSocket && path.equals(WS_PATH)) {
      if (req.method() == HttpMethod.GET && req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
        upgrade(ctx, req, uri);
      } else {
        HttpResponses.envelope(ctx, keepAlive, 400, "a WebSocket upgrade is expected on " + WS_PATH, null);
      }
      return;
    }
    if (path.equals("/admin") || path.startsWith("/admin/")) {
      if (servesAdmin) {
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

  private static byte[] index() {
    return ("<!doctype html><meta charset=utf-8><title>Herald</title>"
        + "<h1>Herald</h1><ul><li><a href=/demo>Demo</a></li><li><a href=/dashboard>Dashboard</a></li>"
        + "<li><a href=/health>Health</a></li><li><a href=/metrics>Metrics</a></li></ul>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void admin(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, boolean keepAlive) {
    byte[] body = ByteBufUtil.getBytes(req.content());
    String remote = String.valueOf(ctx.channel().remoteAddress());
    AdminApi.Request request = new AdminApi.Request(req.method().name(), uri.path(),
        req.headers().get(HttpHeaderNames.AUTHORIZATION), req.headers().get("X-API-Key"), body, remote,
        uri.parameters(), req.headers().get("Idempotency-Key"));
    context.admin().handle(request).whenComplete((response, err) -> ctx.executor().execute(() ->
        HttpResponses.send(ctx, keepAlive, response.status(), response.body(), JSON, response.allow())));
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
    String userId = first(uri, "user_id");
    String token = first(uri, "token");
    if (token == null) {
      String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
      if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        token = auth.substring(7).trim();
      }
    }
    CompletionStage<Principal> auth = context.authenticator().get().authenticate(userId, token);
    RecoveryRequest recovery = RecoveryRequest.fromQuery(name -> first(uri, name));
    WsSettings settings = context.settings();
    String scheme = ctx.pipeline().get("tls") == null ? "ws://" : "wss://";
    String location = scheme + req.headers().get(HttpHeaderNames.HOST, "localhost") + WS_PATH;
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(location, null, decoderConfig(settings)).newHandshaker(req);
    Channel channel = ctx.channel();
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
      return;
    }
    boolean pending = !auth.toCompletableFuture().isDone();
    if (pending) {
      channel.config().setAutoRead(false);
    }
    LoopWriter writer = context.writers().get(channel.eventLoop());
    WsFrameHandler handler = new WsFrameHandler(channel, context.hub(), writer, settings,
        context.metrics(), context.clock());
    ChannelPipeline pipeline = ctx.pipeline();
    handshaker.handshake(channel, req).addListener(f -> {
      if (!f.isSuccess()) {
        channel.close();
        return;
      }
      pipeline.remove(this);
      pipeline.addLast("utf8", new Utf8FrameValidator(true));
      pipeline.addLast("fragments", new WebSocketFrameAggregator(settings.maxFrameBytes()));
      pipeline.addLast("ws", handler);
      auth.whenComplete((principal, err) -> channel.eventLoop().execute(() -> {
        if (err == null) {
          open(channel, handler, writer, principal, recovery);
        } else {
          reject(channel, err);
        }
        if (pending) {
          channel.config().setAutoRead(true);
        }
      }));
    });
  }

  private void open(Channel channel, WsFrameHandler handler, LoopWriter writer, Principal principal,
                    RecoveryRequest recovery) {
    if (!channel.isActive()) {
      return;
    }
    if (channel.pipeline().get("idle") != null) {
      channel.pipeline().remove("idle");
    }
    String id = HexFormat.of().formatHex(randomBytes());
    handler.open(new Session(id, principal.userId(), principal, writer.lane(), handler), recovery);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return b;
  }

  private void reject(Channel channel, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    String reason;
    if (cause instanceof AuthException a) {
      context.metrics().authFailure(a.reason().label());
      reason = a.getMessage();
      log.info("rejected connection from {}: {}", channel.remoteAddress(), a.reason().label());
    } else {
      context.metrics().authFailure("error");
      reason = "token could not be checked";
      log.warn("token check failed for connection from {}", channel.remoteAddress(), cause);
    }
    String text = "unauthorized: " + reason;
    if (text.length() > 120) {
      text = text.substring(0, 120);
    }
    channel.writeAndFlush(new CloseWebSocketFrame(CloseCode.UNAUTHORIZED.code(), text))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private static String first(QueryStringDecoder uri, String name) {
    List<String> values = uri.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
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
