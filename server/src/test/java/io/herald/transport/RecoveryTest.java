package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SPEC §7 on the wire, one node: positions on the URL and in subscribe, recovery frames, bad positions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryTest {
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private WsRecorder connect(String user, String extra) {
    WsRecorder ws = server.connectRaw("user_id=" + user + "&token=" + TestServer.enc(Tokens.hs256(user)) + extra);
    ws.connected();
    return ws;
  }

  private void post(String path, Map<String, Object> body) {
    assertThat(server.post("/admin/websocket/" + path, body).status()).isEqualTo(200);
  }

  @Test
  void aReconnectWithPositionsGetsWhatItMissedThenTheRecoveryFrame() {
    JsonNode start;
    try (WsRecorder ws = connect("71", "&recover=1")) {
      start = ws.next("recovery").get("data");
      assertThat(start.get("recovered").asBoolean()).isTrue();
      assertThat(start.at("/streams/user/offset").asLong()).isZero();
    }
    post("send-to-user", Map.of("user_id", 71, "type", "note", "data", Map.of("n", 1)));
    post("send-to-user", Map.of("user_id", 71, "type", "note", "data", Map.of("n", 2)));
    post("broadcast", Map.of("type", "news", "data", Map.of("n", 3)));
    post("broadcast", Map.of("type", "hidden", "data", 4, "exclude_user_id", 71));
    String positions = "&recover=1&user_epoch=" + start.at("/streams/user/epoch").asText() + "&user_offset=0"
        + "&all_epoch=" + start.at("/streams/all/epoch").asText() + "&all_offset=" + start.at("/streams/all/offset").asLong();
    try (WsRecorder ws = connect("71", positions)) {
      JsonNode one = ws.next("note");
      assertThat(one.get("stream").asText()).isEqualTo("user");
      assertThat(one.get("offset").asLong()).isEqualTo(1);
      assertThat(one.get("epoch").asText()).isEqualTo(start.at("/streams/user/epoch").asText());
      assertThat(ws.next("note").get("offset").asLong()).isEqualTo(2);
      assertThat(ws.next("news").get("stream").asText()).isEqualTo("all");
      JsonNode recovery = ws.next("recovery");
      assertThat(recovery.has("offset")).as("control frames carry no position").isFalse();
      assertThat(recovery.at("/data/recovered").asBoolean()).isTrue();
      assertThat(recovery.at("/data/streams/user/offset").asLong()).isEqualTo(2);
      ws.assertExhausted();
    }
  }

  @Test
  void aChannelRecoversFromThePositionInSubscribe() {
    JsonNode position;
    try (WsRecorder ws = connect("72", "")) {
      ws.send("subscribe", Map.of("channel", "orders", "recover", true));
      position = ws.next("recovery").at("/data/channels/orders");
      assertThat(ws.next("subscribed").get("data")).isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper()
          .createObjectNode().put("channel", "orders"));
      post("send-to-channel", Map.of("channel", "orders", "type", "o", "data", 1));
      assertThat(ws.next("o").get("offset").asLong()).isEqualTo(position.get("offset").asLong() + 1);
    }
    post("send-to-channel", Map.of("channel", "orders", "type", "o", "data", 2));
    post("send-to-channel", Map.of("channel", "orders", "type", "o", "data", 3));
    try (WsRecorder ws = connect("72", "")) {
      ws.send("subscribe", Map.of("channel", "orders", "epoch", position.get("epoch").asText(),
          "offset", position.get("offset").asLong() + 1));
      assertThat(ws.next("o").get("data").asInt()).isEqualTo(2);
      assertThat(ws.next("o").get("data").asInt()).isEqualTo(3);
      JsonNode recovery = ws.next("recovery").get("data");
      assertThat(recovery.get("recovered").asBoolean()).isTrue();
      assertThat(recovery.at("/channels/orders/offset").asLong()).isEqualTo(position.get("offset").asLong() + 3);
      ws.next("subscribed");
      ws.assertExhausted();
    }
  }

  @Test
  void garbageOrFuturePositionsAnswerRecoveredFalseAndKeepTheConnection() {
    try (WsRecorder ws = connect("73", "&recover=1&user_epoch=%7Bbad%7D&user_offset=abc")) {
      JsonNode data = ws.next("recovery").get("data");
      assertThat(data.get("recovered").asBoolean()).isFalse();
      assertThat(data.at("/streams/user/recovered").asBoolean()).isFalse();
      assertThat(data.at("/streams/all/recovered").asBoolean()).isTrue();
      String epoch = data.at("/streams/user/epoch").asText();
      ws.close();
      try (WsRecorder again = connect("73", "&recover=1&user_epoch=" + epoch + "&user_offset=999")) {
        assertThat(again.next("recovery").at("/data/streams/user/recovered").asBoolean()).isFalse();
        again.assertExhausted();
      }
    }
  }

  @Test
  void aMalformedSubscribePositionIsAnErrorNamingTheField() {
    try (WsRecorder ws = connect("74", "")) {
      ws.send("subscribe", Map.of("channel", "orders", "epoch", 5, "offset", 1));
      JsonNode error = ws.next("error").get("data");
      assertThat(error.get("code").asText()).isEqualTo("invalid_field");
      assertThat(error.get("message").asText()).contains("data.epoch");
      assertThat(error.get("channel").asText()).isEqualTo("orders");
      ws.send("subscribe", Map.of("channel", "orders", "epoch", "abc", "offset", -1));
      assertThat(ws.next("error").at("/data/message").asText()).contains("data.offset");
      ws.assertExhausted();
    }
  }

  @Test
  void aPrivateChannelIsNotReplayedToWhoMayNotJoinIt() {
    post("send-to-channel", Map.of("channel", "private-team", "type", "secret", "data", 1));
    try (WsRecorder ws = connect("75", "")) {
      ws.send("subscribe", Map.of("channel", "private-team", "recover", true, "epoch", "x", "offset", 0));
      assertThat(ws.next("error").at("/data/code").asText()).isEqualTo("forbidden");
      ws.assertExhausted();
    }
  }

  @Test
  void withHistoryOffFramesCarryNoPositionAndRecoveryIsNeverPromised() {
    try (TestServer off = TestServer.start(Map.of("history.enabled", false))) {
      WsRecorder ws = off.connectRaw("user_id=76&token=" + TestServer.enc(Tokens.hs256("76")) + "&recover=1");
      ws.connected();
      JsonNode recovery = ws.next("recovery").get("data");
      assertThat(recovery.get("recovered").asBoolean()).isFalse();
      assertThat(recovery.at("/streams/user/epoch").isNull()).isTrue();
      assertThat(off.post("/admin/websocket/send-to-user", Map.of("user_id", 76, "type", "plain", "data", 1)).status()).isEqualTo(200);
      JsonNode plain = ws.next("plain");
      assertThat(plain.has("offset")).isFalse();
      assertThat(plain.has("epoch")).isFalse();
      ws.send("subscribe", Map.of("channel", "orders", "recover", true));
      ws.next("subscribed");
      ws.assertExhausted();
      ws.close();
    }
  }

  @Test
  void aRecoverFrameTellsWhereTheStreamsStandWithoutReplaying() {
    post("send-to-user", Map.of("user_id", 77, "type", "before", "data", 1));
    try (WsRecorder ws = connect("77", "")) {
      ws.send("recover", Map.of());
      JsonNode data = ws.next("recovery").get("data");
      assertThat(data.get("recovered").asBoolean()).isTrue();
      assertThat(data.at("/streams/user/offset").asLong()).isEqualTo(1);
      ws.assertExhausted();
    }
  }
}
