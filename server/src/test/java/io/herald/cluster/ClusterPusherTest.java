package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.PusherClient;
import io.herald.testing.PusherHttp;
import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Pusher front door on three nodes sharing one real Redis. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterPusherTest {
  static final String ID = "1001";
  static final String KEY = "app-key";
  static final String SECRET = "app-secret";
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3, Map.of("pusher.app_id", ID, "pusher.app_key", KEY, "pusher.app_secret", SECRET));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static TestServer node(int i) {
    return cluster.node(i);
  }

  private static PusherHttp api(int i) {
    return new PusherHttp(node(i), ID, KEY, SECRET);
  }

  @Test
  void presenceIsPerDistinctUserAcrossNodes() throws Exception {
    String ch = "presence-cluster";
    String one = "{\"user_id\":\"1\",\"user_info\":{\"name\":\"One\"}}";
    try (PusherClient oneA = PusherClient.connect(node(0), KEY)) {
      oneA.join(ch, KEY, SECRET, one);
      PusherClient two = PusherClient.connect(node(2), KEY);
      JsonNode p = two.join(ch, KEY, SECRET, "{\"user_id\":\"2\"}").get("presence");
      assertThat(p.get("count").asInt()).isEqualTo(2);
      assertThat(p.get("hash").get("1").get("name").asText()).isEqualTo("One");
      assertThat(oneA.data(oneA.next("pusher_internal:member_added")).get("user_id").asText()).isEqualTo("2");

      PusherClient oneB = PusherClient.connect(node(1), KEY); // user 1's second tab, on another node
      assertThat(oneB.join(ch, KEY, SECRET, one).get("presence").get("count").asInt()).isEqualTo(2);
      oneB.close();
      two.assertExhausted(); // neither joining nor leaving for the second tab
      assertThat(PusherClient.JSON.readTree(api(1).get("channels/" + ch, Map.of("info", "user_count,subscription_count"))
          .body()).get("user_count").asInt()).isEqualTo(2);

      oneA.close();
      JsonNode removed = two.next("pusher_internal:member_removed");
      assertThat(two.data(removed).get("user_id").asText()).isEqualTo("1");
      two.assertExhausted();
      two.close();
    }
  }

  @Test
  void membersAndSubscriptionsOfAKilledNodeAreRemovedAndTheOthersTold() throws Exception {
    String ch = "presence-crash";
    try (ChildNode child = ChildNode.start(cluster.redis().url(), "node-doomed", TestCluster.PRESENCE_TTL,
             Map.of("HERALD_PUSHER_APP_ID", ID, "HERALD_PUSHER_APP_KEY", KEY, "HERALD_PUSHER_APP_SECRET", SECRET));
         PusherClient survivor = PusherClient.connect(node(0), KEY)) {
      survivor.join(ch, KEY, SECRET, "{\"user_id\":\"s\"}");
      PusherClient victim = PusherClient.connect(node(0).http(), child.port(), KEY);
      victim.join(ch, KEY, SECRET, "{\"user_id\":\"v\"}");
      victim.join("crash-public", KEY, SECRET, null);
      assertThat(survivor.data(survivor.next("pusher_internal:member_added")).get("user_id").asText()).isEqualTo("v");
      child.kill();
      JsonNode removed = survivor.ws.next();
      for (int i = 0; i < 3 && !removed.path("event").asText().equals("pusher_internal:member_removed"); i++) {
        removed = survivor.ws.next(); // WsRecorder waits 5 s per frame; the TTL is 2 s, the sweep as often
      }
      assertThat(removed.path("event").asText()).isEqualTo("pusher_internal:member_removed");
      assertThat(survivor.data(removed).get("user_id").asText()).isEqualTo("v");
      assertThat(api(1).get("channels/" + ch + "/users", Map.of()).body()).isEqualTo("{\"users\":[{\"id\":\"s\"}]}");
      await().atMost(Duration.ofSeconds(10)).until(() -> !PusherClient.JSON.readTree(api(2).get("channels", Map.of()).body())
          .get("channels").has("crash-public"));
    }
  }

  @Test
  void clientEventsReachSubscribersOnOtherNodesExactlyOnce() {
    String ch = "private-cluster-chat";
    try (PusherClient a = PusherClient.connect(node(0), KEY); PusherClient b = PusherClient.connect(node(1), KEY);
         PusherClient c = PusherClient.connect(node(2), KEY)) {
      a.join(ch, KEY, SECRET, null);
      b.join(ch, KEY, SECRET, null);
      c.join(ch, KEY, SECRET, null);
      cluster.awaitChannelSubscribers(ch, 3);
      a.send("client-hello", ch, Map.of("n", 1));
      b.next("client-hello");
      c.next("client-hello");
      a.assertExhausted();
      b.assertExhausted();
      c.assertExhausted();
    }
  }

  @Test
  void apiEventsCacheAndHeraldSubscribersMeetAcrossNodes() throws Exception {
    try (PusherClient p = PusherClient.connect(node(0), KEY); WsRecorder h = node(2).connect("77")) {
      p.join("cache-cluster", KEY, SECRET, null);
      p.next("pusher:cache_miss");
      h.send("subscribe", Map.of("channel", "cache-cluster"));
      h.next("subscribed");
      cluster.awaitChannelSubscribers("cache-cluster", 2);
      assertThat(api(1).post("events", "{\"name\":\"tick\",\"channel\":\"cache-cluster\",\"data\":\"{\\\"v\\\":9}\"}")
          .statusCode()).isEqualTo(200);
      assertThat(p.data(p.next("tick")).get("v").asInt()).isEqualTo(9);
      assertThat(h.next("tick").get("data").get("v").asInt()).isEqualTo(9);
      try (PusherClient late = PusherClient.connect(node(2), KEY)) {
        late.join("cache-cluster", KEY, SECRET, null);
        assertThat(late.data(late.next("tick")).get("v").asInt()).isEqualTo(9);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> PusherClient.JSON.readTree(api(2).get("channels", Map.of()).body())
          .get("channels").has("cache-cluster"));
    }
  }
}
