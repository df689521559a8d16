package io.herald.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes a complete, unmasked WebSocket text frame (header and payload) into one direct buffer.
 * The frame is built once per event loop and shared by every recipient through
 * {@code retainedDuplicate()}; Netty's encoder passes raw buffers through untouched.
 */
final class TextFrames {
  private static final int FIN_TEXT = 0x81;

  private TextFrames() {
  }

  static ByteBuf encode(ByteBufAllocator alloc, byte[] payload) {
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
}
