package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code subscribe} with a subscription token: one user, one exact channel, private ones included. */
@Timeout(60)
class SubscriptionTokenTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String subscriptionToken(String sub, String channel, Duration ttl) {
    return Tokens.hs256(Tokens.SECRET, b -> b.subject(sub).claim("channel", channel)
        .expirationTime(Date.from(Instant.now().plus(ttl))));
  }

  static JsonNode subscribe(WsRecorder ws, String channel, String token) {
    ws.send("subscribe", Map.of("channel", channel, "token", token));
    return ws.next();
  }

  @Test
  void tokenGrantsItsPrivateChannel() {
    try (WsRecorder ws = server.connect("501")) {
      JsonNode m = subscribe(ws, "private-orders.501", subscriptionToken("501", "private-orders.501", Duration.ofMinutes(5)));
      assertThat(m.path("type").asText()).isEqualTo("subscribed");
      assertThat(m.path("data").path("channel").asText()).isEqualTo("private-orders.501");
      server.post("/admin/websocket/send-to-channel", Map.of("channel", "private-orders.501", "type", "shipped",
          "data", Map.of("id", 1)));
      assertThat(ws.next("shipped").path("channel").asText()).isEqualTo("private-orders.501");
    }
  }

  @Test
  void withoutATokenThePrivateChannelStaysClosed() {
    try (WsRecorder ws = server.connect("502")) {
      ws.send("subscribe", Map.of("channel", "private-orders.502"));
      JsonNode m = ws.next("error");
      assertThat(m.path("data").path("code").asText()).isEqualTo("forbidden");
      ws.assertExhausted();
    }
  }

  @Test
  void aTokenForAnotherChannelUserOrTimeIsForbiddenAndTheConnectionStays() {
    try (WsRecorder ws = server.connect("503")) {
      JsonNode other = subscribe(ws, "private-a", subscriptionToken("503", "private-b", Duration.ofMinutes(5)));
      assertThat(other.path("data").path("code").asText()).isEqualTo("forbidden");
      assertThat(other.path("data").path("message").asText()).contains("another channel");
      JsonNode user = subscribe(ws, "private-a", subscriptionToken("999", "private-a", Duration.ofMinutes(5)));
      assertThat(user.path("data").path("code").asText()).isEqualTo("forbidden");
      JsonNode expired = subscribe(ws, "private-a", subscriptionToken("503", "private-a", Duration.ofMinutes(-1)));
      assertThat(expired.path("data").path("code").asText()).isEqualTo("forbidden");
      assertThat(expired.path("data").path("message").asText()).contains("expired");
      String forged = Tokens.hs256("another-secret-0123456789-0123456789-xyz", b -> b.subject("503")
          .claim("channel", "private-a"));
      assertThat(subscribe(ws, "private-a", forged).path("data").path("code").asText()).isEqualTo("forbidden");
      assertThat(subscribe(ws, "private-a", "not a jwt").path("data").path("code").asText()).isEqualTo("forbidden");
      ws.assertExhausted();
    }
  }

  @Test
  void publicChannelsIgnoreTheToken() {
    try (WsRecorder ws = server.connect("504")) {
      assertThat(subscribe(ws, "orders", "whatever").path("type").asText()).isEqualTo("subscribed");
    }
  }

  @Test
  void aTokenThatIsNotAStringIsAnInvalidField() {
    try (WsRecorder ws = server.connect("505")) {
      ws.send("subscribe", Map.of("channel", "private-a", "token", 42));
      JsonNode m = ws.next("error");
      assertThat(m.path("data").path("code").asText()).isEqualTo("invalid_field");
      assertThat(m.path("data").path("message").asText()).contains("data.token");
    }
  }

  @Test
  void aSubscriptionTokenAndARecoveryPositionTogetherReplayThePrivateChannel() {
    String channel = "private-orders.506";
    JsonNode position;
    try (WsRecorder ws = server.connect("506")) {
      ws.send("subscribe", Map.of("channel", channel, "recover", true,
          "token", subscriptionToken("506", channel, Duration.ofMinutes(5))));
      position = ws.next("recovery").at("/data/channels/" + channel);
      ws.next("subscribed");
    }
    server.post("/admin/websocket/send-to-channel", Map.of("channel", channel, "type", "shipped", "data", 1));
    server.post("/admin/websocket/send-to-channel", Map.of("channel", channel, "type", "shipped", "data", 2));
    try (WsRecorder ws = server.connect("506")) {
      ws.send("subscribe", Map.of("channel", channel, "token", subscriptionToken("506", channel, Duration.ofMinutes(5)),
          "recover", true, "epoch", position.get("epoch").asText(), "offset", position.get("offset").asLong()));
      assertThat(ws.next("shipped").get("data").asInt()).isEqualTo(1);
      assertThat(ws.next("shipped").get("data").asInt()).isEqualTo(2);
      JsonNode recovery = ws.next("recovery").get("data");
      assertThat(recovery.get("recovered").asBoolean()).isTrue();
      assertThat(recovery.at("/channels/" + channel + "/offset").asLong()).isEqualTo(position.get("offset").asLong() + 2);
      assertThat(ws.next("subscribed").at("/data/channel").asText()).isEqualTo(channel);
      ws.assertExhausted();
    }
  }

  @Test
  void aRecoveryPositionWithoutAValidTokenReplaysNothing() {
    String channel = "private-orders.507";
    server.post("/admin/websocket/send-to-channel", Map.of("channel", channel, "type", "secret", "data", 1));
    try (WsRecorder ws = server.connect("507")) {
      ws.send("subscribe", Map.of("channel", channel, "recover", true, "epoch", "x", "offset", 0,
          "token", subscriptionToken("999", channel, Duration.ofMinutes(5))));
      assertThat(ws.next("error").at("/data/code").asText()).isEqualTo("forbidden");
      ws.assertExhausted();
    }
  }
}
