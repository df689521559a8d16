package io.herald.cluster;

import static org.awaitility.Awaitility.await;

import io.herald.testing.RedisProcess;
import io.herald.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Herald nodes in this JVM sharing one real Redis: {@code node(0)}, {@code node(1)}, … are
 * ordinary {@link TestServer}s (port 0, test secret and API key) in cluster mode.
 */
final class TestCluster implements AutoCloseable {
  static final Duration PRESENCE_TTL = Duration.ofSeconds(2);

  private final RedisProcess redis;
  private final List<TestServer> nodes = new ArrayList<>();

  private TestCluster(RedisProcess redis) {
    this.redis = redis;
  }

  static TestCluster start(int nodes) {
    return start(nodes, Map.of());
  }

  /** {@code extra}: configuration keys every node gets on top of the cluster settings. */
  static TestCluster start(int nodes, Map<String, Object> extra) {
    TestCluster cluster = new TestCluster(RedisProcess.start());
    try {
      for (int i = 0; i < nodes; i++) {
        Map<String, Object> s = settings(cluster.redis.url(), "node-" + i);
        s.putAll(extra);
        cluster.nodes.add(TestServer.start(s));
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Another node on the same Redis. */
  TestServer startNode(String nodeId) {
    return TestServer.start(settings(redis.url(), nodeId));
  }

  static Map<String, Object> settings(String redisUrl, String nodeId) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("redis.url", redisUrl);
    s.put("node.id", nodeId);
    s.put("redis.presence_ttl", PRESENCE_TTL.toMillis() + "ms");
    s.put("redis.timeout", "3s");
    return s;
  }

  TestServer node(int i) {
    return nodes.get(i);
  }

  RedisProcess redis() {
    return redis;
  }

  /** Waits until presence in Redis shows the user on exactly these nodes. */
  void awaitUserOn(String userId, String... nodeIds) {
    await().atMost(Duration.ofSeconds(5))
        .until(() -> redis.call(c -> c.smembers("herald:user:" + userId)).equals(Set.of(nodeIds)));
  }

  /** Waits until this many nodes subscribe to the Herald channel in Redis. */
  void awaitChannelSubscribers(String channel, long nodes) {
    await().atMost(Duration.ofSeconds(5)).until(() -> redis.call(
        c -> c.pubsubNumsub("herald:ch:" + channel).get("herald:ch:" + channel)) == nodes);
  }

  @Override
  public void close() {
    nodes.forEach(TestServer::close);
    redis.close();
  }
}
