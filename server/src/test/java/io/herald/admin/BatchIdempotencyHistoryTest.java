package io.herald.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.hub.Delivery;
import io.herald.hub.UserId;
import io.herald.testing.TestServer;
import io.herald.testing.TestServer.Answer;
import io.herald.testing.WsRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SPEC §7 on one node: the batch endpoint, Idempotency-Key on POSTs, the history read. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchIdempotencyHistoryTest {
  static final String API = "/admin/websocket/";
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("api.max_batch", 8));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Answer keyed(String path, Object body, String key) {
    try {
      return server.call("POST", API + path, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body),
          Map.of("Authorization", "Bearer " + TestServer.API_KEY, "Idempotency-Key", key));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> item(String path, Object body) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("path", path);
    m.put("body", body);
    return m;
  }

  @Test
  void batchAnswersEveryRequestInOrderAndABadOneFailsAlone() {
    try (WsRecorder ws = server.connect("61")) {
      List<Object> requests = new ArrayList<>();
      requests.add(item("send-to-user", Map.of("user_id", 61, "type", "note", "data", Map.of("n", 1))));
      requests.add(item("send-to-user", Map.of("type", "note", "data", 2)));
      requests.add(item("no-such-endpoint", Map.of()));
      requests.add(item("send-to-channel", Map.of("channel", "bad name!", "type", "t", "data", 1)));
      requests.add(item("batch", Map.of("requests", List.of())));
      requests.add("not an object");
      requests.add(item("/admin/websocket/send-to-user", Map.of("user_id", "61", "type", "note", "data", Map.of("n", 2))));
      requests.add(item("online-count", null));
      Answer a = server.post(API + "batch", Map.of("requests", requests));
      assertThat(a.status()).as("%s", a.body()).isEqualTo(200);
      JsonNode responses = a.data().get("responses");
      List<Integer> codes = new ArrayList<>();
      responses.forEach(r -> codes.add(r.get("code").asInt()));
      assertThat(codes).containsExactly(200, 422, 404, 422, 422, 422, 200, 200);
      assertThat(responses.get(0).get("data").get("connections").asInt()).isEqualTo(1);
      assertThat(responses.get(1).get("message").asText()).contains("user_id");
      assertThat(responses.get(7).get("data").get("online_count").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(ws.next("note").get("data").get("n").asInt()).isEqualTo(1);
      assertThat(ws.next("note").get("data").get("n").asInt()).isEqualTo(2);
      ws.assertExhausted();
    }
  }

  @Test
  void batchBeyondTheLimitOrMalformedIs422() {
    List<Object> nine = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      nine.add(item("online-count", null));
    }
    Answer tooMany = server.post(API + "batch", Map.of("requests", nine));
    assertThat(tooMany.status()).isEqualTo(422);
    assertThat(tooMany.body().get("message").asText()).contains("api.max_batch");
    assertThat(server.post(API + "batch", Map.of("requests", List.of())).status()).isEqualTo(422);
    assertThat(server.post(API + "batch", Map.of("requests", "x")).status()).isEqualTo(422);
    assertThat(server.post(API + "batch", Map.of()).status()).isEqualTo(422);
  }

  @Test
  void theSameIdempotencyKeyAnswersTheFirstAnswerAndDeliversOnce() {
    try (WsRecorder ws = server.connect("62")) {
      Map<String, Object> body = Map.of("user_id", 62, "type", "paid", "data", Map.of("order", 7));
      Answer first = keyed("send-to-user", body, "order-7-paid");
      Answer again = keyed("send-to-user", body, "order-7-paid");
      assertThat(first.status()).isEqualTo(200);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.response().body()).isEqualTo(first.response().body());
      ws.next("paid");
      ws.assertExhausted();

      Answer other = keyed("broadcast", Map.of("type", "x", "data", 1), "order-7-paid");
      assertThat(other.status()).isEqualTo(422);
      assertThat(other.body().get("message").asText()).contains("Idempotency-Key");
      Answer tooLong = keyed("send-to-user", body, "k".repeat(129));
      assertThat(tooLong.status()).isEqualTo(400);
      ws.assertExhausted();
    }
  }

  @Test
  void theEmbeddedApiTakesAnIdempotencyKeyToo() throws Exception {
    try (WsRecorder ws = server.connect("63")) {
      Delivery d1 = server.server().service("java-63").sendToUser(UserId.of(63), "once", 1).toCompletableFuture().get(5, TimeUnit.SECONDS);
      Delivery d2 = server.server().service("java-63").sendToUser(UserId.of(63), "once", 1).toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(d2).isEqualTo(d1);
      ws.next("once");
      ws.assertExhausted();
    }
  }

  @Test
  void historyReadListsTheKeptMessagesWithOffsetsAndTheEpoch() {
    for (int n = 1; n <= 3; n++) {
      assertThat(server.post(API + "send-to-channel", Map.of("channel", "audit", "type", "t", "data", Map.of("n", n))).status()).isEqualTo(200);
    }
    Answer a = server.get(API + "history?channel=audit");
    assertThat(a.status()).as("%s", a.body()).isEqualTo(200);
    assertThat(a.data().get("epoch").asText()).isNotBlank();
    JsonNode messages = a.data().get("messages");
    assertThat(messages).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(messages.get(i).get("offset").asLong()).isEqualTo(i + 1);
      assertThat(messages.get(i).get("type").asText()).isEqualTo("t");
      assertThat(messages.get(i).get("channel").asText()).isEqualTo("audit");
      assertThat(messages.get(i).get("data").get("n").asInt()).isEqualTo(i + 1);
    }
    assertThat(server.post(API + "send-to-user", Map.of("user_id", 64, "type", "u", "data", 1)).status()).isEqualTo(200);
    JsonNode user = server.get(API + "history?user_id=64").data();
    assertThat(user.get("messages").get(0).get("stream").asText()).isEqualTo("user");
    assertThat(server.get(API + "history?all=1").status()).isEqualTo(200);
    assertThat(server.get(API + "history").status()).isEqualTo(422);
    assertThat(server.get(API + "history?channel=bad%20name").status()).isEqualTo(422);
  }
}
