package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every SPEC §2–§3 behaviour across three nodes on one Redis: whichever node takes the call, the
 * effect is the same, and each connection gets each message once. To prove "once", a test sends
 * a marker after the message by the same path and checks the marker comes next.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterDeliveryTest {
  static TestCluster cluster;
  static TestServer a;
  static TestServer b;
  static TestServer c;

  @BeforeAll
  static void start() {
    begin(TestCluster.start(3));
  }

  static void begin(TestCluster started) {
    cluster = started;
    a = cluster.node(0);
    b = cluster.node(1);
    c = cluster.node(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static void ok(TestServer.Answer answer) {
    assertThat(answer.status()).as("admin answer %s", answer.body()).isEqualTo(200);
  }

  @Test
  void aChannelsHistoryIsOneNumberingReadableOnEveryNode() {
    for (String channel : List.of("hist-a", "hist-b", "hist-c", "hist-d", "hist-e")) {
      ok(a.post("/admin/websocket/send-to-channel", Map.of("channel", channel, "type", "t", "data", Map.of("n", 1))));
      ok(c.post("/admin/websocket/send-to-channel", Map.of("channel", channel, "type", "t", "data", Map.of("n", 2))));
      ok(a.post("/admin/websocket/send-to-channel", Map.of("channel", channel, "type", "t", "data", Map.of("n", 3))));
      TestServer.Answer read = b.get("/admin/websocket/history?channel=" + channel);
      ok(read);
      assertThat(read.data().get("offset").asLong()).as(channel).isEqualTo(3);
      JsonNode messages = read.data().get("messages");
      assertThat(messages).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(messages.get(i).get("offset").asLong()).isEqualTo(i + 1);
        assertThat(messages.get(i).get("data").get("n").asInt()).isEqualTo(i + 1);
        assertThat(messages.get(i).get("channel").asText()).isEqualTo(channel);
      }
    }
  }

  @Test
  void anIdempotencyKeyRepeatedOnAnotherNodeDeliversOnce() {
    try (WsRecorder ws = c.connect("1501")) {
      cluster.awaitUserOn("1501", "node-2");
      String body = "{\"user_id\":1501,\"type\":\"note\",\"data\":{\"n\":1}}";
      Map<String, String> headers = Map.of("Authorization", "Bearer " + TestServer.API_KEY, "Idempotency-Key", "once-1501");
      TestServer.Answer first = a.call("POST", "/admin/websocket/send-to-user", body, headers);
      TestServer.Answer again = b.call("POST", "/admin/websocket/send-to-user", body, headers);
      ok(first);
      ok(again);
      assertThat(again.response().body()).isEqualTo(first.response().body());
      ok(a.post("/admin/websocket/send-to-user", Map.of("user_id", 1501, "type", "marker", "data", 0)));
      assertThat(ws.next("note").get("data").get("n").asInt()).isEqualTo(1);
      ws.next("marker");
      ws.assertExhausted();
    }
  }

  @Test
  void sendToUserReachesEveryConnectionOnEveryNode() {
    try (WsRecorder onB = b.connect("1001"); WsRecorder onC = c.connect("1001"); WsRecorder onC2 = c.connect("1001")) {
      cluster.awaitUserOn("1001", "node-1", "node-2");
      ok(a.post("/admin/websocket/send-to-user", Map.of("user_id", 1001, "type", "order", "data", Map.of("id", 7))));
      ok(a.post("/admin/websocket/send-to-user", Map.of("user_id", "1001", "type", "marker", "data", 0)));
      for (WsRecorder ws : List.of(onB, onC, onC2)) {
        JsonNode m = ws.next("order");
        assertThat(m.get("data").get("id").asInt()).isEqualTo(7);
        ws.next("marker");
        ws.assertExhausted();
      }
    }
  }

  @Test
  void sendToUsersReachesUsersSpreadOverNodes() {
    try (WsRecorder u1 = a.connect("1101"); WsRecorder u2 = b.connect("1102"); WsRecorder u3 = c.connect("u-1103")) {
      cluster.awaitUserOn("1101", "node-0");
      cluster.awaitUserOn("1102", "node-1");
      cluster.awaitUserOn("u-1103", "node-2");
      ok(b.post("/admin/websocket/send-to-users",
          Map.of("user_ids", List.of(1101, 1102, "u-1103", 9999), "type", "news", "data", "hello")));
      ok(b.post("/admin/websocket/send-to-users", Map.of("user_ids", List.of(1101, 1102, "u-1103"), "type", "marker", "data", 0)));
      for (WsRecorder ws : List.of(u1, u2, u3)) {
        assertThat(ws.next("news").get("data").asText()).isEqualTo("hello");
        ws.next("marker");
        ws.assertExhausted();
      }
    }
  }

  @Test
  void channelMessageReachesSubscribersOnOtherNodesOnly() {
    try (WsRecorder onB = b.connect("1201"); WsRecorder onC = c.connect("1202"); WsRecorder idle = a.connect("1203")) {
      for (WsRecorder ws : List.of(onB, onC)) {
        ws.send("subscribe", Map.of("channel", "orders"));
        ws.next("subscribed");
      }
      cluster.awaitChannelSubscribers("orders", 2); // b and c; a has no subscriber and gets no traffic
      ok(a.post("/admin/websocket/send-to-channel", Map.of("channel", "orders", "type", "order_created", "data", Map.of("n", 1))));
      ok(a.post("/admin/websocket/push-data-update-channel",
          Map.of("channel", "orders", "resource_type", "order", "action", "update", "data", Map.of("n", 2))));
      for (WsRecorder ws : List.of(onB, onC)) {
        JsonNode m = ws.next("order_created");
        assertThat(m.get("channel").asText()).isEqualTo("orders");
        JsonNode update = ws.next("data_update");
        assertThat(update.get("channel").asText()).isEqualTo("orders");
        assertThat(update.get("data").get("resource_type").asText()).isEqualTo("order");
        assertThat(update.get("data").get("action").asText()).isEqualTo("update");
        assertThat(update.get("data").get("data").get("n").asInt()).isEqualTo(2);
        ws.assertExhausted();
      }
      idle.assertExhausted();
      onB.send("unsubscribe", Map.of("channel", "orders"));
      onB.next("unsubscribed");
      cluster.awaitChannelSubscribers("orders", 1);
    }
    cluster.awaitChannelSubscribers("orders", 0);
  }

  @Test
  void broadcastReachesEveryNodeExceptExcludedUsers() {
    try (WsRecorder u1 = a.connect("1301"); WsRecorder u2 = b.connect("1302"); WsRecorder u3 = c.connect("1303")) {
      cluster.awaitUserOn("1303", "node-2");
      ok(b.post("/admin/websocket/broadcast", Map.of("type", "sale", "data", "50%", "exclude_user_ids", List.of(1303))));
      ok(b.post("/admin/websocket/broadcast", Map.of("type", "marker", "data", 0)));
      for (WsRecorder ws : List.of(u1, u2)) {
        assertThat(ws.next("sale").get("data").asText()).isEqualTo("50%");
        ws.next("marker");
        ws.assertExhausted();
      }
      u3.next("marker");
      u3.assertExhausted();
    }
  }

  @Test
  void notificationsReachAllOrChosenUsersOnEveryNode() {
    try (WsRecorder u1 = a.connect("1401"); WsRecorder u2 = b.connect("1402"); WsRecorder u3 = c.connect("1403")) {
      cluster.awaitUserOn("1403", "node-2");
      cluster.awaitUserOn("1402", "node-1");
      ok(c.post("/admin/websocket/send-notification", Map.of("title", "Maintenance", "message", "at noon")));
      for (WsRecorder ws : List.of(u1, u2, u3)) {
        JsonNode n = ws.next("notification").get("data");
        assertThat(n.get("title").asText()).isEqualTo("Maintenance");
        assertThat(n.get("type").asText()).isEqualTo("info");
      }
      ok(a.post("/admin/websocket/send-notification-to-users",
          Map.of("user_ids", List.of(1402, 1403), "title", "Hi", "message", "you two", "type", "warning")));
      ok(a.post("/admin/websocket/push-data-update",
          Map.of("user_ids", List.of(1402), "resource_type", "invoice", "action", "create", "data", Map.of("id", 5))));
      assertThat(u2.next("notification").get("data").get("type").asText()).isEqualTo("warning");
      assertThat(u3.next("notification").get("data").get("message").asText()).isEqualTo("you two");
      JsonNode update = u2.next("data_update").get("data");
      assertThat(update.get("resource_type").asText()).isEqualTo("invoice");
      assertThat(update.get("data").get("id").asInt()).isEqualTo(5);
      for (WsRecorder ws : List.of(u1, u2, u3)) {
        ws.assertExhausted();
      }
    }
  }

  @Test
  void chatBetweenUsersOnDifferentNodes() {
    try (WsRecorder alice = a.connect("alice-15"); WsRecorder bob = c.connect("1502")) {
      cluster.awaitUserOn("1502", "node-2");
      cluster.awaitUserOn("alice-15", "node-0");
      alice.send("chat", Map.of("to_user_id", 1502, "content", "hi from a"));
      JsonNode chat = bob.next("chat").get("data");
      assertThat(chat.get("from_user_id").asText()).isEqualTo("alice-15");
      assertThat(chat.get("to_user_id").asLong()).isEqualTo(1502);
      assertThat(chat.get("content").asText()).isEqualTo("hi from a");
      bob.send("chat", Map.of("to_user_id", "alice-15", "content", "hi from c"));
      assertThat(alice.next("chat").get("data").get("from_user_id").asLong()).isEqualTo(1502);
      alice.assertExhausted();
      bob.assertExhausted();
    }
  }

  @Test
  void clientBroadcastReachesUsersOnEveryNodeOnce() {
    try (WsRecorder u1 = a.connect("1601"); WsRecorder u2 = b.connect("1602"); WsRecorder u3 = c.connect("1603")) {
      cluster.awaitUserOn("1603", "node-2");
      u1.send("broadcast", Map.of("message", "hello all"));
      for (WsRecorder ws : List.of(u1, u2, u3)) {
        JsonNode m = ws.next("broadcast").get("data");
        assertThat(m.get("from_user_id").asLong()).isEqualTo(1601);
        assertThat(m.get("message").asText()).isEqualTo("hello all");
      }
      u1.send("broadcast", Map.of("message", "marker"));
      for (WsRecorder ws : List.of(u1, u2, u3)) {
        assertThat(ws.next("broadcast").get("data").get("message").asText()).isEqualTo("marker");
        ws.assertExhausted();
      }
    }
  }

  @Test
  void disconnectUserClosesItsConnectionsOnEveryNodeWith4002() {
    try (WsRecorder onA = a.connect("1701"); WsRecorder onB = b.connect("1701"); WsRecorder onC = c.connect("1701");
         WsRecorder bystander = b.connect("1702")) {
      cluster.awaitUserOn("1701", "node-0", "node-1", "node-2");
      ok(b.post("/admin/websocket/disconnect-user", Map.of("user_id", 1701)));
      for (WsRecorder ws : List.of(onA, onB, onC)) {
        ws.expectClose(4002);
      }
      bystander.assertExhausted();
      await().atMost(Duration.ofSeconds(5)).until(() ->
          !c.post("/admin/websocket/check-online", Map.of("user_id", 1701)).data().get("is_online").asBoolean());
    }
  }

  @Test
  void presenceQueriesAnswerForTheWholeCluster() {
    try (WsRecorder u1 = a.connect("1801"); WsRecorder u1b = b.connect("1801"); WsRecorder u2 = b.connect("u-1802");
         WsRecorder u3 = c.connect("1803")) {
      cluster.awaitUserOn("1801", "node-0", "node-1");
      cluster.awaitUserOn("u-1802", "node-1");
      cluster.awaitUserOn("1803", "node-2");
      for (TestServer node : List.of(a, b, c)) {
        await().atMost(Duration.ofSeconds(5)).until(() ->
            node.get("/admin/websocket/online-count").data().get("online_count").asLong() == 3);
        JsonNode list = node.get("/admin/websocket/online-users").data();
        assertThat(list.get("count").asInt()).isEqualTo(3);
        assertThat(list.get("user_ids").toString()).isEqualTo("[1801,1803,\"u-1802\"]");
        JsonNode check = node.post("/admin/websocket/check-online", Map.of("user_id", "1803")).data();
        assertThat(check.get("is_online").asBoolean()).isTrue();
        assertThat(check.get("user_id").isNumber()).isTrue();
        assertThat(node.post("/admin/websocket/check-online", Map.of("user_id", 1899)).data().get("is_online").asBoolean())
            .isFalse();
      }
      u1.close();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> cluster.awaitUserOn("1801", "node-1"));
      assertThat(c.post("/admin/websocket/check-online", Map.of("user_id", 1801)).data().get("is_online").asBoolean())
          .as("still connected on b").isTrue();
    }
  }

  @Test
  void healthReportsRedis() {
    JsonNode health = a.get("/health").body();
    JsonNode broker = health.has("data") ? health.get("data").get("broker") : health.get("broker");
    assertThat(broker.get("kind").asText()).isEqualTo("redis");
    assertThat(broker.get("healthy").asBoolean()).isTrue();
    assertThat(broker.get("state").asText()).isEqualTo("connected");
    assertThat(broker.get("address").asText()).isEqualTo(cluster.redisAddress());
  }
}
