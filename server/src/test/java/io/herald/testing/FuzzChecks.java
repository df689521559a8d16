package io.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** What every fuzz test checks of a message that reaches a client: plain words, bounded, no internals. */
public final class FuzzChecks {
  /** Longest error message Herald sends for any input. */
  public static final int MAX_MESSAGE_CHARS = 400;

  private FuzzChecks() {
  }

  /**
   * {@code input} is what the fuzzer sent: a marker it contains may come back in an echoed value
   * (a channel name, a type), so only markers absent from the input count.
   */
  public static void assertPlainMessage(String message, String input) {
    assertThat(message).isNotBlank();
    assertThat(message.length()).as("length of %s", message).isLessThanOrEqualTo(MAX_MESSAGE_CHARS);
    for (String marker : INTERNALS) {
      if (!input.contains(marker)) {
        assertThat(message).doesNotContain(marker);
      }
    }
  }

  private static final String[] INTERNALS = {"com.fasterxml", "org.yaml", "com.nimbusds", "io.netty", "java.",
      "Exception", "Source:", "REDACTED", "StreamRead", "JsonParse", "JsonToken", "\tat "};
}
