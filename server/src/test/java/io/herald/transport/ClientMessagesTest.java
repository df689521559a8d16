package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ClientMessagesTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("limits.max_channels_per_connection", 3));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  @Test
  void pingIsAnsweredWithPongCarryingServerTimestamp() {
    try (WsRecorder ws = server.connect("100")) {
      ws.send("ping", Map.of("timestamp", 1));
      JsonNode pong = ws.next("pong");
      assertThat(pong.get("data").get("timestamp").asLong()).isBetween(now() - 5, now() + 5);
      ws.send("{\"type\":\"ping\"}");
      ws.next("pong");
    }
  }

  @Test
  void heartbeatIsAcknowledged() {
    try (WsRecorder ws = server.connect("101")) {
      ws.send("heartbeat", Map.of("timestamp", System.currentTimeMillis()));
      JsonNode ack = ws.next("heartbeat_ack");
      assertThat(ack.get("data").get("timestamp").asLong()).isBetween(now() - 5, now() + 5);
    }
  }

  @Test
  void chatReachesEveryConnectionOfTheRecipientWithTheAuthenticatedSender() {
    try (WsRecorder alice = server.connect("200");
         WsRecorder bobTab1 = server.connect("201");
         WsRecorder bobTab2 = server.connect("201")) {
      alice.send("chat", Map.of("to_user_id", 201, "content", "hi bob", "from_user_id", 999));
      for (WsRecorder tab : List.of(bobTab1, bobTab2)) {
        JsonNode chat = tab.next("chat").get("data");
        assertThat(chat.get("from_user_id").asLong()).isEqualTo(200);
        assertThat(chat.get("from_user_id").isNumber()).isTrue();
        assertThat(chat.get("to_user_id").asLong()).isEqualTo(201);
        assertThat(chat.get("content").asText()).isEqualTo("hi bob");
        assertThat(chat.get("timestamp").asLong()).isBetween(now() - 5, now() + 5);
        tab.assertExhausted();
      }
      alice.assertExhausted();
    }
  }

  @Test
  void chatToStringIdAndFromStringId() {
    try (WsRecorder carol = server.connect("carol"); WsRecorder dave = server.connect("202")) {
      carol.send("chat", Map.of("to_user_id", "202", "content", "yo"));
      JsonNode chat = dave.next("chat").get("data");
      assertThat(chat.get("from_user_id").asText()).isEqualTo("carol");
      assertThat(chat.get("to_user_id").isNumber()).isTrue();
      dave.send("chat", Map.of("to_user_id", "carol", "content", "back"));
      assertThat(carol.next("chat").get("data").get("from_user_id").asLong()).isEqualTo(202);
    }
  }

  @Test
  void broadcastReachesEveryOnlineUserIncludingTheSender() {
    try (WsRecorder a = server.connect("300"); WsRecorder b = server.connect("301")) {
      a.send("broadcast", Map.of("message", "hello all"));
      for (WsRecorder ws : List.of(a, b)) {
        JsonNode m = ws.next("broadcast").get("data");
        assertThat(m.get("from_user_id").asLong()).isEqualTo(300);
        assertThat(m.get("message").asText()).isEqualTo("hello all");
        assertThat(m.get("timestamp").asLong()).isBetween(now() - 5, now() + 5);
      }
    }
  }

  @Test
  void subscribeThenChannelPushArrivesWithChannelField() {
    try (WsRecorder ws = server.connect("400")) {
      ws.send("subscribe", Map.of("channel", "orders"));
      assertThat(ws.next("subscribed").get("data").get("channel").asText()).isEqualTo("orders");
      TestServer.Answer a = server.post("/admin/websocket/send-to-channel",
          Map.of("channel", "orders", "type", "order_paid", "data", Map.of("order_id", 123)));
      assertThat(a.status()).isEqualTo(200);
      JsonNode m = ws.next("order_paid");
      assertThat(m.get("channel").asText()).isEqualTo("orders");
      assertThat(m.get("data").get("order_id").asInt()).isEqualTo(123);
      ws.assertExhausted();
    }
  }

  @Test
  void unsubscribeStopsChannelDelivery() {
    try (WsRecorder ws = server.connect("401")) {
      ws.send("subscribe", Map.of("channel", "news"));
      ws.next("subscribed");
      ws.send("unsubscribe", Map.of("channel", "news"));
      assertThat(ws.next("unsubscribed").get("data").get("channel").asText()).isEqualTo("news");
      server.post("/admin/websocket/send-to-channel", Map.of("channel", "news", "type", "x", "data", Map.of()));
      ws.assertExhausted();
    }
  }

  @Test
  void subscribingTwiceDeliversOnce() {
    try (WsRecorder ws = server.connect("402")) {
      ws.send("subscribe", Map.of("channel", "dup"));
      ws.next("subscribed");
      ws.send("subscribe", Map.of("channel", "dup"));
      ws.next("subscribed");
      server.post("/admin/websocket/send-to-channel", Map.of("channel", "dup", "type", "x", "data", 1));
      ws.next("x");
      ws.assertExhausted();
    }
  }

  @Test
  void privateChannelNeedsTheChannelsClaim() {
    try (WsRecorder plain = server.connect("500")) {
      plain.send("subscribe", Map.of("channel", "private-team-1"));
      JsonNode error = plain.next("error").get("data");
      assertThat(error.get("code").asText()).isEqualTo("forbidden");
      assertThat(error.get("message").asText()).contains("private-team-1");
      assertThat(error.get("channel").asText()).isEqualTo("private-team-1");
    }
    String token = Tokens.hs256(Tokens.SECRET, b -> b.subject("501")
        .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
        .claim("channels", List.of("private-team-*")));
    try (WsRecorder allowed = server.connectRaw("user_id=501&token=" + token)) {
      allowed.connected();
      allowed.send("subscribe", Map.of("channel", "private-team-1"));
      allowed.next("subscribed");
      allowed.send("subscribe", Map.of("channel", "private-other"));
      assertThat(allowed.next("error").get("data").get("code").asText()).isEqualTo("forbidden");
    }
  }

  @Test
  void tooManyChannelsIsAnError() {
    try (WsRecorder ws = server.connect("502")) {
      for (String c : List.of("a", "b", "c")) {
        ws.send("subscribe", Map.of("channel", c));
        ws.next("subscribed");
      }
      ws.send("subscribe", Map.of("channel", "d"));
      assertThat(ws.next("error").get("data").get("code").asText()).isEqualTo("too_many_channels");
    }
  }

  @Test
  void badInputRepliesErrorAndKeepsTheConnectionUsable() {
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("{not json", "invalid_json");
    cases.put("[1,2]", "invalid_message");
    cases.put("\"text\"", "invalid_message");
    cases.put("{\"data\":{}}", "missing_field");
    cases.put("{\"type\":42}", "invalid_field");
    cases.put("{\"type\":\"teleport\",\"data\":{}}", "unknown_type");
    cases.put("{\"type\":\"chat\",\"data\":{\"content\":\"x\"}}", "missing_field");
    cases.put("{\"type\":\"chat\",\"data\":{\"to_user_id\":1.5,\"content\":\"x\"}}", "invalid_field");
    cases.put("{\"type\":\"chat\",\"data\":{\"to_user_id\":-3,\"content\":\"x\"}}", "invalid_field");
    cases.put("{\"type\":\"chat\",\"data\":{\"to_user_id\":2}}", "missing_field");
    cases.put("{\"type\":\"chat\",\"data\":{\"to_user_id\":2,\"content\":{}}}", "invalid_field");
    cases.put("{\"type\":\"chat\",\"data\":\"oops\"}", "invalid_field");
    cases.put("{\"type\":\"chat\"}", "missing_field");
    cases.put("{\"type\":\"broadcast\",\"data\":{}}", "missing_field");
    cases.put("{\"type\":\"subscribe\",\"data\":{}}", "missing_field");
    cases.put("{\"type\":\"subscribe\",\"data\":{\"channel\":\"bad name!\"}}", "invalid_channel");
    cases.put("{\"type\":\"subscribe\",\"data\":{\"channel\":\"\"}}", "invalid_channel");
    cases.put("{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + "x".repeat(129) + "\"}}", "invalid_channel");
    cases.put("{\"type\":\"unsubscribe\",\"data\":{\"channel\":7}}", "invalid_channel");
    try (WsRecorder ws = server.connect("600")) {
      cases.forEach((frame, code) -> {
        ws.send(frame);
        JsonNode error = ws.next("error").get("data");
        assertThat(error.get("code").asText()).as("reply to %s", frame).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception");
        ws.assertExhausted();
      });
    }
  }

  @Test
  void binaryFrameIsAnErrorAndTheConnectionStays() {
    try (WsRecorder ws = server.connect("601")) {
      ws.socket().sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
      assertThat(ws.next("error").get("data").get("code").asText()).isEqualTo("unsupported_frame");
      ws.assertExhausted();
    }
  }

  @Test
  void fragmentedTextMessageIsReassembled() {
    try (WsRecorder ws = server.connect("602")) {
      ws.socket().sendText("{\"type\":", false).join();
      ws.socket().sendText("\"ping\"}", true).join();
      ws.next("pong");
    }
  }

  @Test
  void fragmentedMessagesInterleaveWithWholeOnesInOrder() {
    try (WsRecorder ws = server.connect("604")) {
      ws.send("ping", Map.of("timestamp", 1));
      for (int i = 0; i < 3; i++) {
        ws.socket().sendText("{\"type\":\"sub", false).join();
        ws.socket().sendText("scribe\",\"data\":{\"channel\":", false).join();
        ws.socket().sendText("\"frag-" + i + "\"}}", true).join();
        ws.send("heartbeat", Map.of());
      }
      ws.next("pong");
      for (int i = 0; i < 3; i++) {
        assertThat(ws.next("subscribed").get("data").get("channel").asText()).isEqualTo("frag-" + i);
        ws.next("heartbeat_ack");
      }
      ws.assertExhausted();
    }
  }

  @Test
  void clientBroadcastCanBeDisabled() {
    try (TestServer s = TestServer.start(Map.of("channels.client_broadcast", false));
         WsRecorder ws = s.connect("603")) {
      ws.send("broadcast", Map.of("message", "x"));
      assertThat(ws.next("error").get("data").get("code").asText()).isEqualTo("forbidden");
    }
  }
}
