package io.herald.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.PusherClient;
import io.herald.testing.PusherHttp;
import io.herald.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP API under /apps/{id}/ with requests signed as the SDKs sign them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PusherApiTest {
  static final String ID = "1001";
  static final String KEY = "app-key";
  static final String SECRET = "app-secret";

  TestServer server;
  PusherHttp api;

  @BeforeEach
  void start() {
    server = TestServer.start(Map.of("pusher.apps",
        "[{\"id\":\"" + ID + "\",\"key\":\"" + KEY + "\",\"secret\":\"" + SECRET + "\"},"
            + "{\"id\":\"2\",\"key\":\"k2\",\"secret\":\"s2\",\"enabled\":false}]",
        "pusher.max_event_bytes", "1KiB"));
    api = new PusherHttp(server, ID, KEY, SECRET);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return PusherClient.JSON.readTree(r.body());
  }

  @Test
  void phpShapedEventWithSingleChannelAndBodyMd5Answers200EmptyObject() {
    try (PusherClient c = PusherClient.connect(server, KEY)) {
      c.join("news", KEY, SECRET, null);
      HttpResponse<String> r = api.post("events", "{\"name\":\"App\\\\Events\\\\Posted\",\"data\":\"{\\\"a\\\":1}\",\"channel\":\"news\"}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
      assertThat(r.body()).isEqualTo("{}");
      c.next("App\\Events\\Posted");
    }
  }

  @Test
  void socketIdExcludesThatConnection() {
    try (PusherClient a = PusherClient.connect(server, KEY); PusherClient b = PusherClient.connect(server, KEY)) {
      a.join("news", KEY, SECRET, null);
      b.join("news", KEY, SECRET, null);
      assertThat(api.post("events", "{\"name\":\"e\",\"data\":\"1\",\"channels\":[\"news\"],\"socket_id\":\""
          + a.socketId + "\"}").statusCode()).isEqualTo(200);
      b.next("e");
      a.assertExhausted();
    }
  }

  @Test
  void infoAndChannelQueriesCountSubscriptionsAndDistinctUsers() throws Exception {
    try (PusherClient a = PusherClient.connect(server, KEY); PusherClient b = PusherClient.connect(server, KEY)) {
      a.join("presence-x", KEY, SECRET, "{\"user_id\":\"1\"}");
      b.join("presence-x", KEY, SECRET, "{\"user_id\":\"1\"}");
      a.join("news", KEY, SECRET, null);
      JsonNode info = json(api.post("events",
          "{\"name\":\"e\",\"data\":\"{}\",\"channels\":[\"presence-x\"],\"info\":\"user_count,subscription_count\"}"));
      assertThat(info.at("/channels/presence-x/user_count").asInt()).isEqualTo(1);
      assertThat(info.at("/channels/presence-x/subscription_count").asInt()).isEqualTo(2);
      JsonNode list = json(api.get("channels", Map.of()));
      assertThat(list.get("channels").has("news")).isTrue();
      assertThat(list.get("channels").has("presence-x")).isTrue();
      JsonNode presence = json(api.get("channels", Map.of("filter_by_prefix", "presence-", "info", "user_count")));
      assertThat(presence.at("/channels/presence-x/user_count").asInt()).isEqualTo(1);
      JsonNode one = json(api.get("channels/news", Map.of("info", "subscription_count")));
      assertThat(one.get("occupied").asBoolean()).isTrue();
      assertThat(one.get("subscription_count").asInt()).isEqualTo(1);
      assertThat(json(api.get("channels/empty", Map.of())).get("occupied").asBoolean()).isFalse();
      assertThat(api.get("channels", Map.of("info", "user_count")).statusCode()).isEqualTo(400);
      assertThat(api.get("channels/news/users", Map.of()).statusCode()).isEqualTo(400);
    }
  }

  @Test
  void batchEventsReachEachChannelAndRefuseMoreThanTen() {
    try (PusherClient c = PusherClient.connect(server, KEY)) {
      c.join("a", KEY, SECRET, null);
      c.join("b", KEY, SECRET, null);
      HttpResponse<String> r = api.post("batch_events",
          "{\"batch\":[{\"name\":\"one\",\"channel\":\"a\",\"data\":\"1\"},{\"name\":\"two\",\"channel\":\"b\",\"data\":\"2\"}]}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{}");
      c.next("one");
      c.next("two");
      String eleven = "{\"batch\":[" + "{\"name\":\"x\",\"channel\":\"a\",\"data\":\"1\"},".repeat(10)
          + "{\"name\":\"x\",\"channel\":\"a\",\"data\":\"1\"}]}";
      assertThat(api.post("batch_events", eleven).statusCode()).isEqualTo(400);
      c.assertExhausted();
    }
  }

  @Test
  void badRequestsGetTheirStatusAndAClearMessage() throws Exception {
    assertThat(api.post("events", "{\"name\":\"e\",\"channels\":[\"a\"],\"data\":\"" + "x".repeat(1100) + "\"}")
        .statusCode()).isEqualTo(413);
    assertThat(api.post("events", "{\"name\":\"e\",\"channels\":[\"bad name\"],\"data\":\"1\"}").statusCode()).isEqualTo(400);
    assertThat(api.post("events", "{\"name\":\"e\",\"data\":\"1\"}").statusCode()).isEqualTo(400);
    assertThat(api.post("events", "not json").statusCode()).isEqualTo(400);
    assertThat(api.post("events", "{\"name\":\"e\",\"channels\":[\"a\"],\"data\":\"1\",\"socket_id\":\"abc\"}")
        .statusCode()).isEqualTo(400);
    HttpResponse<String> forged = new PusherHttp(server, ID, KEY, "wrong-secret").post("events",
        "{\"name\":\"e\",\"channels\":[\"a\"],\"data\":\"1\"}");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(json(forged).get("error").asText()).contains("Invalid signature");
    PusherHttp stale = new PusherHttp(server, ID, KEY, SECRET);
    stale.timestamp -= 601;
    assertThat(json(stale.post("events", "{\"name\":\"e\",\"channels\":[\"a\"],\"data\":\"1\"}")).get("error").asText())
        .contains("auth_timestamp");
    assertThat(new PusherHttp(server, "404", KEY, SECRET).post("events", "{}").statusCode()).isEqualTo(404);
    assertThat(new PusherHttp(server, "2", "k2", "s2").post("events",
        "{\"name\":\"e\",\"channels\":[\"a\"],\"data\":\"1\"}").statusCode()).isEqualTo(403);
    String tampered = "/apps/" + ID + "/events?auth_key=" + KEY + "&auth_timestamp=" + (System.currentTimeMillis() / 1000)
        + "&auth_version=1.0&body_md5=00000000000000000000000000000000&auth_signature=00";
    assertThat(api.raw("POST", tampered, "{}").statusCode()).isEqualTo(401);
  }

  @Test
  void signatureCoversTheUnprefixedPathSoAPrefixingProxyStillWorks() {
    HttpResponse<String> r = api.send("POST", "events", Map.of(), "{\"name\":\"e\",\"channels\":[\"a\"],\"data\":\"1\"}",
        "/pusher");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }
}
