package io.herald.history;

import java.nio.charset.StandardCharsets;

/**
 * The stream fields a kept frame carries: the frame's closing brace becomes
 * {@code ,"stream":"user","epoch":"E","offset":N}} (channel frames already name their channel,
 * so they carry no {@code stream} field). The offset is always last, so a node that receives a
 * frame from another can read it back ({@link #offset}) without parsing JSON.
 */
public final class Frames {
  private static final byte[] OFFSET = ",\"offset\":".getBytes(StandardCharsets.US_ASCII);

  private Frames() {
  }

  /** Appends the stream fields to a serialized frame {@code {…}}. */
  public static byte[] stamp(byte[] json, StreamId stream, String epoch, long offset) {
    return stamp(json, tail(stream, epoch, offset));
  }

  static byte[] stamp(byte[] json, byte[] tail) {
    byte[] out = new byte[json.length - 1 + tail.length];
    System.arraycopy(json, 0, out, 0, json.length - 1);
    System.arraycopy(tail, 0, out, json.length - 1, tail.length);
    return out;
  }

  static byte[] tail(StreamId stream, String epoch, long offset) {
    StringBuilder b = new StringBuilder(48);
    if (stream.kind() != StreamId.Kind.CHANNEL) {
      b.append(",\"stream\":\"").append(stream.kind().wire()).append('"');
    }
    b.append(",\"epoch\":\"").append(epoch).append("\",\"offset\":").append(offset).append('}');
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static final byte[] TYPE = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);

  /** The type a frame starts with ({@code {"type":"T",…}}), or {@code ""} when it does not start so. */
  public static String type(byte[] frame) {
    if (frame.length <= TYPE.length) {
      return "";
    }
    for (int k = 0; k < TYPE.length; k++) {
      if (frame[k] != TYPE[k]) {
        return "";
      }
    }
    for (int i = TYPE.length; i < frame.length; i++) {
      if (frame[i] == '"' || frame[i] == '\\') {
        return frame[i] == '"' ? new String(frame, TYPE.length, i - TYPE.length, StandardCharsets.UTF_8) : "";
      }
    }
    return "";
  }

  /** The offset a stamped frame ends with, or -1 when it carries none. */
  public static long offset(byte[] frame) {
    int end = frame.length - 1;
    if (end < OFFSET.length + 1 || frame[end] != '}') {
      return -1;
    }
    int i = end - 1;
    long value = 0;
    long scale = 1;
    while (i >= 0 && frame[i] >= '0' && frame[i] <= '9' && end - i <= 18) {
      value += (frame[i] - '0') * scale;
      scale *= 10;
      i--;
    }
    if (i == end - 1 || i + 1 < OFFSET.length) {
      return -1;
    }
    for (int k = 0; k < OFFSET.length; k++) {
      if (frame[i - OFFSET.length + 1 + k] != OFFSET[k]) {
        return -1;
      }
    }
    return value;
  }
}
