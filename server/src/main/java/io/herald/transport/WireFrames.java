package io.herald.transport;

import io.herald.protocol.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.CharsetUtil;

/**
 * Every WebSocket frame the server writes, encoded here (unmasked, RFC 6455 §5.2) into direct
 * buffers that go to the socket as they are: a connection's pipeline has no frame encoder.
 * Text frames are built once per event loop and shared by every recipient through
 * {@code retainedDuplicate()}; control frames are made per connection, or shared ({@link #ping}).
 * Also the one check of what clients send as text: UTF-8 ({@link #isUtf8}).
 */
final class WireFrames {
  private static final int FIN_TEXT = 0x81;
  private static final int FIN_CLOSE = 0x88;
  private static final int FIN_PING = 0x89;
  private static final int FIN_PONG = 0x8A;
  /** RFC 6455 §5.5: a control frame's payload is at most 125 bytes. */
  static final int MAX_CONTROL_PAYLOAD = 125;

  private static final ByteBuf PING = Unpooled.unreleasableBuffer(
      Unpooled.directBuffer(2).writeByte(FIN_PING).writeByte(0).asReadOnly());

  private WireFrames() {
  }

  /** A final text frame carrying {@code payload}. */
  static ByteBuf text(ByteBufAllocator alloc, byte[] payload) {
    int length = payload.length;
    int header = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf buf = alloc.directBuffer(header + length);
    buf.writeByte(FIN_TEXT);
    if (length <= 125) {
      buf.writeByte(length);
    } else if (length <= 0xFFFF) {
      buf.writeByte(126);
      buf.writeShort(length);
    } else {
      buf.writeByte(127);
      buf.writeLong(length);
    }
    buf.writeBytes(payload);
    return buf;
  }

  /** A close frame with {@code code} and {@code reason} (cut to fit, {@link CloseReason#fit}). */
  static ByteBuf close(ByteBufAllocator alloc, int code, String reason) {
    byte[] text = CloseReason.fit(reason).getBytes(CharsetUtil.UTF_8);
    ByteBuf buf = alloc.directBuffer(4 + text.length);
    buf.writeByte(FIN_CLOSE).writeByte(2 + text.length).writeShort(code).writeBytes(text);
    return buf;
  }

  /** The pong answering a ping whose payload is {@code payload} (read, not released). */
  static ByteBuf pong(ByteBufAllocator alloc, ByteBuf payload) {
    int length = Math.min(payload.readableBytes(), MAX_CONTROL_PAYLOAD);
    ByteBuf buf = alloc.directBuffer(2 + length);
    buf.writeByte(FIN_PONG).writeByte(length).writeBytes(payload, payload.readerIndex(), length);
    return buf;
  }

  /** An empty ping, shared by every connection: a duplicate of one read-only buffer. */
  static ByteBuf ping() {
    return PING.duplicate();
  }

  /** True when a text message's bytes are valid UTF-8; anything else is answered with 1007. */
  static boolean isUtf8(ByteBuf text) {
    return ByteBufUtil.isText(text, CharsetUtil.UTF_8);
  }
}
