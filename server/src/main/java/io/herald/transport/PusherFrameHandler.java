package io.herald.transport;

import io.herald.hub.Connection;
import io.herald.hub.Message;
import io.herald.metrics.Metrics;
import io.herald.protocol.CloseCode;
import io.herald.pusher.PusherFormat;
import io.herald.pusher.PusherFrames;
import io.herald.pusher.PusherSession;
import io.herald.pusher.PusherWire;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty stage of one Pusher-protocol connection: hands text frames to its
 * {@link PusherSession} and writes what the session and the hub send, pre-encoded and flushed
 * once per loop iteration by the loop's {@link LoopWriter}, like Herald's own connections.
 */
final class PusherFrameHandler extends LoopConnection implements Connection, PusherWire {
  private static final Logger log = LoggerFactory.getLogger(PusherFrameHandler.class);

  private final Channel channel;
  private final LoopWriter writer;
  private final WsSettings settings;
  private final Metrics metrics;
  private PusherSession session;
  private ChannelOutboundInvoker out;
  // Only accessed on this channel's event loop.
  private boolean closing;

  PusherFrameHandler(Channel channel, LoopWriter writer, WsSettings settings, Metrics metrics) {
    this.channel = channel;
    this.writer = writer;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Called once the handler is in the pipeline, before anything is written. */
  void attach() {
    ChannelHandlerContext encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
    this.out = encoder != null ? encoder : channel.pipeline().firstContext();
  }

  void open(PusherSession s) {
    this.session = s;
    s.open(writer.lane(), this);
  }

  /** Refuses the connection: a pusher:error (for old clients), then the close code. */
  void refuse(int code, String message) {
    write(PusherFrames.error(code, message));
    close(code, message);
  }

  // ---- PusherWire (session side) ----

  @Override
  public void write(byte[] json) {
    if (!closing) {
      out.write(writer.frameFor(json), channel.voidPromise());
      writer.markDirty(this);
    }
  }

  @Override
  public boolean write(Message m) {
    if (closing) {
      return false;
    }
    if (!channel.isWritable()) {
      metrics.slowConsumer();
      log.info("closing slow Pusher connection {}: more than {} bytes queued", session.socketId(), settings.maxPendingBytes());
      close(CloseCode.POLICY);
      channel.eventLoop().execute(session::closed);
      return false;
    }
    out.write(writer.frameFor(m, PusherFormat.INSTANCE), channel.voidPromise());
    writer.markDirty(this);
    return true;
  }

  @Override
  public void close(int code, String reason) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> close(code, reason));
      return;
    }
    if (closing) {
      return;
    }
    closing = true;
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    channel.eventLoop().schedule(() -> {
      channel.close();
    }, settings.closeGraceMillis(), TimeUnit.MILLISECONDS);
  }

  // ---- Connection (hub side) ----

  @Override
  public boolean send(Message message) {
    return session.send(message);
  }

  @Override
  public void close(CloseCode code) {
    session.close(code);
  }

  @Override
  void flush() {
    out.flush();
  }

  @Override
  void tick(long now) {
    if (!closing) {
      session.tick(now);
    }
  }

  // ---- inbound ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!(msg instanceof WebSocketFrame frame) || session == null || closing) {
        return;
      }
      if (frame instanceof TextWebSocketFrame text) {
        session.onText(text.text());
      } else if (frame instanceof PingWebSocketFrame ping) {
        channel.write(new PongWebSocketFrame(ping.content().retain()), channel.voidPromise());
        writer.markDirty(this);
      } else if (frame instanceof CloseWebSocketFrame close) {
        closing = true;
        int status = close.statusCode() < 0 ? CloseCode.NORMAL.code() : close.statusCode();
        channel.writeAndFlush(new CloseWebSocketFrame(status, "")).addListener(ChannelFutureListener.CLOSE);
      } else if (frame instanceof BinaryWebSocketFrame) {
        write(PusherFrames.error(null, "binary frames are not supported: send JSON text frames"));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    if (session != null) {
      session.closed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException
        || (cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
            && c.closeStatus().code() == CloseCode.TOO_BIG.code())) {
      close(CloseCode.TOO_BIG.code(), "frame too big: at most " + settings.maxFrameBytes() + " bytes");
      return;
    }
    if (cause instanceof IOException || cause instanceof CorruptedWebSocketFrameException) {
      log.debug("Pusher connection {} failed: {}", session == null ? "-" : session.socketId(), cause.getMessage());
    } else {
      log.warn("unexpected error on Pusher connection {}", session == null ? "-" : session.socketId(), cause);
    }
    ctx.close();
  }
}
