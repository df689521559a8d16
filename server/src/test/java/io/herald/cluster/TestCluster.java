package io.herald.cluster;

import static org.awaitility.Awaitility.await;

import io.herald.testing.RedisCluster;
import io.herald.testing.RedisProcess;
import io.herald.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Herald nodes in this JVM sharing one real Redis, or one real Redis Cluster: {@code node(0)},
 * {@code node(1)}, … are ordinary {@link TestServer}s (port 0, test secret and API key) in
 * cluster mode.
 */
final class TestCluster implements AutoCloseable {
  static final Duration PRESENCE_TTL = Duration.ofSeconds(2);

  private final RedisProcess redis;
  private final RedisCluster redisCluster;
  private final List<TestServer> nodes = new ArrayList<>();

  private TestCluster(RedisProcess redis, RedisCluster redisCluster) {
    this.redis = redis;
    this.redisCluster = redisCluster;
  }

  /** Nodes on one Redis server. */
  static TestCluster start(int nodes) {
    return start(new TestCluster(RedisProcess.start(), null), nodes, Map.of());
  }

  /** {@code extra}: configuration keys every node gets on top of the cluster settings. */
  static TestCluster start(int nodes, Map<String, Object> extra) {
    return start(new TestCluster(RedisProcess.start(), null), nodes, extra);
  }

  /** Nodes on a three-master Redis Cluster (each master with a replica). */
  static TestCluster startOnRedisCluster(int nodes) {
    return start(new TestCluster(null, RedisCluster.start()), nodes, Map.of());
  }

  private static TestCluster start(TestCluster cluster, int nodes, Map<String, Object> extra) {
    try {
      for (int i = 0; i < nodes; i++) {
        Map<String, Object> s = settings(cluster.redisUrl(), "node-" + i);
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
    return TestServer.start(settings(redisUrl(), nodeId));
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

  /** The single Redis server; null on a Redis Cluster. */
  RedisProcess redis() {
    return redis;
  }

  /** The Redis Cluster; null on a single Redis server. */
  RedisCluster redisCluster() {
    return redisCluster;
  }

  String redisUrl() {
    return redis != null ? redis.url() : redisCluster.url();
  }

  /** What /health shows as the broker's address. */
  String redisAddress() {
    return redisUrl().replaceFirst("^redis://", "");
  }

  /** Waits until presence in Redis shows the user on exactly these nodes. */
  void awaitUserOn(String userId, String... nodeIds) {
    String key = "{herald}:user:" + userId;
    await().atMost(Duration.ofSeconds(5)).until(() -> (redis != null
        ? redis.call(c -> c.smembers(key)) : redisCluster.call(c -> c.smembers(key))).equals(Set.of(nodeIds)));
  }

  /** Waits until this many nodes subscribe to the Herald channel in Redis (sharded on a cluster). */
  void awaitChannelSubscribers(String channel, long nodes) {
    String name = "herald:ch:" + channel;
    await().atMost(Duration.ofSeconds(5)).until(() -> (redis != null
        ? redis.call(c -> c.pubsubNumsub(name).get(name))
        : redisCluster.masterOf(name).call(c -> c.pubsubShardNumsub(name).get(name))) == nodes);
  }

  @Override
  public void close() {
    try {
      nodes.forEach(TestServer::close);
    } finally {
      if (redis != null) {
        redis.close();
      } else {
        redisCluster.close();
      }
    }
  }
}
