package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ClientMessage#parse(byte[])} reads the usual frames token by token and hands the rest to
 * {@link ClientMessage#parse(String)}: whatever the frame, both must accept the same frames with
 * the same type and data, and refuse the others with the same code and text.
 */
class ClientMessageBytesTest {

  static void assertSameOutcome(byte[] utf8) {
    String text = new String(utf8, StandardCharsets.UTF_8);
    ProtocolException fromText = catchThrowableOfType(ProtocolException.class, () -> ClientMessage.parse(text));
    ProtocolException fromBytes = catchThrowableOfType(ProtocolException.class, () -> ClientMessage.parse(utf8));
    if (fromText != null) {
      assertThat(fromBytes).as("refused as text, so as bytes: %s", text).isNotNull();
      assertThat(fromBytes.code()).as(text).isEqualTo(fromText.code());
      assertThat(fromBytes.getMessage()).as(text).isEqualTo(fromText.getMessage());
      return;
    }
    assertThat(fromBytes).as("accepted as text, so as bytes: %s", text).isNull();
    assertThat(ClientMessage.parse(utf8)).as(text).isEqualTo(ClientMessage.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // the usual shapes, read token by token
      "{\"type\":\"heartbeat\",\"data\":{\"timestamp\":1733150000000}}",
      "{\"type\":\"heartbeat\"}",
      "{\"data\":{\"channel\":\"orders\"},\"type\":\"subscribe\"}",
      "{\"type\":\"chat\",\"data\":{\"to_user_id\":2,\"content\":\"你好 👋\"}}",
      "{\"type\":\"chat\",\"data\":null}",
      "{\"type\":\"x\",\"data\":[1,2.5,1e400,\"s\",true,null,{}]}",
      "{ \"type\" : \"ping\" , \"data\" : 7 }\n",
      // refused or unusual: parse(String) decides
      "{\"type\":\"heartbeat\",\"data\":{\"timestamp\":1e999999999}}",
      "{\"type\":\"heartbeat\",\"type\":\"ping\"}",
      "{\"type\":\"ping\",\"data\":{\"a\":1,\"a\":2}}",
      "{\"type\":\"ping\"} {}",
      "{\"type\":\"ping\"} x",
      "{\"type\":\"ping\"",
      "{\"type\":\"\"}",
      "{\"type\":null}",
      "{\"type\":5}",
      "{\"data\":{}}",
      "{\"type\":\"ping\",\"extra\":1}",
      "{}",
      "[]",
      "\"heartbeat\"",
      "null",
      " {\"type\":\"ping\"}",
      "\uFEFF{\"type\":\"ping\"}",
      "{\"type\":\"ping\",\"data\":'x'}",
      "{\"type\":\"ping\",\"data\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
          + "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
      "{\"type\":\"ping\",\"data\":\"tab\there\"}",
  })
  void bytesAreReadAsTheirText(String text) {
    assertSameOutcome(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * NUL bytes among the first four make the JSON parser guess UTF-16 or UTF-32; read that way these
   * frames would be well-formed commands, while their text (with NUL characters) is not JSON.
   */
  @ParameterizedTest
  @ValueSource(strings = {"{\0\"\0t\0y\0p\0e\0\"\0:\0\"\0p\0i\0n\0g\0\"\0}\0",
      "\0{\0\"\0t\0y\0p\0e\0\"\0:\0\"\0p\0i\0n\0g\0\"\0}",
      "{\0\0\0\"\0\0\0t\0\0\0y\0\0\0p\0\0\0e\0\0\0\"\0\0\0:\0\0\0\"\0\0\0p\0\0\0i\0\0\0n\0\0\0g\0\0\0\"\0\0\0}\0\0\0"})
  void nulBytesDoNotTurnTheFrameIntoAnotherEncoding(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertThat(catchThrowableOfType(ProtocolException.class, () -> ClientMessage.parse(utf8)))
        .isNotNull()
        .extracting(ProtocolException::code).isEqualTo(ErrorCode.INVALID_JSON);
    assertSameOutcome(utf8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"type\":\"heartbeat\",\"data\":{\"timestamp\":1}}", "{\"data\":{\"channel\":\"a\"},\"type\":\"subscribe\"}"})
  void theUsualShapeKeepsTypeAndData(String text) {
    ClientMessage m = ClientMessage.parse(text.getBytes(StandardCharsets.UTF_8));
    assertThat(m.type()).isIn("heartbeat", "subscribe");
    assertThat(m.data().isObject()).isTrue();
    assertThat(m.data().size()).isEqualTo(1);
  }
}
