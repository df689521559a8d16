package io.herald.loadtool.ws;

import io.netty.buffer.ByteBuf;

/**
 * RFC 6455 framing for a client: frames it sends are masked, frames it reads normally are not
 * (masked frames are unmasked too, which lets the tests round-trip).
 */
public final class WsFrames {
  public static final int OP_CONTINUATION = 0x0;
  public static final int OP_TEXT = 0x1;
  public static final int OP_BINARY = 0x2;
  public static final int OP_CLOSE = 0x8;
  public static final int OP_PING = 0x9;
  public static final int OP_PONG = 0xA;

  private WsFrames() {
  }

  /** One decoded frame. {@code payload} is a slice of the input buffer, valid until that buffer is read again. */
  public record Frame(boolean fin, int opcode, ByteBuf payload) {
    public boolean isControl() {
      return (opcode & 0x8) != 0;
    }
  }

  /** Appends a final frame carrying {@code payload}, masked with {@code maskKey} (client to server). */
  public static void writeMasked(ByteBuf out, int opcode, byte[] payload, int maskKey) {
    int length = payload.length;
    out.writeByte(0x80 | opcode);
    writeLength(out, length, 0x80);
    out.writeInt(maskKey);
    byte[] mask = {(byte) (maskKey >>> 24), (byte) (maskKey >>> 16), (byte) (maskKey >>> 8), (byte) maskKey};
    for (int i = 0; i < length; i++) {
      out.writeByte(payload[i] ^ mask[i & 3]);
    }
  }

  /** Appends a final unmasked frame (server to client); used by tests to play the server. */
  public static void writeUnmasked(ByteBuf out, int opcode, byte[] payload) {
    out.writeByte(0x80 | opcode);
    writeLength(out, payload.length, 0);
    out.writeBytes(payload);
  }

  private static void writeLength(ByteBuf out, int length, int maskBit) {
    if (length <= 125) {
      out.writeByte(maskBit | length);
    } else if (length <= 0xFFFF) {
      out.writeByte(maskBit | 126);
      out.writeShort(length);
    } else {
      out.writeByte(maskBit | 127);
      out.writeLong(length);
    }
  }

  /**
   * Reads one frame from {@code in}, or returns {@code null} and consumes nothing when the frame
   * is not complete yet. A masked payload is unmasked in place.
   *
   * @throws IllegalStateException when the frame is malformed or larger than {@code maxPayloadBytes}
   */
  public static Frame read(ByteBuf in, int maxPayloadBytes) {
    int start = in.readerIndex();
    int available = in.readableBytes();
    if (available < 2) {
      return null;
    }
    int b0 = in.getUnsignedByte(start);
    int b1 = in.getUnsignedByte(start + 1);
    if ((b0 & 0x70) != 0) {
      throw new IllegalStateException("reserved bits set without a negotiated extension: 0x" + Integer.toHexString(b0));
    }
    boolean masked = (b1 & 0x80) != 0;
    long length = b1 & 0x7F;
    int headerBytes = 2;
    if (length == 126) {
      if (available < 4) {
        return null;
      }
      length = in.getUnsignedShort(start + 2);
      headerBytes = 4;
    } else if (length == 127) {
      if (available < 10) {
        return null;
      }
      length = in.getLong(start + 2);
      headerBytes = 10;
    }
    if (length < 0 || length > maxPayloadBytes) {
      throw new IllegalStateException("frame payload of " + length + " bytes exceeds " + maxPayloadBytes);
    }
    int maskOffset = start + headerBytes;
    if (masked) {
      headerBytes += 4;
    }
    if (available < headerBytes + length) {
      return null;
    }
    int payloadStart = start + headerBytes;
    if (masked) {
      for (int i = 0; i < length; i++) {
        int at = payloadStart + i;
        in.setByte(at, in.getByte(at) ^ in.getByte(maskOffset + (i & 3)));
      }
    }
    ByteBuf payload = in.slice(payloadStart, (int) length);
    in.readerIndex(payloadStart + (int) length);
    return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
  }
}
