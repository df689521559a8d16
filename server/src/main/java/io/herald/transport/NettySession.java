package io.herald.transport;

import io.herald.hub.Connection;
import io.herald.hub.Hub;
import io.herald.hub.Session;
import io.herald.metrics.Metrics;
import io.herald.protocol.CloseCode;
import io.herald.protocol.Message;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection as the hub sees it: the {@link Connection} it writes to and closes.
 * Frames leave as pre-encoded buffers from the loop's {@link LoopWriter} through a
 * {@link FrameSink}. It owns the connection's close: the close frame, the grace before the socket
 * goes, the slow-consumer rule, and the code the connection ended with. Protocol-neutral: what a
 * frame means is the business of the stage that reads it.
 */
final class NettySession implements Connection {
  private static final Logger log = LoggerFactory.getLogger(NettySession.class);

  private final Channel channel;
  private final Hub hub;
  private final LoopWriter writer;
  private final WsSettings settings;
  private final Metrics metrics;

  // Only accessed on this channel's event loop.
  private FrameSink sink;
  private Session session;
  private boolean closing;
  private int closeCode = -1;

  NettySession(Channel channel, Hub hub, LoopWriter writer, WsSettings settings, Metrics metrics) {
    this.channel = channel;
    this.hub = hub;
    this.writer = writer;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Joins the hub as {@code s} (whose connection is this) and greets the client; on the event loop. */
  void open(Session s, Message greeting) {
    this.sink = new ChannelSink(channel, writer);
    this.session = s;
    hub.join(s);
    metrics.connectionOpened();
    send(greeting);
  }

  /** The hub's session; null until {@link #open}. */
  Session session() {
    return session;
  }

  /** The limits this connection started with. */
  WsSettings settings() {
    return settings;
  }

  FrameSink sink() {
    return sink;
  }

  /** True once a close began, from either side. */
  boolean closing() {
    return closing;
  }

  @Override
  public boolean send(Message message) {
    if (closing) {
      return false;
    }
    if (!channel.isWritable()) {
      metrics.slowConsumer();
      log.info("closing slow connection {}: more than {} bytes queued", this, settings.maxPendingBytes());
      close(CloseCode.POLICY, "too slow: outbound queue full");
      // Out of presence and routing at once, not when the stalled socket finally closes (up to
      // the close grace later). Deferred: this runs inside the hub's fan-out over a subscriber set.
      Session s = session;
      if (s != null) {
        channel.eventLoop().execute(() -> hub.leave(s));
      }
      return false;
    }
    sink.write(writer.frameFor(message));
    return true;
  }

  @Override
  public void close(CloseCode code) {
    close(code, code.reason());
  }

  /** Sends the close frame, closes the socket when it is written or after the close grace; any thread. */
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

  /** The client sent a close frame with {@code status} (-1: none); answers it and closes. */
  void closedByClient(int status) {
    closing = true;
    closeCode = status < 0 ? CloseCode.NO_STATUS.code() : status;
    int answer = status < 0 ? CloseCode.NORMAL.code() : status;
    channel.writeAndFlush(new CloseWebSocketFrame(answer, "")).addListener(ChannelFutureListener.CLOSE);
  }

  /** The socket is gone: leaves the hub and counts the close by its code. */
  void closed() {
    closing = true;
    if (session != null) {
      hub.leave(session);
      metrics.connectionClosed(closeCode < 0 ? CloseCode.ABNORMAL.code() : closeCode);
    }
  }

  @Override
  public String toString() {
    return session == null ? "connection -" : "connection " + session.id() + " of user " + session.userId();
  }
}
