package io.herald.transport;

import io.herald.admin.AdminApi;
import io.herald.admin.ApiError;
import io.herald.admin.Inspector;
import io.herald.hub.UserId;
import io.herald.protocol.ChannelName;
import io.herald.protocol.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/websocket/inspect?user_id=…|channel=…}: the message inspector as a stream of
 * Server-Sent Events (docs/admin-api.md). The connection's event loop drains the watcher every
 * {@link #DRAIN_MILLIS} and writes what it found as one chunk; while the socket is not writable it
 * writes nothing, so the watcher's bounded queue fills and further events are dropped and counted.
 */
final class InspectStream {
  static final String PATH = AdminApi.PREFIX + "inspect";
  static final long DRAIN_MILLIS = 100;
  static final long KEEPALIVE_MILLIS = 15_000;
  private static final Logger access = LoggerFactory.getLogger("io.herald.access");

  private final ChannelHandlerContext ctx;
  private final Inspector.Watch watch;
  // only accessed on the connection's event loop
  private long reportedDropped;
  private long lastWriteNanos = System.nanoTime();

  private InspectStream(ChannelHandlerContext ctx, Inspector.Watch watch) {
    this.ctx = ctx;
    this.watch = watch;
  }

  static void open(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, TransportContext context) {
    Inspector.Watch watch;
    try {
      // The key first, as for every admin path (SPEC §3): 405 only to a caller who has it.
      if (!context.admin().authorized(req.headers().get(HttpHeaderNames.AUTHORIZATION), req.headers().get("X-API-Key"))) {
        throw new ApiError(401, "unauthorized: send the API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
      }
      if (req.method() != HttpMethod.GET) {
        throw ApiError.methodNotAllowed("GET", req.method() + " is not allowed on " + PATH + "; use GET");
      }
      watch = context.inspector().watch(target(uri));
    } catch (ApiError e) {
      AdminApi.Response r = context.admin().failure(e, PATH);
      access.info("admin endpoint=inspect method={} status={} remote={}", req.method(), r.status(),
          ctx.channel().remoteAddress());
      HttpResponses.send(ctx, HttpUtil.isKeepAlive(req), r.status(), r.body(), "application/json; charset=utf-8", r.allow());
      return;
    }
    access.info("admin endpoint=inspect method=GET status=200 remote={} target=\"{}\"",
        ctx.channel().remoteAddress(), watch.target());
    new InspectStream(ctx, watch).start();
  }

  private static Inspector.Target target(QueryStringDecoder uri) {
    List<String> users = uri.parameters().get("user_id");
    List<String> channels = uri.parameters().get("channel");
    if ((users == null) == (channels == null)) {
      throw new ApiError(422, "give exactly one of user_id and channel");
    }
    if (channels != null) {
      String c = channels.get(0);
      if (!ChannelName.isValid(c)) {
        throw new ApiError(422, "channel must match " + ChannelName.RULE);
      }
      return new Inspector.Target(true, c);
    }
    UserId id = UserId.parse(users.get(0)).orElseThrow(() -> new ApiError(422,
        "user_id must be a non-negative integer or a non-empty string of at most " + UserId.MAX_LENGTH + " characters"));
    return new Inspector.Target(false, id.value());
  }

  private void start() {
    if (ctx.pipeline().get("idle") != null) {
      ctx.pipeline().remove("idle"); // the handshake timeout: this response is meant to stay open
    }
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    response.headers().set("X-Content-Type-Options", "nosniff");
    response.headers().set("X-Accel-Buffering", "no"); // nginx: pass events on as they come
    HttpUtil.setTransferEncodingChunked(response, true);
    ctx.write(response);
    Map<String, Object> hello = new LinkedHashMap<>();
    hello.put(watch.target().channel() ? "channel" : "user_id", watch.target().id());
    hello.put("events_per_second", watch.perSecond());
    write("event: hello\ndata: " + json(hello) + "\n\n");
    ScheduledFuture<?> pump = ctx.executor().scheduleAtFixedRate(this::pump, DRAIN_MILLIS, DRAIN_MILLIS,
        TimeUnit.MILLISECONDS);
    ctx.channel().closeFuture().addListener(f -> {
      pump.cancel(false);
      watch.close();
    });
  }

  private void pump() {
    if (!ctx.channel().isActive() || !ctx.channel().isWritable()) {
      return;
    }
    StringBuilder out = new StringBuilder();
    for (Map<String, Object> event : watch.drain()) {
      out.append("event: message\ndata: ").append(json(event)).append("\n\n");
    }
    long dropped = watch.dropped();
    if (dropped != reportedDropped) {
      reportedDropped = dropped;
      out.append("event: dropped\ndata: {\"dropped\":").append(dropped).append("}\n\n");
    }
    if (out.length() == 0 && System.nanoTime() - lastWriteNanos > TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_MILLIS)) {
      out.append(": keepalive\n\n");
    }
    if (out.length() > 0) {
      write(out.toString());
    }
  }

  private void write(String text) {
    lastWriteNanos = System.nanoTime();
    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8))),
        ctx.voidPromise());
  }

  private static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize an inspector event", e);
    }
  }
}
