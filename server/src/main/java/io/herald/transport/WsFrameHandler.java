package io.herald.transport;

import io.herald.auth.Principal;
import io.herald.hub.Hub;
import io.herald.hub.Session;
import io.herald.metrics.Metrics;
import io.herald.protocol.CloseCode;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ServerFrames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty stage of one Herald-protocol WebSocket connection: reads client frames and hands them
 * on. Text frames pass the {@link RateLimiter} and go to the {@link CommandDispatcher}; WebSocket
 * pings, closes and errors are answered here; the {@link NettySession} is what the hub writes to,
 * and the {@link Heartbeat} watches the connection for life.
 */
final class WsFrameHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(WsFrameHandler.class);

  private final Channel channel;
  private final LoopWriter writer;
  private final HeartbeatSweep sweep;
  private final WsSettings settings;
  private final Metrics metrics;
  private final NettySession connection;
  private final RateLimiter limiter;
  private final Heartbeat heartbeat;
  private final CommandDispatcher dispatcher;
  private boolean open;

  WsFrameHandler(Channel channel, Hub hub, LoopWriter writer, HeartbeatSweep sweep, WsSettings settings,
                 Metrics metrics, Clock clock) {
    long now = System.nanoTime();
    this.channel = channel;
    this.writer = writer;
    this.sweep = sweep;
    this.settings = settings;
    this.metrics = metrics;
    this.connection = new NettySession(channel, hub, writer, settings, metrics);
    this.limiter = new RateLimiter(settings, now);
    this.heartbeat = new Heartbeat(connection, writer, settings, metrics, now);
    this.dispatcher = new CommandDispatcher(connection, hub, writer, limiter, settings, metrics, clock);
  }

  /** Joins the hub as {@code principal} and greets the client; on the event loop, after the upgrade. */
  void open(String connectionId, Principal principal) {
    Session s = new Session(connectionId, principal.userId(), principal, writer.lane(), connection);
    open = true;
    connection.open(s, ServerFrames.connected(s.userId(), s.id(), settings.heartbeatIntervalSeconds()));
    sweep.add(heartbeat);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof WebSocketFrame f && !f.isFinalFragment() && open && !connection.closing()
        && !ConnectionPipeline.joinsFragments(ctx.pipeline())) {
      ConnectionPipeline.fragmented(ctx.pipeline(), settings, msg);
      return;
    }
    try {
      if (!(msg instanceof WebSocketFrame frame) || !open || connection.closing()) {
        return;
      }
      long now = System.nanoTime();
      heartbeat.read(now);
      if (frame instanceof TextWebSocketFrame text) {
        onText(text.text(), now);
      } else if (frame instanceof PingWebSocketFrame ping) {
        connection.sink().writeFrame(new PongWebSocketFrame(ping.content().retain()));
      } else if (frame instanceof CloseWebSocketFrame close) {
        connection.closedByClient(close.statusCode());
      } else if (frame instanceof BinaryWebSocketFrame) {
        dispatcher.replyError(ErrorCode.UNSUPPORTED_FRAME, "binary frames are not supported: send JSON text frames", null);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onText(String text, long now) {
    switch (limiter.message(now)) {
      case ACCEPT -> dispatcher.onText(text, now);
      case DROP -> {
        metrics.rateLimited();
        dispatcher.replyError(ErrorCode.RATE_LIMITED, "too many messages: at most " + settings.messagesPerSecond()
            + " per second; this one was dropped", null);
      }
      case CLOSE -> {
        metrics.rateLimited();
        connection.close(CloseCode.POLICY, "rate limit exceeded");
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    sweep.remove(heartbeat);
    connection.closed();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (!open) {
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
      connection.close(CloseCode.TOO_BIG, "frame too big: at most " + settings.maxFrameBytes() + " bytes");
      return;
    }
    if (cause instanceof CorruptedWebSocketFrameException) {
      log.debug("protocol violation on {}: {}", connection, cause.getMessage());
    } else if (cause instanceof IOException) {
      log.debug("I/O error on {}: {}", connection, cause.getMessage());
    } else {
      log.warn("unexpected error on {}", connection, cause);
    }
    ctx.close();
  }
}
