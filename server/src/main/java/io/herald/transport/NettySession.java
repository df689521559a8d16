package io.herald.transport;

import io.herald.hub.Connection;
import io.herald.hub.Hub;
import io.herald.hub.Session;
import io.herald.metrics.Metrics;
import io.herald.protocol.CloseCode;
import io.herald.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
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
  /** The protocol's encoding of hub messages; null for Herald's own frames ({@link Message#json()}). */
  private final Message.Format format;
  /** The protocol's close code for each of the hub's close reasons. */
  private final ToIntFunction<CloseCode> codes;

  // Only accessed on this channel's event loop.
  private FrameSink sink;
  private Session session;
  private boolean closing;
  private int closeCode = -1;

  NettySession(Channel channel, Hub hub, LoopWriter writer, WsSettings settings, Metrics metrics) {
    this(channel, hub, writer, settings, metrics, null, CloseCode::code);
  }

  /**
   * A session of another wire protocol: hub messages leave in {@code format} (encoded once per
   * message, framed once per loop), and the hub's close reasons as {@code codes} says.
   */
  NettySession(Channel channel, Hub hub, LoopWriter writer, WsSettings settings, Metrics metrics,
               Message.Format format, ToIntFunction<CloseCode> codes) {
    this.channel = channel;
    this.hub = hub;
    this.writer = writer;
    this.settings = settings;
    this.metrics = metrics;
    this.format = format;
    this.codes = codes;
  }

  /** Joins the hub as {@code s} (whose connection is this) and greets the client; on the event loop. */
  void open(Session s, Message greeting) {
    open(s);
    send(greeting);
  }

  /** Joins the hub as {@code s}; the protocol greets the client itself. On the event loop. */
  void open(Session s) {
    attach();
    this.session = s;
    hub.join(s);
    metrics.connectionOpened();
  }

  /** Makes the sink usable before the session opens (a refusal written right after the upgrade). */
  void attach() {
    if (sink == null) {
      this.sink = new ChannelSink(channel, writer);
    }
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

  /** The client's address as {@code host:port}. */
  String remoteAddress() {
    String text = String.valueOf(channel.remoteAddress());
    return text.startsWith("/") ? text.substring(1) : text;
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
    sink.writeShared(format == null ? writer.frameFor(message) : writer.frameFor(message, format));
    return true;
  }

  /** Answers a client's WebSocket ping with its payload. */
  void pong(ByteBuf pingPayload) {
    if (!closing) {
      sink.write(WireFrames.pong(channel.alloc(), pingPayload));
    }
  }

  /** The client sent text that is not UTF-8: close 1007 (RFC 6455 §8.1), whatever the protocol. */
  void closeInvalidText() {
    close(CloseCode.INVALID_PAYLOAD.code(), CloseCode.INVALID_PAYLOAD.reason());
  }

  /**
   * Closes for a frame the WebSocket decoder or the fragment joiner refused, and returns true; false
   * when {@code cause} is no such refusal. The decoder does not close on a violation
   * ({@link ConnectionPipeline#decoderConfig}): it reports it and drops the rest of the input, and
   * the close, with its code, is ours: 1009 for a frame over {@code limits.max_frame_bytes}, 1007
   * for a close reason that is not UTF-8, 1002 for anything else against RFC 6455.
   */
  boolean closeOnViolation(Throwable cause) {
    int status = cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
        ? c.closeStatus().code() : -1;
    if (cause instanceof TooLongFrameException || status == CloseCode.TOO_BIG.code()) {
      close(CloseCode.TOO_BIG.code(), "frame too big: at most " + settings.maxFrameBytes() + " bytes");
    } else if (status == CloseCode.INVALID_PAYLOAD.code()) {
      closeInvalidText();
    } else if (cause instanceof CorruptedWebSocketFrameException) {
      log.debug("protocol violation on {}: {}", this, cause.getMessage());
      close(CloseCode.PROTOCOL_ERROR.code(), "protocol error: " + cause.getMessage());
    } else {
      return false;
    }
    return true;
  }

  /** Writes a frame made for this connection alone (a reply of a protocol that is not Herald's). */
  void reply(byte[] json) {
    if (!closing) {
      sink.write(writer.frameFor(json));
    }
  }

  @Override
  public void close(CloseCode code) {
    close(code, code.reason());
  }

  /**
   * Sends the close frame, then half-closes: the socket's sending side ends once the frame is
   * written (a TCP FIN, or TLS close_notify), while the receiving side reads and drops whatever
   * the client still sends until it closes too. Closing outright with unread bytes makes the
   * kernel answer them with a reset, which discards the close frame on the client's side: a
   * browser still sending a frame too big for the server then saw 1006, not 1009 (issue 9,
   * defect 3). The close grace cuts a client that never closes. Any thread.
   */
  void close(CloseCode code, String reason) {
    close(codes.applyAsInt(code), reason);
  }

  /** As {@link #close(CloseCode, String)} with the protocol's own code number. */
  void close(int code, String reason) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> close(code, reason));
      return;
    }
    if (closing) {
      return;
    }
    closing = true;
    closeCode = code;
    writeClose(code, reason)
        .addListener(f -> ConnectionPipeline.shutdownOutput(channel));
    channel.eventLoop().schedule(() -> {
      channel.close();
    }, settings.closeGraceMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The client sent a close frame with {@code status} (-1: none). Answered with the same code and
   * closed, or with 1002 when RFC 6455 §7.4 does not allow the code on the wire (issue 9,
   * defect 4). After a close of ours, it completes the closing handshake.
   */
  void closedByClient(int status) {
    if (closing) {
      channel.close();
      return;
    }
    if (status >= 0 && !CloseCode.validOnTheWire(status)) {
      close(CloseCode.PROTOCOL_ERROR, "invalid close code " + status);
      return;
    }
    closing = true;
    closeCode = status < 0 ? CloseCode.NO_STATUS.code() : status;
    int answer = status < 0 ? CloseCode.NORMAL.code() : status;
    writeClose(answer, "").addListener(ChannelFutureListener.CLOSE);
  }

  /** Writes and flushes a close frame after every frame the sink still holds, so it leaves last. */
  private ChannelFuture writeClose(int code, String reason) {
    if (sink != null) {
      sink.queueHeld();
    }
    return channel.writeAndFlush(WireFrames.close(channel.alloc(), code, reason));
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
