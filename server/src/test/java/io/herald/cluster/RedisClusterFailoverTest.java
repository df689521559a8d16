package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.RedisCluster;
import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Redis Cluster master dies with SIGKILL in the middle of a stream of messages, and its replica
 * takes over. The master killed holds Herald's presence keys, the node inboxes and the channel
 * used here and its history, so every cross-node path goes through the failover. Afterwards both Herald nodes have
 * reconnected by themselves, presence is intact, and messages flow again; nothing ever arrives
 * twice or out of order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisClusterFailoverTest {
  private static TestCluster cluster;
  private static TestServer a;
  private static TestServer b;

  @BeforeAll
  static void start() {
    cluster = TestCluster.startOnRedisCluster(2);
    a = cluster.node(0);
    b = cluster.node(1);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void masterFailoverMidStreamLosesNothingSentAfterwardsAndDuplicatesNothing() {
    RedisCluster redis = cluster.redisCluster();
    String presenceKey = "{herald}:nodes";
    String channel = channelOnTheShardOf(redis, presenceKey);
    try (WsRecorder user = b.connect("3001"); WsRecorder subscriber = b.connect("3002")) {
      subscriber.send("subscribe", Map.of("channel", channel));
      subscriber.next("subscribed");
      cluster.awaitUserOn("3001", "node-1");
      cluster.awaitChannelSubscribers(channel, 1);
      int seq = 0;
      for (; seq < 10; seq++) {
        assertThat(send(channel, seq)).isEqualTo(200);
      }

      redis.killMasterOf(presenceKey);
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).until(
          () -> reconnected(a) && reconnected(b));
      int firstAfter = ++seq;
      for (; seq < firstAfter + 10; seq++) {
        assertThat(send(channel, seq)).as("message %d after the failover", seq).isEqualTo(200);
      }
      assertThat(a.post("/admin/websocket/check-online", Map.of("user_id", 3001)).data().get("is_online").asBoolean())
          .as("presence survived the failover").isTrue();
      assertThat(a.post("/admin/websocket/send-to-user", Map.of("user_id", 3001, "type", "marker", "data", 0)).status())
          .isEqualTo(200);
      assertThat(a.post("/admin/websocket/send-to-channel", Map.of("channel", channel, "type", "marker", "data", 0)).status())
          .isEqualTo(200);

      for (WsRecorder ws : List.of(user, subscriber)) {
        List<Integer> got = ticksUntilMarker(ws);
        assertThat(got).as("in order, never twice").isSorted().doesNotHaveDuplicates();
        assertThat(got).as("everything sent before the failover").containsAll(range(0, 10));
        assertThat(got).as("everything sent after it").containsAll(range(firstAfter, firstAfter + 10));
      }
      JsonNode kept = b.get("/admin/websocket/history?channel=" + channel).data().get("messages");
      List<Long> offsets = new ArrayList<>();
      List<Integer> ticks = new ArrayList<>();
      kept.forEach(m -> {
        offsets.add(m.get("offset").asLong());
        ticks.add(m.get("data").asInt());
      });
      assertThat(offsets).as("history numbered consecutively through the failover").isNotEmpty()
          .isEqualTo(java.util.stream.LongStream.rangeClosed(offsets.get(0), offsets.get(offsets.size() - 1)).boxed().toList());
      assertThat(ticks).as("history kept the last messages sent after the failover")
          .containsAll(range(firstAfter + 5, firstAfter + 10));
    }
  }

  private static int send(String channel, int seq) {
    int toUser = a.post("/admin/websocket/send-to-user", Map.of("user_id", 3001, "type", "tick", "data", seq)).status();
    int toChannel = a.post("/admin/websocket/send-to-channel", Map.of("channel", channel, "type", "tick", "data", seq)).status();
    return Math.max(toUser, toChannel);
  }

  /** Connected again after at least one reconnect. */
  private static boolean reconnected(TestServer node) {
    JsonNode health = node.get("/health").body();
    JsonNode broker = health.has("data") ? health.get("data").get("broker") : health.get("broker");
    return broker.get("state").asText().equals("connected") && broker.get("reconnects").asLong() >= 1;
  }

  private static List<Integer> ticksUntilMarker(WsRecorder ws) {
    List<Integer> got = new ArrayList<>();
    for (JsonNode m = ws.next(); !m.get("type").asText().equals("marker"); m = ws.next()) {
      assertThat(m.get("type").asText()).isEqualTo("tick");
      got.add(m.get("data").asInt());
    }
    return got;
  }

  /** A Herald channel whose pub/sub and history slots are served by the same master as {@code key}. */
  private static String channelOnTheShardOf(RedisCluster redis, String key) {
    for (int i = 0; ; i++) {
      String name = "ticks-" + i;
      if (redis.masterOf("herald:ch:" + name).equals(redis.masterOf(key))
          && redis.masterOf("herald:h:{channel:" + name + "}:s").equals(redis.masterOf(key))) {
        return name;
      }
    }
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> r = new ArrayList<>();
    for (int i = from; i < to; i++) {
      r.add(i);
    }
    return r;
  }
}
