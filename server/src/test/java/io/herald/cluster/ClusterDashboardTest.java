package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's cluster views over a real Redis: every node's status, samples and channels. */
@Timeout(120)
class ClusterDashboardTest {
  static final String API = "/admin/websocket/";
  /** Where the statistics live: beside presence, under the same prefix (docs/cluster.md). */
  static final String STATS = "{herald}:stats:";

  private static Map<String, JsonNode> byId(JsonNode nodes) {
    Map<String, JsonNode> out = new HashMap<>();
    nodes.forEach(n -> out.put(n.get("node_id").asText(), n));
    return out;
  }

  @Test
  void nodesAndSamplesOfEveryNodeShowAndAKilledNodeTurnsDownWithinThePresenceTtl() {
    try (TestCluster cluster = TestCluster.start(1);
         ChildNode child = ChildNode.start(cluster.redis().url(), "node-z", TestCluster.PRESENCE_TTL)) {
      TestServer a = cluster.node(0);
      WsRecorder onChild = child.connect("on-child");
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        Map<String, JsonNode> nodes = byId(a.get(API + "nodes").data().get("nodes"));
        assertThat(nodes).containsOnlyKeys("node-0", "node-z");
        assertThat(nodes.get("node-0").get("self").asBoolean()).isTrue();
        assertThat(nodes.get("node-z").get("state").asText()).isEqualTo("up");
        assertThat(nodes.get("node-z").get("connections").asInt()).isEqualTo(1);
        assertThat(nodes.get("node-z").get("broker").get("kind").asText()).isEqualTo("redis");
        assertThat(nodes.get("node-z").get("address").asText()).startsWith("127.0.0.1:");
      });
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        Map<String, JsonNode> series = byId(a.get(API + "stats?samples=3").data().get("nodes"));
        assertThat(series.get("node-z").get("samples").size()).isBetween(2, 3);
        assertThat(series.get("node-z").get("samples").get(0).get(1).asInt()).isEqualTo(1);
      });

      child.kill();
      long killed = System.nanoTime();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        JsonNode z = byId(a.get(API + "nodes").data().get("nodes")).get("node-z");
        assertThat(z.get("state").asText()).isEqualTo("down");
        assertThat(z.get("last_seen_ms").asLong()).isGreaterThan(TestCluster.PRESENCE_TTL.toMillis());
      });
      // down within the TTL after its last share (at most a second before the kill), plus polling slack
      assertThat(Duration.ofNanos(System.nanoTime() - killed))
          .isLessThan(TestCluster.PRESENCE_TTL.plusSeconds(4));
    }
  }

  @Test
  void channelSubscribersAreCountedAcrossNodes() {
    try (TestCluster cluster = TestCluster.start(2);
         WsRecorder one = cluster.node(0).connect("sub-1");
         WsRecorder two = cluster.node(1).connect("sub-2");
         WsRecorder three = cluster.node(1).connect("sub-3")) {
      for (WsRecorder ws : new WsRecorder[] {one, two, three}) {
        ws.send("subscribe", Map.of("channel", "shared-room"));
        ws.next("subscribed");
      }
      two.send("subscribe", Map.of("channel", "only-b"));
      two.next("subscribed");
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        JsonNode data = cluster.node(0).get(API + "channels").data();
        assertThat(data.get("nodes_reporting").asInt()).isEqualTo(2);
        JsonNode top = data.get("channels").get(0);
        assertThat(top.get("channel").asText()).isEqualTo("shared-room");
        assertThat(top.get("subscribers").asInt()).isEqualTo(3);
        assertThat(top.get("nodes").asInt()).isEqualTo(2);
        assertThat(data.get("total").asInt()).isEqualTo(2);
      });
      java.util.List<String> keys = cluster.redis().call(c -> c.keys("*stats:*"));
      assertThat(keys).contains(STATS + "nodes", STATS + "seen", STATS + "series:node-0", STATS + "channels:node-1");
    }
  }
}
