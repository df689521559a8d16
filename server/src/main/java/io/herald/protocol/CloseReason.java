package io.herald.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The reason text of a close frame. RFC 6455 §5.5 caps a control frame's payload at 125 bytes, two
 * of them the code: the reason is at most 123 bytes of UTF-8, not 123 characters. A longer reason
 * makes the frame invalid, and the client then sees a protocol error instead of the code (a 4001
 * whose reason quotes a non-ASCII token header, say). See issue 9, defect 9.
 */
public final class CloseReason {
  public static final int MAX_BYTES = 123;
  private static final String ELLIPSIS = "…";

  private CloseReason() {
  }

  /** {@code reason}, cut at a character boundary to fit 123 UTF-8 bytes, ending in "…" when cut. */
  public static String fit(String reason) {
    if (reason == null) {
      return "";
    }
    if (reason.length() <= MAX_BYTES / 3 || utf8Length(reason, reason.length()) <= MAX_BYTES) {
      return reason;
    }
    int budget = MAX_BYTES - ELLIPSIS.getBytes(StandardCharsets.UTF_8).length;
    int end = 0;
    int bytes = 0;
    while (end < reason.length()) {
      int cp = reason.codePointAt(end);
      int size = utf8Size(cp);
      if (bytes + size > budget) {
        break;
      }
      bytes += size;
      end += Character.charCount(cp);
    }
    return reason.substring(0, end) + ELLIPSIS;
  }

  private static int utf8Length(String s, int end) {
    int bytes = 0;
    for (int i = 0; i < end; ) {
      int cp = s.codePointAt(i);
      bytes += utf8Size(cp);
      i += Character.charCount(cp);
    }
    return bytes;
  }

  private static int utf8Size(int cp) {
    // A lone surrogate is written as '?' (one byte) by Java's encoder.
    if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
      return 1;
    }
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
