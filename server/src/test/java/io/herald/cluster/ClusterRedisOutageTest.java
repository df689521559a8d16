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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis stops mid-test and comes back empty. Meanwhile each node serves its own users, and
 * cross-node sends fail loudly (503 envelope, {@code unavailable} error frame). Afterwards the
 * nodes have re-subscribed and re-registered by themselves, and delivery resumes, once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterRedisOutageTest {
  private TestCluster cluster;
  private TestServer a;
  private TestServer b;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(2);
    a = cluster.node(0);
    b = cluster.node(1);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static JsonNode broker(TestServer node) {
    JsonNode h = node.get("/health").body();
    return (h.has("data") ? h.get("data") : h).get("broker");
  }

  @Test
  void nodesSurviveARedisRestartAndDeliverOnceAfterwards() {
    try (WsRecorder alice = a.connect("3001"); WsRecorder carol = a.connect("3003"); WsRecorder bob = b.connect("3002")) {
      bob.send("subscribe", Map.of("channel", "news"));
      bob.next("subscribed");
      cluster.awaitUserOn("3002", "node-1");
      cluster.awaitChannelSubscribers("news", 1);

      cluster.redis().stop();
      for (TestServer node : List.of(a, b)) {
        await().atMost(Duration.ofSeconds(5)).until(() -> !broker(node).get("healthy").asBoolean());
        assertThat(node.get("/ready").status()).isEqualTo(503);
        assertThat(broker(node).get("state").asText()).isEqualTo("reconnecting");
      }

      // Cross-node sends fail loudly...
      TestServer.Answer failed = a.post("/admin/websocket/send-to-user", Map.of("user_id", 3002, "type", "lost", "data", 1));
      assertThat(failed.status()).isEqualTo(503);
      assertThat(failed.body().get("code").asInt()).isEqualTo(503);
      assertThat(a.get("/admin/websocket/online-count").status()).isEqualTo(503);
      alice.send("chat", Map.of("to_user_id", 3002, "content", "during the outage"));
      assertThat(alice.next("error").get("data").get("code").asText()).isEqualTo("unavailable");
      // ...while a node's own users are still served.
      alice.send("chat", Map.of("to_user_id", 3003, "content", "same node"));
      assertThat(carol.next("chat").get("data").get("content").asText()).isEqualTo("same node");
      assertThat(alice.next("error").get("data").get("code").asText())
          .as("the sender still learns the other nodes were not reached").isEqualTo("unavailable");
      alice.send("ping", Map.of());
      alice.next("pong");
      bob.send("subscribe", Map.of("channel", "later"));
      assertThat(bob.next("error").get("data").get("code").asText())
          .as("a subscription that would miss other nodes' messages is refused").isEqualTo("unavailable");
      assertThat(a.get("/health").body().toString()).contains("\"status\":\"degraded\"");
      assertThat(a.get("/metrics").response().body()).contains("herald_broker_up 0.0");

      long restartedAt = System.nanoTime();
      cluster.redis().restart(); // empty: the nodes must rebuild presence and subscriptions
      for (TestServer node : List.of(a, b)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> broker(node).get("healthy").asBoolean());
        assertThat(node.get("/ready").status()).isEqualTo(200);
      }
      Duration recovered = Duration.ofNanos(System.nanoTime() - restartedAt);
      org.slf4j.LoggerFactory.getLogger(getClass()).info("both nodes healthy {} ms after Redis restarted", recovered.toMillis());
      assertThat(a.get("/admin/websocket/online-count").data().get("online_count").asLong()).isEqualTo(3);
      cluster.awaitChannelSubscribers("news", 1);
      assertThat(a.get("/metrics").response().body()).contains("herald_broker_up 1.0");
      bob.send("subscribe", Map.of("channel", "later"));
      bob.next("subscribed");

      assertThat(a.post("/admin/websocket/send-to-user", Map.of("user_id", 3002, "type", "back", "data", 1)).status())
          .isEqualTo(200);
      assertThat(a.post("/admin/websocket/send-to-channel", Map.of("channel", "news", "type", "headline", "data", 2)).status())
          .isEqualTo(200);
      alice.send("chat", Map.of("to_user_id", 3002, "content", "after the outage"));
      assertThat(bob.next("back").get("data").asInt()).isEqualTo(1);
      assertThat(bob.next("headline").get("channel").asText()).isEqualTo("news");
      assertThat(bob.next("chat").get("data").get("content").asText()).isEqualTo("after the outage");
      assertThat(a.post("/admin/websocket/send-to-user", Map.of("user_id", 3002, "type", "marker", "data", 0)).status())
          .isEqualTo(200);
      bob.next("marker");
      bob.assertExhausted();
      alice.assertExhausted();
      carol.assertExhausted();
    }
  }
}
