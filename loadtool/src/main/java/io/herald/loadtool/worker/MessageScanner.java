package io.herald.loadtool.worker;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Finds the benchmark markers in a received message without parsing it as JSON.
 *
 * <p>Every message the load tool pushes carries {@code hb_seq} (sequence number) and {@code hb_ts}
 * (send time, epoch microseconds), either as JSON fields ({@code "hb_seq":12}) or inside a chat
 * string ({@code hb_seq=12}), or escaped in a Pusher frame's data string ({@code \"hb_seq\":12}). Scanning bytes keeps the tool's own CPU low, which matters when it
 * shares two cores with the server under test.
 */
public final class MessageScanner {
  public static final String SEQ = "hb_seq";
  public static final String TS = "hb_ts";
  private static final byte[] SEQ_KEY = SEQ.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TS_KEY = TS.getBytes(StandardCharsets.US_ASCII);

  private MessageScanner() {
  }

  /** Index of the sequence marker in {@code buf}, or -1 when it is not a benchmark message. */
  public static int seqIndex(ByteBuf buf) {
    return indexOf(buf, SEQ_KEY, buf.readerIndex());
  }

  /** The number after the marker at {@code keyIndex} (skipping {@code ":} or {@code =}), or -1. */
  public static long seqAt(ByteBuf buf, int keyIndex) {
    return numberAfter(buf, keyIndex + SEQ_KEY.length);
  }

  /** The send timestamp found at or after {@code from}, or -1. */
  public static long timestamp(ByteBuf buf, int from) {
    int at = indexOf(buf, TS_KEY, from);
    if (at < 0) {
      at = indexOf(buf, TS_KEY, buf.readerIndex());
    }
    return at < 0 ? -1 : numberAfter(buf, at + TS_KEY.length);
  }

  static int indexOf(ByteBuf buf, byte[] key, int from) {
    int end = buf.writerIndex() - key.length;
    outer:
    for (int i = from; i <= end; i++) {
      for (int k = 0; k < key.length; k++) {
        if (buf.getByte(i + k) != key[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static long numberAfter(ByteBuf buf, int from) {
    int i = from;
    int end = buf.writerIndex();
    int skipped = 0;
    while (i < end && skipped < 4) {
      byte b = buf.getByte(i);
      if (b >= '0' && b <= '9') {
        break;
      }
      if (b != '"' && b != ':' && b != '=' && b != ' ' && b != '\\') { // \\ of a JSON string in a Pusher frame's data
        return -1;
      }
      i++;
      skipped++;
    }
    long value = 0;
    int digits = 0;
    while (i < end) {
      byte b = buf.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      value = value * 10 + (b - '0');
      i++;
      digits++;
    }
    return digits == 0 || digits > 18 ? -1 : value;
  }
}
