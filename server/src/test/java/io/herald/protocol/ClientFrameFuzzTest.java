package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.hub.UserId;
import io.herald.testing.FuzzChecks;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Client frames, from the bytes of a text frame to a command: whatever arrives, parsing and field
 * access either succeed or throw {@link ProtocolException} with a plain message, and reading the
 * frame's bytes gives what reading its text gives. Regression inputs in
 * src/test/resources/io/herald/protocol/ClientFrameFuzzTestInputs; fuzz with -Pfuzz.
 */
class ClientFrameFuzzTest {

  @FuzzTest
  void clientFrame(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ClientMessage m;
    try {
      m = ClientMessage.parse(text);
    } catch (ProtocolException e) {
      FuzzChecks.assertPlainMessage(e.getMessage(), text);
      return;
    }
    assertThat(m.type()).isNotEmpty();
    access(text, m::requireChannel);
    access(text, () -> m.requireText("content"));
    access(text, () -> m.requireText("message"));
    access(text, () -> {
      JsonNode to = m.require("to_user_id");
      UserId.fromJson(to).ifPresent(id -> assertThat(UserId.parse(id.value())).contains(id));
      return to;
    });
  }

  /** The bytes of a text frame (valid UTF-8) are accepted, or refused with the same error, as its text is. */
  @FuzzTest
  void bytesReadAsText(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ClientMessageBytesTest.assertSameOutcome(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void access(String text, Supplier<Object> field) {
    try {
      assertThat(field.get()).isNotNull();
    } catch (ProtocolException e) {
      FuzzChecks.assertPlainMessage(e.getMessage(), text);
    }
  }
}
