package io.herald.transport;

import io.herald.hub.Connection;
import io.herald.hub.Hub;
import io.herald.hub.HubException;
import io.herald.hub.Message;
import io.herald.hub.Recovery;
import io.herald.protocol.RecoveryRequest;
import io.herald.hub.Session;
import io.herald.hub.UserId;
import io.herald.metrics.Metrics;
import io.herald.protocol.ClientMessage;
import io.herald.protocol.CloseCode;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ProtocolException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection after the upgrade: reads client frames and answers them, and is the
 * hub's {@link Connection} for writing. Outbound frames are pre-encoded buffers from the loop's
 * {@link LoopWriter}, flushed once per loop iteration.
 */
final class WsFrameHandler extends ChannelInboundHandlerAdapter implements Connection {
  private static final Logger log = LoggerFactory.getLogger(WsFrameHandler.class);

  private final Channel channel;
  private final Hub hub;
  private final LoopWriter writer;
  private final WsSettings settings;
  private final Metrics metrics;
  private final Clock clock;

  // Only accessed on this channel's event loop.
  private Session session;
  /**
   * Where pre-encoded frames enter the pipeline: the WebSocket encoder's context, so they go
   * straight to the socket without walking (or being offered to) any handler. Control frames
   * (ping, pong, close) still go through {@code channel.write} and the encoder.
   */
  private ChannelOutboundInvoker out;
  /**
   * Fan-out writes and flushes go to the channel's {@code Unsafe} directly: on the channel's own
   * event loop that is exactly what the pipeline's head does, minus the per-call checks and the
   * context walk. Measured: about 15% more deliveries per server CPU-second (BENCHMARKS.md).
   * Null when TLS is on: the {@code SslHandler} must see every byte, so writes go through
   * {@link #out}.
   */
  private Channel.Unsafe direct;
  private TokenBucket messages;
  private TokenBucket broadcasts;
  private long lastReadNanos;
  private long lastPingNanos;
  private int strikes;
  private boolean closing;
  private int closeCode = -1;
  boolean dirty;

  WsFrameHandler(Channel channel, Hub hub, LoopWriter writer, WsSettings settings, Metrics metrics, Clock clock) {
    this.channel = channel;
    this.hub = hub;
    this.writer = writer;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.lastReadNanos = System.nanoTime();
    this.lastPingNanos = lastReadNanos;
  }

  /** Joins the hub, greets the client and, when asked, recovers its streams; on the event loop. */
  void open(Session s, RecoveryRequest recovery) {
    this.session = s;
    ChannelHandlerContext encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
    this.out = encoder != null ? encoder : channel.pipeline().firstContext();
    this.direct = channel.pipeline().get(SslHandler.class) == null ? channel.unsafe() : null;
    this.messages = new TokenBucket(settings.messagesPerSecond(), settings.messageBurst(), lastReadNanos);
    hub.join(s);
    metrics.connectionOpened();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("user_id", s.userId());
    data.put("connection_id", s.id());
    data.put("heartbeat_interval", settings.heartbeatIntervalSeconds());
    send(Message.of("connected", data));
    if (recovery.asked()) {
      hub.recover(s, recovery.user(), recovery.all()).thenAccept(outcomes -> send(RecoveryFrames.recovery(outcomes)));
    }
  }

  // ---- Connection (hub side) ----

  @Override
  public boolean send(Message message) {
    if (closing) {
      return false;
    }
    if (!channel.isWritable()) {
      metrics.slowConsumer();
      log.info("closing slow connection {} of user {}: more than {} bytes queued",
          session == null ? "-" : session.id(), session == null ? "-" : session.userId(), settings.maxPendingBytes());
      close(CloseCode.POLICY, "too slow: outbound queue full");
      // Out of presence and routing at once, not when the stalled socket finally closes (up to
      // the close grace later). Deferred: this runs inside the hub's fan-out over a subscriber set.
      Session s = session;
      if (s != null) {
        channel.eventLoop().execute(() -> hub.leave(s));
      }
      return false;
    }
    if (direct != null) {
      direct.write(writer.frameFor(message), channel.voidPromise());
    } else {
      out.write(writer.frameFor(message), channel.voidPromise());
    }
    writer.markDirty(this);
    return true;
  }

