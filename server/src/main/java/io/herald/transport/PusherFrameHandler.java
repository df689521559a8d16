package io.herald.transport;

import io.herald.hub.Connection;
import io.herald.hub.Hub;
import io.herald.hub.Session;
import io.herald.metrics.Metrics;
import io.herald.protocol.CloseCode;
import io.herald.protocol.Message;
import io.herald.pusher.CloseCodes;
import io.herald.pusher.PusherFormat;
import io.herald.pusher.PusherFrames;
import io.herald.pusher.PusherSession;
import io.herald.pusher.PusherWire;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty stage of one Pusher-protocol connection: hands text frames to its
 * {@link PusherSession} and answers WebSocket pings and closes. Writing and closing go through a
 * {@link NettySession} whose messages leave in the {@link PusherFormat} (encoded once per message,
 * framed once per loop, flushed once per iteration) and whose close reasons become Pusher codes
 * ({@link CloseCodes#of}). It is also what the hub holds for the socket: hub messages pass the
 * Pusher session first (which turns a terminate signal into a close).
 */
final class PusherFrameHandler extends ChannelInboundHandlerAdapter
    implements Connection, PusherWire, HeartbeatSweep.Member {
  private static final Logger log = LoggerFactory.getLogger(PusherFrameHandler.class);

  private final HeartbeatSweep sweep;
  private final WsSettings settings;
  private final NettySession connection;
  private final RateLimiter limiter;
  private final Metrics metrics;
  private final io.herald.hub.Lane lane;
  private PusherSession session;
  private int sweepSlot = -1;

  PusherFrameHandler(Channel channel, Hub hub, LoopWriter writer, HeartbeatSweep sweep, WsSettings settings,
                     Metrics metrics) {
    this.sweep = sweep;
    this.settings = settings;
    this.lane = writer.lane();
    this.metrics = metrics;
    this.limiter = new RateLimiter(settings, System.nanoTime());
    this.connection = new NettySession(channel, hub, writer, settings, metrics, PusherFormat.INSTANCE, CloseCodes::of);
  }

  /** Refuses the socket right after the upgrade: a pusher:error (for old clients), then the close code. */
  void refuse(int code, String message) {
    connection.attach();
    connection.reply(PusherFrames.error(code, message));
    connection.close(code, message);
  }

  void open(PusherSession s) {
    this.session = s;
    connection.attach();
    s.open(lane, this);
    sweep.add(this);
  }

  // ---- PusherWire: the session writes ----

  @Override
  public void join(Session s) {
    connection.open(s);
  }

  @Override
  public void write(byte[] json) {
    connection.reply(json);
  }

  @Override
  public boolean write(Message m) {
    return connection.send(m);
  }

  @Override
  public void close(int code, String reason) {
    connection.close(code, reason);
  }

  // ---- Connection: what the hub holds ----

  @Override
  public boolean send(Message message) {
    return session.send(message);
  }

  @Override
  public void close(CloseCode code) {
    session.close(code);
  }

  @Override
  public int sweepSlot() {
    return sweepSlot;
  }

  @Override
  public void sweepSlot(int slot) {
    sweepSlot = slot;
  }

  @Override
  public void tick(long now) {
    if (!connection.closing()) {
      session.tick(now);
    }
  }

  // ---- inbound ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!(msg instanceof WebSocketFrame frame) || session == null || connection.closing()) {
        return;
      }
      if (frame instanceof TextWebSocketFrame text) {
        if (WireFrames.isUtf8(text.content())) {
          onText(text.text());
        } else {
          connection.closeInvalidText();
        }
      } else if (frame instanceof PingWebSocketFrame ping) {
        session.onActivity();
        connection.pong(ping.content());
      } else if (frame instanceof CloseWebSocketFrame close) {
        connection.closedByClient(close.statusCode());
      } else if (frame instanceof BinaryWebSocketFrame) {
        connection.reply(PusherFrames.error(null, "binary frames are not supported: send JSON text frames"));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Every frame counts against {@code limits.messages_per_second}, as on Herald's own endpoint. */
  private void onText(String text) {
    switch (limiter.message(System.nanoTime())) {
      case ACCEPT -> session.onText(text);
      case DROP -> {
        metrics.rateLimited();
        connection.reply(PusherFrames.error(null, "too many messages: at most " + settings.messagesPerSecond()
            + " per second; this one was dropped"));
      }
      case CLOSE -> {
        metrics.rateLimited();
        connection.close(CloseCodes.OVER_CAPACITY, "rate limit exceeded");
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    sweep.remove(this);
    if (session != null) {
      session.closed();
    }
    connection.closed();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (connection.closeOnViolation(cause)) {
      return;
    }
    String id = session == null ? "-" : session.socketId();
    if (cause instanceof IOException) {
      log.debug("Pusher connection {} failed: {}", id, cause.getMessage());
    } else {
      log.warn("unexpected error on Pusher connection {}", id, cause);
    }
    ctx.close();
  }
}
