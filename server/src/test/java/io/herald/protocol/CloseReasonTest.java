package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CloseReasonTest {
  @Test
  void shortReasonsAreKept() {
    assertThat(CloseReason.fit("unauthorized: token has expired")).isEqualTo("unauthorized: token has expired");
    assertThat(CloseReason.fit("é".repeat(61))).isEqualTo("é".repeat(61));
  }

  @Test
  void longNonAsciiReasonIsCutToAt123Utf8BytesOnACharacterBoundary() {
    String reason = "unauthorized: unsupported algorithm: " + "令牌".repeat(40) + "😀".repeat(10);
    String fitted = CloseReason.fit(reason);
    assertThat(fitted.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
    assertThat(fitted).endsWith("…").startsWith("unauthorized: unsupported algorithm: 令牌");
    assertThat(new String(fitted.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(fitted);
  }

  @Test
  void emojiAreNeverSplit() {
    String fitted = CloseReason.fit("x" + "😀".repeat(40));
    assertThat(fitted.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
    assertThat(fitted.chars().filter(c -> Character.isSurrogate((char) c)).count() % 2).isZero();
  }
}
