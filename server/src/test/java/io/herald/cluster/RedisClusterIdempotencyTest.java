package io.herald.cluster;

import org.junit.jupiter.api.BeforeAll;

/** The same Idempotency-Key sent at once to two nodes on a three-master Redis Cluster delivers once. */
class RedisClusterIdempotencyTest extends ClusterIdempotencyTest {
  @BeforeAll
  static void start() {
    cluster = TestCluster.startOnRedisCluster(2);
  }
}
