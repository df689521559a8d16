package io.herald.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.TestServer;
import io.herald.testing.TestServer.Answer;
import io.herald.testing.WsRecorder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class AdminApiTest {
  static final String API = "/admin/websocket/";
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("api.max_body_bytes", 4096));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void assertEnvelope(Answer a, int status) {
    assertThat(a.status()).as("status of %s", a.body()).isEqualTo(status);
    assertThat(a.body().get("code").asInt()).isEqualTo(status);
    assertThat(a.body().has("message")).isTrue();
    assertThat(a.body().has("data")).isTrue();
    assertThat(a.response().headers().firstValue("content-type").orElse("")).startsWith("application/json");
    if (status == 200) {
      assertThat(a.body().get("message").asText()).isEqualTo("success");
    } else {
      assertThat(a.body().get("data").isNull()).isTrue();
      assertThat(a.body().get("message").asText()).isNotBlank();
    }
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  // ---- authentication and errors ----

  @Test
  void missingKeyIs401() {
    Answer a = server.call("GET", API + "online-count", null, Map.of());
    assertEnvelope(a, 401);
  }

  @Test
  void wrongKeyIs401() {
    assertEnvelope(server.call("GET", API + "online-count", null, Map.of("Authorization", "Bearer nope")), 401);
    assertEnvelope(server.call("GET", API + "online-count", null, Map.of("X-API-Key", "nope")), 401);
    assertEnvelope(server.call("GET", API + "online-count", null, Map.of("Authorization", TestServer.API_KEY)), 401);
  }

  @Test
  void xApiKeyHeaderIsAccepted() {
    assertEnvelope(server.call("GET", API + "online-count", null, Map.of("X-API-Key", TestServer.API_KEY)), 200);
  }

  @Test
  void unknownPathIs404() {
    assertEnvelope(server.get(API + "no-such-thing"), 404);
    assertEnvelope(server.get("/admin/other"), 404);
    assertEnvelope(server.get("/nothing-here"), 404);
  }

  // SPEC §3: without the key every path under /admin/ is 401, before 404 and 405, so that no
  // caller without it can map the endpoints.
  @Test
  void withoutTheKeyEveryAdminPathIs401BeforeAnything() {
    Map<String, String> wrongKey = Map.of("Authorization", "Bearer not-the-key");
    for (Map<String, String> headers : List.of(Map.<String, String>of(), wrongKey)) {
      assertEnvelope(server.call("GET", API + "no-such-thing", null, headers), 401);
      assertEnvelope(server.call("GET", "/admin/other", null, headers), 401);
      assertEnvelope(server.call("GET", "/admin", null, headers), 401);
      assertEnvelope(server.call("DELETE", API + "send-to-user", null, headers), 401);
      assertEnvelope(server.call("GET", API + "send-to-user", null, headers), 401);
      assertEnvelope(server.call("POST", API + "send-to-user", "{bad json", headers), 401);
      assertEnvelope(server.call("POST", API + "inspect", "{}", headers), 401);
    }
  }

  @Test
  void adminAllowlistAnswers403ToOtherAddressesWhateverTheKey() {
    try (TestServer s = TestServer.start(Map.of("api.allowed_addresses", "10.0.0.0/8, 192.0.2.1"))) {
      assertEnvelope(s.get(API + "online-count"), 403);
      assertEnvelope(s.call("GET", API + "no-such-thing", null, Map.of()), 403);
    }
    try (TestServer s = TestServer.start(Map.of("api.allowed_addresses", "127.0.0.0/8, ::1"))) {
      assertEnvelope(s.get(API + "online-count"), 200);
      assertEnvelope(s.call("GET", API + "online-count", null, Map.of()), 401);
    }
    try (TestServer s = TestServer.start(Map.of("api.allowed_addresses", "192.0.2.1", "trusted_proxies", "127.0.0.1"))) {
      assertEnvelope(s.call("GET", API + "online-count", null, Map.of("Authorization", "Bearer " + TestServer.API_KEY,
          "X-Forwarded-For", "192.0.2.1")), 200);
      assertEnvelope(s.call("GET", API + "online-count", null, Map.of("Authorization", "Bearer " + TestServer.API_KEY,
          "X-Forwarded-For", "192.0.2.2")), 403);
    }
  }

  @Test
  void oversizedBodyOnKeepAliveConnectionLeavesItUsable() {
    String big = "{\"user_id\":1,\"type\":\"x\",\"data\":\"" + "a".repeat(20_000) + "\"}";
    assertEnvelope(server.post(API + "send-to-user", big), 413);
    assertEnvelope(server.get(API + "online-count"), 200);
  }

  @Test
  void wrongMethodIs405WithAllowHeader() {
    Answer a = server.get(API + "send-to-user");
    assertEnvelope(a, 405);
    assertThat(a.response().headers().firstValue("allow")).hasValue("POST");
    Answer b = server.post(API + "online-count", Map.of());
    assertEnvelope(b, 405);
    assertThat(b.response().headers().firstValue("allow")).hasValue("GET");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{bad json", "", "[1,2]", "\"x\"", "{\"user_id\":1} trailing"})
  void malformedBodyIs400(String body) {
    assertEnvelope(server.post(API + "check-online", body), 400);
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = "{\"user_id\":1,\"type\":\"x\",\"data\":\"" + "a".repeat(5000) + "\"}";
    assertEnvelope(server.post(API + "send-to-user", big), 413);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "check-online|{}|user_id",
      "check-online|{\"user_id\":true}|user_id",
      "check-online|{\"user_id\":1.5}|user_id",
      "check-online|{\"user_id\":\"\"}|user_id",
      "send-to-user|{\"type\":\"t\",\"data\":{}}|user_id",
      "send-to-user|{\"user_id\":1,\"data\":{}}|type",
      "send-to-user|{\"user_id\":1,\"type\":5,\"data\":{}}|type",
      "send-to-user|{\"user_id\":1,\"type\":\"t\"}|data",
      "send-to-users|{\"user_ids\":[],\"type\":\"t\",\"data\":{}}|user_ids",
      "send-to-users|{\"user_ids\":5,\"type\":\"t\",\"data\":{}}|user_ids",
      "send-to-users|{\"user_ids\":[1,{}],\"type\":\"t\",\"data\":{}}|user_ids[1]",
      "broadcast|{\"data\":{}}|type",
      "broadcast|{\"type\":\"t\",\"data\":{},\"exclude_user_id\":[1]}|exclude_user_id",
      "broadcast|{\"type\":\"t\",\"data\":{},\"exclude_user_ids\":\"1\"}|exclude_user_ids",
      "send-to-channel|{\"type\":\"t\",\"data\":{}}|channel",
      "send-to-channel|{\"channel\":\"bad name\",\"type\":\"t\",\"data\":{}}|channel",
      "send-notification|{\"message\":\"m\"}|title",
      "send-notification|{\"title\":\"t\"}|message",
      "send-notification|{\"title\":\"t\",\"message\":\"m\",\"type\":3}|type",
      "send-notification-to-users|{\"title\":\"t\",\"message\":\"m\"}|user_ids",
      "push-data-update|{\"user_ids\":[1],\"action\":\"a\",\"data\":{}}|resource_type",
      "push-data-update|{\"user_ids\":[1],\"resource_type\":\"r\",\"data\":{}}|action",
      "push-data-update|{\"user_ids\":[1],\"resource_type\":\"r\",\"action\":\"a\"}|data",
      "push-data-update-channel|{\"channel\":\"c\",\"resource_type\":\"r\",\"action\":\"a\"}|data",
      "push-data-update-channel|{\"resource_type\":\"r\",\"action\":\"a\",\"data\":{}}|channel",
      "disconnect-user|{}|user_id"})
  void missingOrIllTypedFieldIs422NamingTheField(String endpoint, String body, String field) {
    Answer a = server.post(API + endpoint, body);
    assertEnvelope(a, 422);
    assertThat(a.body().get("message").asText()).startsWith(field);
  }

  // ---- presence ----

  @Test
  void presenceEndpointsSeeConnectedUsers() {
    try (WsRecorder u1 = server.connect("9001"); WsRecorder u1b = server.connect("9001");
         WsRecorder u2 = server.connect("zed"); WsRecorder u3 = server.connect("900")) {
      Answer count = server.get(API + "online-count");
      assertEnvelope(count, 200);
      assertThat(count.data().get("online_count").asInt()).isGreaterThanOrEqualTo(3);

      Answer users = server.get(API + "online-users");
      assertEnvelope(users, 200);
      List<String> ids = new ArrayList<>();
      users.data().get("user_ids").forEach(n -> ids.add(n.isNumber() ? "#" + n.asText() : n.asText()));
      assertThat(ids).contains("#9001", "#900", "zed").doesNotHaveDuplicates();
      assertThat(ids.indexOf("#900")).isLessThan(ids.indexOf("#9001"));
      assertThat(ids.indexOf("#9001")).isLessThan(ids.indexOf("zed"));
      assertThat(users.data().get("count").asInt()).isEqualTo(ids.size());

      Answer online = server.post(API + "check-online", Map.of("user_id", "9001"));
      assertEnvelope(online, 200);
      assertThat(online.data().get("user_id").isNumber()).isTrue();
      assertThat(online.data().get("user_id").asLong()).isEqualTo(9001);
      assertThat(online.data().get("is_online").asBoolean()).isTrue();
      Answer offline = server.post(API + "check-online", Map.of("user_id", 123456));
      assertThat(offline.data().get("is_online").asBoolean()).isFalse();
    }
  }

  @Test
  void onlineUsersPagesWithCursorAndLimit() {
    try (WsRecorder u1 = server.connect("9301"); WsRecorder u2 = server.connect("9302");
         WsRecorder u3 = server.connect("p-9303"); WsRecorder u4 = server.connect("p-9304"); WsRecorder u5 = server.connect("9305")) {
      org.awaitility.Awaitility.await().until(() -> server.get(API + "online-users").data().get("user_ids").toString()
          .contains("9305"));
      List<String> seen = new ArrayList<>();
      String cursor = "0";
      int pages = 0;
      do {
        Answer page = server.get(API + "online-users?limit=2&cursor=" + cursor);
        assertEnvelope(page, 200);
        JsonNode ids = page.data().get("user_ids");
        assertThat(ids.size()).isLessThanOrEqualTo(2);
        assertThat(page.data().get("count").asInt()).isEqualTo(ids.size());
        assertThat(page.data().has("next_cursor")).isTrue();
        ids.forEach(n -> seen.add(n.asText()));
        cursor = page.data().get("next_cursor").isNull() ? null : page.data().get("next_cursor").asText();
        pages++;
      } while (cursor != null && pages < 1000);
      assertThat(seen).contains("9301", "9302", "p-9303", "p-9304", "9305").doesNotHaveDuplicates();
      assertThat(pages).isGreaterThanOrEqualTo(3);
      assertThat(server.get(API + "online-users?limit=3").data().get("user_ids").size()).isEqualTo(3);
      assertThat(server.get(API + "online-users").data().has("next_cursor")).as("the seed's shape by default").isFalse();
    }
    for (String bad : List.of("limit=0", "limit=abc", "limit=100000000", "cursor=x", "cursor=-1")) {
      Answer a = server.get(API + "online-users?" + bad);
      assertEnvelope(a, 400);
    }
  }

  @Test
  void userGoesOfflineWhenTheLastConnectionCloses() {
    WsRecorder a = server.connect("9100");
    WsRecorder b = server.connect("9100");
    a.close();
    org.awaitility.Awaitility.await().until(() -> server.server().hub().connectionCount() > 0
        && server.post(API + "check-online", Map.of("user_id", 9100)).data().get("is_online").asBoolean());
    b.close();
    org.awaitility.Awaitility.await().until(() ->
        !server.post(API + "check-online", Map.of("user_id", 9100)).data().get("is_online").asBoolean());
  }

  // ---- pushes ----

  @Test
  void sendToUserReachesEveryConnectionOfThatUserOnly() {
    try (WsRecorder tab1 = server.connect("1"); WsRecorder tab2 = server.connect("1"); WsRecorder other = server.connect("2")) {
      Answer a = server.post(API + "send-to-user", Map.of("user_id", 1, "type", "notification",
          "data", Map.of("title", "新消息", "message", "您有一条新消息")));
      assertEnvelope(a, 200);
      assertThat(a.data().get("users").asInt()).isEqualTo(1);
      assertThat(a.data().get("connections").asInt()).isEqualTo(2);
      for (WsRecorder ws : List.of(tab1, tab2)) {
        JsonNode m = ws.next("notification");
        assertThat(m.get("data").get("title").asText()).isEqualTo("新消息");
        assertThat(m.has("channel")).isFalse();
      }
      other.assertExhausted();
    }
  }

  @Test
  void sendToOfflineUserSucceedsReachingNobody() {
    Answer a = server.post(API + "send-to-user", Map.of("user_id", "ghost", "type", "x", "data", Map.of()));
    assertEnvelope(a, 200);
    assertThat(a.data().get("connections").asInt()).isZero();
  }

  @Test
  void sendToUsersReachesEachOnce() {
    try (WsRecorder a = server.connect("11"); WsRecorder b = server.connect("bee"); WsRecorder c = server.connect("13")) {
      Answer r = server.post(API + "send-to-users", Map.of("user_ids", List.of(11, "bee", "11", 999), "type", "t", "data", Map.of("n", 1)));
      assertEnvelope(r, 200);
      assertThat(r.data().get("users").asInt()).isEqualTo(2);
      a.next("t");
      b.next("t");
      a.assertExhausted();
      c.assertExhausted();
    }
  }

  @Test
  void broadcastExcludesTheGivenUsers() {
    try (WsRecorder a = server.connect("21"); WsRecorder b = server.connect("22"); WsRecorder c = server.connect("23")) {
      assertEnvelope(server.post(API + "broadcast", Map.of("type", "announce", "data", Map.of("m", "hi"), "exclude_user_id", 21)), 200);
      b.next("announce");
      c.next("announce");
      a.assertExhausted();
      assertEnvelope(server.post(API + "broadcast", Map.of("type", "announce2", "data", "x", "exclude_user_ids", List.of(22, "23"))), 200);
      a.next("announce2");
      b.assertExhausted();
      c.assertExhausted();
    }
  }

  @Test
  void sendToChannelReachesSubscribersOnly() {
    try (WsRecorder sub = server.connect("31"); WsRecorder not = server.connect("32")) {
      sub.send("subscribe", Map.of("channel", "system_monitor"));
      sub.next("subscribed");
      Answer a = server.post(API + "send-to-channel", Map.of("channel", "system_monitor", "type", "monitor",
          "data", Map.of("cpu_usage", 75)));
      assertEnvelope(a, 200);
      assertThat(a.data().get("connections").asInt()).isEqualTo(1);
      JsonNode m = sub.next("monitor");
      assertThat(m.get("channel").asText()).isEqualTo("system_monitor");
      assertThat(m.get("data").get("cpu_usage").asInt()).isEqualTo(75);
      not.assertExhausted();
    }
  }

  @Test
  void sendNotificationReachesEveryoneWithDefaults() {
    try (WsRecorder a = server.connect("41"); WsRecorder b = server.connect("42")) {
      assertEnvelope(server.post(API + "send-notification", Map.of("title", "系统维护", "message", "今晚维护")), 200);
      for (WsRecorder ws : List.of(a, b)) {
        JsonNode d = ws.next("notification").get("data");
        assertThat(d.get("title").asText()).isEqualTo("系统维护");
        assertThat(d.get("message").asText()).isEqualTo("今晚维护");
        assertThat(d.get("type").asText()).isEqualTo("info");
        assertThat(d.get("timestamp").asLong()).isBetween(now() - 5, now() + 5);
        assertThat(d.has("extra_data")).isFalse();
      }
      assertEnvelope(server.post(API + "send-notification", Map.of("title", "t", "message", "m", "type", "warning",
          "extra_data", Map.of("start_time", "23:00"))), 200);
      JsonNode d = a.next("notification").get("data");
      assertThat(d.get("type").asText()).isEqualTo("warning");
      assertThat(d.get("extra_data").get("start_time").asText()).isEqualTo("23:00");
      b.next("notification");
    }
  }

  @Test
  void sendNotificationToUsersReachesOnlyThem() {
    try (WsRecorder a = server.connect("51"); WsRecorder b = server.connect("52")) {
      assertEnvelope(server.post(API + "send-notification-to-users",
          Map.of("user_ids", List.of(51), "title", "订单更新", "message", "您的订单已发货", "type", "success")), 200);
      JsonNode d = a.next("notification").get("data");
      assertThat(d.get("type").asText()).isEqualTo("success");
      assertThat(d.get("title").asText()).isEqualTo("订单更新");
      b.assertExhausted();
    }
  }

  @Test
  void pushDataUpdateReachesTheUsers() {
    try (WsRecorder a = server.connect("61")) {
      assertEnvelope(server.post(API + "push-data-update", Map.of("user_ids", List.of(61), "resource_type", "order",
          "action", "update", "data", Map.of("id", 123, "status", "shipped"))), 200);
      JsonNode d = a.next("data_update").get("data");
      assertThat(d.get("resource_type").asText()).isEqualTo("order");
      assertThat(d.get("action").asText()).isEqualTo("update");
      assertThat(d.get("data").get("status").asText()).isEqualTo("shipped");
      assertThat(d.get("timestamp").asLong()).isBetween(now() - 5, now() + 5);
    }
  }

  @Test
  void pushDataUpdateToChannelCarriesTheChannel() {
    try (WsRecorder a = server.connect("71")) {
      a.send("subscribe", Map.of("channel", "orders"));
      a.next("subscribed");
      assertEnvelope(server.post(API + "push-data-update-channel", Map.of("channel", "orders", "resource_type", "order",
          "action", "create", "data", Map.of("id", 124, "customer", "张三", "amount", 100.00))), 200);
      JsonNode m = a.next("data_update");
      assertThat(m.get("channel").asText()).isEqualTo("orders");
      assertThat(m.get("data").get("action").asText()).isEqualTo("create");
      assertThat(m.get("data").get("data").get("customer").asText()).isEqualTo("张三");
    }
  }

  @Test
  void disconnectUserClosesEveryConnectionWith4002() {
    try (WsRecorder t1 = server.connect("81"); WsRecorder t2 = server.connect("81"); WsRecorder other = server.connect("82")) {
      Answer a = server.post(API + "disconnect-user", Map.of("user_id", "81"));
      assertEnvelope(a, 200);
      assertThat(a.data().get("connections").asInt()).isEqualTo(2);
      t1.expectCloseOnly(4002);
      t2.expectCloseOnly(4002);
      other.assertExhausted();
      org.awaitility.Awaitility.await().until(() ->
          !server.post(API + "check-online", Map.of("user_id", 81)).data().get("is_online").asBoolean());
    }
  }

  @Test
  void separateAdminPortServesTheApiAndTheMainPortDoesNot() throws Exception {
    int free;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      free = probe.getLocalPort();
    }
    try (TestServer s = TestServer.start(Map.of("api.port", free))) {
      assertThat(s.server().apiPort()).isEqualTo(free).isNotEqualTo(s.port());
      assertEnvelope(s.get(API + "online-count"), 200);
      java.net.http.HttpResponse<String> main = s.http().send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + s.port() + API + "online-count"))
          .header("Authorization", "Bearer " + TestServer.API_KEY).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(main.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void healthAndMetricsAreServed() {
    Answer health = server.call("GET", "/health", null, Map.of());
    assertEnvelope(health, 200);
    assertThat(health.data().get("status").asText()).isEqualTo("up");
    Answer metrics = server.call("GET", "/metrics", null, Map.of());
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.response().body()).contains("herald_connections").contains("jvm_memory_used_bytes");
  }
}
