package io.herald.transport;

import io.herald.auth.Authenticator;
import io.herald.auth.Principal;
import io.herald.hub.Hub;
import io.herald.hub.Session;
import io.herald.metrics.Metrics;
import io.herald.protocol.CloseCode;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import io.herald.protocol.RecoveryRequest;
import io.herald.protocol.ServerFrames;
import io.netty.channel.Channel;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty stage of one Herald-protocol WebSocket connection: reads client frames and hands them
 * on. Text frames pass the {@link RateLimiter} and go to the {@link CommandDispatcher}; WebSocket
 * pings, closes and errors are answered here; the {@link NettySession} is what the hub writes to,
 * and the {@link Heartbeat} watches the connection for life. It is also the listener of the
 * connection's credentials ({@link SessionAuth}).
 */
final class WsFrameHandler extends ChannelInboundHandlerAdapter implements SessionAuth.Listener {
  private static final Logger log = LoggerFactory.getLogger(WsFrameHandler.class);

  private final Hub hub;
  private final LoopWriter writer;
  private final HeartbeatSweep sweep;
  private final WsSettings settings;
  private final Metrics metrics;
  private final NettySession connection;
  private final RateLimiter limiter;
  private final Heartbeat heartbeat;
  private final CommandDispatcher dispatcher;
  private final SessionAuth auth;
  private boolean open;
  /**
   * Frames that arrived before {@link #open} (a client may send at once after the 101, while its
   * token is still being checked); replayed in order on open. Null almost always.
   */
  private ArrayDeque<Object> early;

  WsFrameHandler(Channel channel, Hub hub, LoopWriter writer, HeartbeatSweep sweep, WsSettings settings,
                 Metrics metrics, Clock clock, Supplier<Authenticator> authenticator) {
    long now = System.nanoTime();
    this.hub = hub;
    this.writer = writer;
    this.sweep = sweep;
    this.settings = settings;
    this.metrics = metrics;
    this.connection = new NettySession(channel, hub, writer, settings, metrics);
    this.limiter = new RateLimiter(settings, now);
    this.auth = new SessionAuth(channel.eventLoop(), authenticator, settings.expiryWarning(), clock, this);
    this.heartbeat = new Heartbeat(connection, metrics, auth, now);
    this.dispatcher = new CommandDispatcher(connection, hub, writer, limiter, settings, metrics, clock, auth);
  }

  // What the credentials ask of this connection (SessionAuth.Listener): frames, errors, the 4001
  // close at expiry, and a check by the heartbeat sweep when the warning or the end is due. The
  // stage is the listener itself, which saves an object per connection.

  @Override
  public void send(Message message) {
    connection.send(message);
  }

  @Override
  public void error(ErrorCode code, String message, String channel) {
    dispatcher.replyError(code, message, channel);
  }

  @Override
  public void expired() {
    log.info("closing {}: token expired", connection);
    connection.close(CloseCode.UNAUTHORIZED, "token expired");
  }

  @Override
  public void checkAt(long nanoTime) {
    heartbeat.checkCredentialsAt(nanoTime);
  }

  /**
   * Joins the hub as {@code principal}, greets the client and, when it asked, recovers its user
   * and all-users streams, then handles what the client sent meanwhile; on the event loop, after
   * the upgrade.
   */
  void open(ChannelPipeline pipeline, String connectionId, Principal principal, RecoveryRequest recovery) {
    // The hub asks the credentials which private channels this connection may join.
    Session s = new Session(connectionId, principal.userId(), auth, writer.lane(), connection);
    open = true;
    connection.open(s, ServerFrames.connected(s.userId(), s.id(), settings.heartbeatIntervalSeconds()));
    sweep.add(heartbeat);
    auth.start(principal, System.nanoTime());
    if (recovery.asked()) {
      hub.recover(s, recovery.user(), recovery.all())
          .thenAccept(outcomes -> connection.send(CommandDispatcher.recoveryFrame(outcomes)));
    }
    ArrayDeque<Object> waiting = early;
    early = null;
    while (waiting != null && !waiting.isEmpty()) {
      ConnectionPipeline.refire(pipeline, waiting.poll());
    }
  }

  /** Keeps a frame read before open; past a burst's worth, the rest are dropped as the rate limit would. */
  private void keepForOpen(Object msg) {
    if (early == null) {
      early = new ArrayDeque<>(4);
    }
    if (early.size() < settings.messageBurst()) {
      early.add(msg);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void releaseEarly() {
    while (early != null && !early.isEmpty()) {
      ReferenceCountUtil.release(early.poll());
    }
    early = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!open && msg instanceof WebSocketFrame && ctx.channel().isActive()) {
      keepForOpen(msg);
      return;
    }
    if (msg instanceof WebSocketFrame f && !f.isFinalFragment() && open && !connection.closing()
        && !ConnectionPipeline.joinsFragments(ctx.pipeline())) {
      ConnectionPipeline.fragmented(ctx.pipeline(), settings, msg);
      return;
    }
    try {
      if (!(msg instanceof WebSocketFrame frame) || !open) {
        return;
      }
      if (connection.closing()) {
        if (frame instanceof CloseWebSocketFrame) {
          connection.closedByClient(-1);
        }
        return;
      }
      long now = System.nanoTime();
      heartbeat.read(now);
      if (frame instanceof TextWebSocketFrame text) {
        if (WireFrames.isUtf8(text.content())) {
          onText(ByteBufUtil.getBytes(text.content()), now);
        } else {
          connection.closeInvalidText();
        }
      } else if (frame instanceof PingWebSocketFrame ping) {
        connection.pong(ping.content());
      } else if (frame instanceof CloseWebSocketFrame close) {
        connection.closedByClient(close.statusCode());
      } else if (frame instanceof BinaryWebSocketFrame) {
        dispatcher.replyError(ErrorCode.UNSUPPORTED_FRAME, "binary frames are not supported: send JSON text frames", null);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onText(byte[] utf8, long now) {
    switch (limiter.message(now)) {
      case ACCEPT -> dispatcher.onText(utf8, now);
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
    releaseEarly();
    sweep.remove(heartbeat);
    auth.stop();
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
    if (connection.closeOnViolation(cause)) {
      return;
    }
    if (cause instanceof IOException) {
      log.debug("I/O error on {}: {}", connection, cause.getMessage());
    } else {
      log.warn("unexpected error on {}", connection, cause);
    }
    ctx.close();
  }
}
