package io.herald.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.SseRecorder;
import io.herald.testing.TestServer;
import io.herald.testing.TestServer.Answer;
import io.herald.testing.WsRecorder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's endpoints on one node: stats, nodes, channels, users, and the inspector stream. */
@Timeout(90)
class DashboardApiTest {
  static final String API = "/admin/websocket/";
  static final Map<String, String> KEY = Map.of("Authorization", "Bearer " + TestServer.API_KEY);
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("dashboard.inspector_watchers", 2, "dashboard.inspector_events_per_second", 5));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static WsRecorder subscribed(String user, String... channels) {
    WsRecorder ws = server.connect(user);
    for (String c : channels) {
      ws.send("subscribe", Map.of("channel", c));
      ws.next("subscribed");
    }
    return ws;
  }

  private static SseRecorder inspect(String query) {
    return SseRecorder.open(server.http(), URI.create("http://127.0.0.1:" + server.port() + API + "inspect?" + query), KEY);
  }

  private static int field(JsonNode stats, String name) {
    for (int i = 0; i < stats.get("fields").size(); i++) {
      if (stats.get("fields").get(i).asText().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no field " + name + " in " + stats.get("fields"));
  }

  @Test
  void statsSamplesShowConnectionsAndMessagesPerSecond() {
    try (WsRecorder ws = subscribed("stat-user", "stat-room")) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        for (int i = 0; i < 5; i++) {
          server.post(API + "send-to-channel", Map.of("channel", "stat-room", "type", "tick", "data", i));
          ws.send("ping", Map.of());
        }
        JsonNode stats = server.get(API + "stats?samples=5").data();
        assertThat(stats.get("interval_ms").asInt()).isEqualTo(1000);
        assertThat(stats.get("window_seconds").asInt()).isEqualTo(900);
        JsonNode node = stats.get("nodes").get(0);
        assertThat(node.get("self").asBoolean()).isTrue();
        assertThat(node.get("state").asText()).isEqualTo("up");
        JsonNode samples = node.get("samples");
        assertThat(samples.size()).isBetween(1, 5);
        JsonNode last = samples.get(samples.size() - 1);
        assertThat(last.get(field(stats, "time")).asLong()).isGreaterThan(1_700_000_000_000L);
        assertThat(last.get(field(stats, "connections")).asInt()).isGreaterThanOrEqualTo(1);
        assertThat(last.get(field(stats, "messages_in")).asDouble()).isPositive();
        assertThat(last.get(field(stats, "messages_out")).asDouble()).isPositive();
        assertThat(last.get(field(stats, "deliveries")).asDouble()).isPositive();
      });
    }
  }

  @Test
  void nodesListsThisNodeWithItsFigures() {
    try (WsRecorder ws = subscribed("node-user")) {
      JsonNode node = server.get(API + "nodes").data().get("nodes").get(0);
      assertThat(node.get("node_id").asText()).isEqualTo(server.server().config().cluster().nodeId());
      assertThat(node.get("address").asText()).endsWith(":" + server.port());
      assertThat(node.get("connections").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(node.get("heap_used_bytes").asLong()).isPositive();
      assertThat(node.get("broker").get("kind").asText()).isEqualTo("memory");
      assertThat(node.get("state").asText()).isEqualTo("up");
      assertThat(node.get("version").asText()).isNotBlank();
    }
  }

  @Test
  void channelsAreCountedSortedSearchedAndPaged() {
    try (WsRecorder a = subscribed("ch-a", "zz-big", "zz-small");
         WsRecorder b = subscribed("ch-b", "zz-big")) {
      JsonNode page = server.get(API + "channels?q=ZZ-&limit=1").data();
      assertThat(page.get("total").asInt()).isEqualTo(2);
      assertThat(page.get("channels").size()).isEqualTo(1);
      assertThat(page.get("channels").get(0).get("channel").asText()).isEqualTo("zz-big");
      assertThat(page.get("channels").get(0).get("subscribers").asInt()).isEqualTo(2);
      JsonNode byName = server.get(API + "channels?q=zz-&sort=name&order=desc&offset=0&limit=10").data();
      assertThat(byName.get("channels").get(0).get("channel").asText()).isEqualTo("zz-small");
      JsonNode second = server.get(API + "channels?q=zz-&offset=1").data();
      assertThat(second.get("channels").get(0).get("channel").asText()).isEqualTo("zz-small");
      assertThat(second.get("channels").get(0).get("subscribers").asInt()).isEqualTo(1);
    }
  }

  @Test
  void usersArePagedAndSearched() {
    try (WsRecorder a = subscribed("pager-1"); WsRecorder b = subscribed("pager-2"); WsRecorder c = subscribed("pager-3")) {
      JsonNode page = server.get(API + "users?q=pager-&offset=1&limit=1").data();
      assertThat(page.get("total").asInt()).isEqualTo(3);
      assertThat(page.get("user_ids").size()).isEqualTo(1);
      assertThat(page.get("user_ids").get(0).asText()).isEqualTo("pager-2");
    }
  }

  @Test
  void badQueriesAre422AndEveryNewEndpointWantsTheKey() {
    assertThat(server.get(API + "users?limit=0").status()).isEqualTo(422);
    assertThat(server.get(API + "channels?limit=abc").body().get("message").asText()).contains("limit");
    assertThat(server.get(API + "channels?sort=size").status()).isEqualTo(422);
    assertThat(server.get(API + "stats?samples=901").status()).isEqualTo(422);
    for (String endpoint : List.of("stats", "nodes", "channels", "users")) {
      assertThat(server.call("GET", API + endpoint, null, Map.of()).status()).as(endpoint).isEqualTo(401);
    }
    assertThatThrownBy(() -> SseRecorder.open(server.http(),
        URI.create("http://127.0.0.1:" + server.port() + API + "inspect?channel=x"), Map.of()))
        .hasMessageContaining("status 401");
    assertThatThrownBy(() -> inspect("")).hasMessageContaining("status 422");
    Answer post = server.call("POST", API + "inspect?channel=x", "{}", KEY);
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.response().headers().firstValue("allow")).hasValue("GET");
    assertThat(post.body().get("code").asInt()).isEqualTo(405);
    assertThatThrownBy(() -> inspect("channel=a&user_id=1")).hasMessageContaining("status 422");
    assertThatThrownBy(() -> inspect("channel=" + TestServer.enc("bad name"))).hasMessageContaining("status 422");
  }

  @Test
  void dashboardPollsAreLoggedAtDebugAndTheirFailuresAtInfo() {
    ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.herald.access");
    ch.qos.logback.classic.Level level = access.getLevel();
    access.setLevel(ch.qos.logback.classic.Level.DEBUG);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    access.addAppender(lines);
    try {
      server.get(API + "nodes");
      server.get(API + "users?limit=0");
      server.get(API + "online-count");
      await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() >= 3);
      List<String> seen = lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
      assertThat(seen.get(0)).startsWith("DEBUG admin endpoint=nodes method=GET status=200 ");
      assertThat(seen.get(1)).startsWith("INFO admin endpoint=users method=GET status=422 ");
      assertThat(seen.get(2)).startsWith("INFO admin endpoint=online-count method=GET status=200 ");
    } finally {
      access.detachAppender(lines);
      access.setLevel(level);
    }
  }

  @Test
  void inspectorShowsAChannelsMessagesWithinASecond() {
    try (WsRecorder ws = subscribed("watched-sub", "inspected");
         SseRecorder sse = inspect("channel=inspected")) {
      assertThat(sse.next("hello", Duration.ofSeconds(5)).data().get("channel").asText()).isEqualTo("inspected");
      long sent = System.currentTimeMillis();
      server.post(API + "send-to-channel", Map.of("channel", "inspected", "type", "order_paid", "data", Map.of("id", 7)));
      server.post(API + "send-to-channel", Map.of("channel", "elsewhere", "type", "noise", "data", 1));
      JsonNode event = sse.next("message", Duration.ofSeconds(1)).data();
      assertThat(event.get("type").asText()).isEqualTo("order_paid");
      assertThat(event.get("route").asText()).isEqualTo("channel");
      assertThat(event.get("local_connections").asInt()).isEqualTo(1);
      assertThat(event.get("size").asInt()).isEqualTo(event.get("preview").asText().length());
      assertThat(event.get("preview").asText()).contains("\"id\":7");
      assertThat(event.get("time").asLong()).isBetween(sent - 1000, sent + 5000);
      assertThat(sse.drain(Duration.ofMillis(500))).noneMatch(e -> e.data().path("type").asText().equals("noise"));
      ws.next("order_paid");
    }
  }

  @Test
  void inspectorShowsMessagesToAUserAndBroadcastsButNotOthers() {
    try (SseRecorder sse = inspect("user_id=42")) {
      sse.next("hello", Duration.ofSeconds(5));
      server.post(API + "send-to-user", Map.of("user_id", 43, "type", "other", "data", 1));
      server.post(API + "send-to-users", Map.of("user_ids", List.of(41, 42), "type", "to_both", "data", 1));
      server.post(API + "broadcast", Map.of("type", "to_all", "data", 1, "exclude_user_ids", List.of(7)));
      server.post(API + "broadcast", Map.of("type", "not_me", "data", 1, "exclude_user_ids", List.of(42)));
      JsonNode first = sse.next("message", Duration.ofSeconds(2)).data();
      JsonNode second = sse.next("message", Duration.ofSeconds(2)).data();
      assertThat(List.of(first.get("type").asText(), second.get("type").asText())).containsExactly("to_both", "to_all");
      assertThat(first.get("recipients").asInt()).isEqualTo(2);
      assertThat(sse.drain(Duration.ofMillis(500))).noneMatch(e -> e.name().equals("message"));
    }
  }

  @Test
  void inspectorCapsEventsPerSecondAndCountsTheDropped() {
    try (SseRecorder sse = inspect("channel=flood")) {
      sse.next("hello", Duration.ofSeconds(5));
      for (int i = 0; i < 40; i++) {
        server.post(API + "send-to-channel", Map.of("channel", "flood", "type", "n" + i, "data", i));
      }
      JsonNode dropped = sse.next("dropped", Duration.ofSeconds(5)).data();
      assertThat(dropped.get("dropped").asLong()).isPositive();
      List<SseRecorder.Event> later = new ArrayList<>(sse.drain(Duration.ofMillis(1500)));
      long shown = later.stream().filter(e -> e.name().equals("message")).count();
      assertThat(shown).isLessThan(40);
    }
  }

  @Test
  void inspectorRefusesWatchersBeyondTheLimitAndFreesTheirPlaceOnClose() {
    SseRecorder one = inspect("channel=w1");
    SseRecorder two = inspect("channel=w2");
    one.next("hello", Duration.ofSeconds(5));
    two.next("hello", Duration.ofSeconds(5));
    assertThatThrownBy(() -> inspect("channel=w3")).hasMessageContaining("status 429");
    one.close();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      try (SseRecorder three = inspect("channel=w3")) {
        assertThat(three.next("hello", Duration.ofSeconds(5)).data().get("channel").asText()).isEqualTo("w3");
      }
    });
    two.close();
  }
}
