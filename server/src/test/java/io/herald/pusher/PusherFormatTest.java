package io.herald.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.Message;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PusherFormatTest {

  private static String pusher(Message m) {
    return new String(PusherFormat.INSTANCE.encode(m), StandardCharsets.UTF_8);
  }

  @Test
  void heraldObjectDataBecomesAJsonStringWithItsExactText() {
    Message m = Message.of("order.shipped", "orders", Map.of("id", 7));
    assertThat(pusher(m)).isEqualTo("{\"event\":\"order.shipped\",\"channel\":\"orders\",\"data\":\"{\\\"id\\\":7}\"}");
  }

  @Test
  void heraldStringDataIsCarriedAsIs() {
    Message m = Message.of("note", "orders", "hello");
    assertThat(pusher(m)).isEqualTo("{\"event\":\"note\",\"channel\":\"orders\",\"data\":\"hello\"}");
  }

  @Test
  void unknownTopLevelFieldsAreIgnored() {
    Message m = Message.ofSerialized("t", "{\"type\":\"t\",\"channel\":\"c\",\"offset\":5,\"data\":[1, 2],\"epoch\":{\"a\":1}}"
        .getBytes(StandardCharsets.UTF_8));
    assertThat(pusher(m)).isEqualTo("{\"event\":\"t\",\"channel\":\"c\",\"data\":\"[1, 2]\"}");
  }

  @Test
  void pusherEventWithJsonDataIsJsonForHeraldAndTheSameStringForPusher() {
    Message m = PusherFormat.event("App\\Events\\Shipped", "orders", "{\"order\":{\"id\":1}}", null);
    assertThat(new String(m.json(), StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"App\\\\Events\\\\Shipped\",\"channel\":\"orders\",\"data\":{\"order\":{\"id\":1}}}");
    assertThat(new String(m.encoded(PusherFormat.INSTANCE), StandardCharsets.UTF_8))
        .isEqualTo(pusher(Message.ofSerialized(m.type(), m.json())));
  }

  @Test
  void pusherEventWithPlainTextStaysAString() {
    Message m = PusherFormat.event("e", "c", "not json {", "7");
    assertThat(new String(m.json(), StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"e\",\"channel\":\"c\",\"data\":\"not json {\",\"user_id\":\"7\"}");
    assertThat(pusher(Message.ofSerialized("e", m.json())))
        .isEqualTo("{\"event\":\"e\",\"channel\":\"c\",\"data\":\"not json {\",\"user_id\":\"7\"}");
  }

  @Test
  void encodingIsMadeOncePerMessage() {
    Message m = Message.of("t", "c", Map.of("a", 1));
    byte[] first = m.encoded(PusherFormat.INSTANCE);
    assertThat(m.encoded(PusherFormat.INSTANCE)).isSameAs(first);
  }
}
