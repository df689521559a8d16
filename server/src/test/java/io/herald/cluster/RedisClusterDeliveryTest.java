package io.herald.cluster;

import org.junit.jupiter.api.BeforeAll;

/** The whole cross-node suite with three Herald nodes on a three-master Redis Cluster. */
class RedisClusterDeliveryTest extends ClusterDeliveryTest {
  @BeforeAll
  static void start() {
    begin(TestCluster.startOnRedisCluster(3));
  }
}
