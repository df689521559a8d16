package io.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** What every fuzz test checks of a message that reaches a client: plain words, bounded, no internals. */
public final class FuzzChecks {
  /** Longest error message Herald sends for any input. */
  public static final int MAX_MESSAGE_CHARS = 400;

  private FuzzChecks() {
  }

  public static void assertPlainMessage(String message) {
    assertThat(message).isNotBlank();
    assertThat(message.length()).as("length of %s", message).isLessThanOrEqualTo(MAX_MESSAGE_CHARS);
    assertThat(message).doesNotContain("com.fasterxml", "org.yaml", "com.nimbusds", "io.netty", "java.",
        "Exception", "Source:", "REDACTED", "StreamRead", "JsonParse", "JsonToken", "\tat ");
  }
}