  @Override
  public void close(CloseCode code) {
    close(code, code.reason());
  }

  void close(CloseCode code, String reason) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> close(code, reason));
      return;
    }
    if (closing) {
      return;
    }
    closing = true;
    closeCode = code.code();
    channel.writeAndFlush(new CloseWebSocketFrame(code.code(), reason)).addListener(ChannelFutureListener.CLOSE);
    channel.eventLoop().schedule(() -> {
      channel.close();
    }, settings.closeGraceMillis(), TimeUnit.MILLISECONDS);
  }

  void flush() {
    if (direct != null) {
      direct.flush();
    } else {
      out.flush();
    }
  }

  /** Heartbeat sweep: ping when due, close with 4003 when silent too long. */
  void tick(long now) {
    if (closing) {
      return;
    }
    if (now - lastReadNanos > settings.heartbeatTimeoutNanos()) {
      log.debug("heartbeat timeout for connection {} of user {}", session.id(), session.userId());
      metrics.heartbeatTimeout();
      close(CloseCode.HEARTBEAT_TIMEOUT);
    } else if (now - lastPingNanos >= settings.heartbeatIntervalNanos()) {
      lastPingNanos = now;
      out.write(writer.pingFrame(), channel.voidPromise());
      writer.markDirty(this);
    }
  }

  // ---- inbound ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!(msg instanceof WebSocketFrame frame) || session == null || closing) {
        return;
      }
      lastReadNanos = System.nanoTime();
      if (frame instanceof TextWebSocketFrame text) {
        onText(text.text());
      } else if (frame instanceof PingWebSocketFrame ping) {
        channel.write(new PongWebSocketFrame(ping.content().retain()), channel.voidPromise());
        writer.markDirty(this);
      } else if (frame instanceof CloseWebSocketFrame close) {
        closing = true;
        int status = close.statusCode() < 0 ? CloseCode.NORMAL.code() : close.statusCode();
        closeCode = close.statusCode() < 0 ? 1005 : close.statusCode();
        channel.writeAndFlush(new CloseWebSocketFrame(status, "")).addListener(ChannelFutureListener.CLOSE);
      } else if (frame instanceof BinaryWebSocketFrame) {
        replyError(ErrorCode.UNSUPPORTED_FRAME, "binary frames are not supported: send JSON text frames");
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onText(String text) {
    long now = lastReadNanos;
    if (!messages.tryTake(now)) {
      metrics.rateLimited();
      if (++strikes > settings.messageBurst()) {
        close(CloseCode.POLICY, "rate limit exceeded");
      } else {
        replyError(ErrorCode.RATE_LIMITED, "too many messages: at most " + settings.messagesPerSecond()
            + " per second; this one was dropped");
      }
      return;
    }
    strikes = 0;
    ClientMessage m;
    try {
      m = ClientMessage.parse(text);
      metrics.frameIn(m.type());
      dispatch(m);
    } catch (ProtocolException e) {
      replyError(e.code(), e.getMessage());
    } catch (HubException e) {
      replyError(e.code(), e.getMessage());
    }
  }

  private void dispatch(ClientMessage m) {
    switch (m.type()) {
      case "ping" -> send(writer.timestamped("pong", clock.instant().getEpochSecond()));
      case "heartbeat" -> send(writer.timestamped("heartbeat_ack", clock.instant().getEpochSecond()));
      case "chat" -> {
        UserId to = UserId.fromJson(m.require("to_user_id")).orElseThrow(() -> new ProtocolException(
            ErrorCode.INVALID_FIELD, "data.to_user_id must be a non-negative integer or a non-empty string"));
        String content = m.requireText("content");
        whenFailed(hub.chat(session, to, content));
      }
      case "broadcast" -> {
        String message = m.requireText("message");
        if (broadcasts == null) {
          broadcasts = new TokenBucket(settings.broadcastsPerMinute() / 60.0, settings.broadcastsPerMinute(),
              lastReadNanos);
        }
        if (!broadcasts.tryTake(lastReadNanos)) {
          metrics.rateLimited();
          throw new HubException(ErrorCode.RATE_LIMITED,
              "too many broadcasts: at most " + settings.broadcastsPerMinute() + " per minute");
        }
        whenFailed(hub.broadcastFrom(session, message));
      }
      case "subscribe" -> {
        String channelName = m.requireChannel();
        CompletionStage<Recovery.Outcome> subscribed;
        try {
          RecoveryRequest.Recover recover = RecoveryRequest.fromSubscribe(m.data());
          subscribed = recover == null
              ? hub.subscribe(session, channelName).thenApply(v -> null)
              : hub.subscribe(session, channelName, recover.from());
        } catch (HubException e) {
          replyError(e.code(), e.getMessage(), channelName);
          return;
        } catch (ProtocolException e) {
          replyError(e.code(), e.getMessage(), channelName);
          return;
        }
        subscribed.whenComplete((outcome, err) -> onLoop(() -> {
          if (err == null) {
            if (outcome != null) {
              send(RecoveryFrames.channel(channelName, outcome));
            }
            reply("subscribed", Map.of("channel", channelName));
          } else {
            replyFailure(err, channelName);
          }
        }));
      }
      case "unsubscribe" -> {
        String channelName = m.requireChannel();
        hub.unsubscribe(session, channelName);
        reply("unsubscribed", Map.of("channel", channelName));
      }
      default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown message type: "
          + (m.type().length() > 64 ? m.type().substring(0, 64) + "…" : m.type()));
    }
  }

  private void whenFailed(CompletionStage<?> stage) {
    stage.whenComplete((v, err) -> {
      if (err != null) {
        onLoop(() -> replyFailure(err, null));
      }
    });
  }

  private void replyFailure(Throwable err, String channel) {
    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
        ? err.getCause() : err;
    if (cause instanceof HubException h) {
      replyError(h.code(), h.getMessage(), channel);
    } else {
      log.warn("request of connection {} failed: {}", session.id(), cause.toString());
      replyError(ErrorCode.UNAVAILABLE, "the message could not be delivered: the cluster broker is unavailable", channel);
    }
  }

  private void onLoop(Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
    } else {
      channel.eventLoop().execute(task);
    }
  }


  private void reply(String type, Object data) {
    send(Message.of(type, data));
  }

  private void replyError(ErrorCode code, String message) {
    replyError(code, message, null);
  }

  /** An error frame; {@code channel}, when given, names the channel a refused subscribe was for. */
  private void replyError(ErrorCode code, String message, String channel) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("code", code.wire());
    data.put("message", message);
    if (channel != null) {
      data.put("channel", channel);
    }
    reply("error", data);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    if (session != null) {
      hub.leave(session);
      metrics.connectionClosed(closeCode < 0 ? 1006 : closeCode);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
      if (session == null) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException
        || (cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
            && c.closeStatus().code() == CloseCode.TOO_BIG.code())) {
      close(CloseCode.TOO_BIG, "frame too big: at most " + settings.maxFrameBytes() + " bytes");
      return;
    }
    if (cause instanceof CorruptedWebSocketFrameException) {
      log.debug("protocol violation on connection {}: {}", session == null ? "-" : session.id(), cause.getMessage());
    } else if (cause instanceof IOException) {
      log.debug("I/O error on connection {}: {}", session == null ? "-" : session.id(), cause.getMessage());
    } else {
      log.warn("unexpected error on connection {}", session == null ? "-" : session.id(), cause);
    }
    ctx.close();
  }
}
