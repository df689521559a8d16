package io.herald.idempotency.redis;

import io.herald.history.redis.StoreConnection;
import io.herald.idempotency.IdempotencyStore;
import io.herald.testing.IdempotencyContract;
import io.herald.testing.RedisCluster;
import io.herald.testing.StoreConnections;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/** The idempotency contract on a real three-master Redis Cluster; each store has its own connection. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisClusterIdempotencyContractTest extends IdempotencyContract {
  private static RedisCluster redis;
  private final StoreConnections connections = new StoreConnections();

  @BeforeAll
  static void startRedis() {
    redis = RedisCluster.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void emptyRedis() {
    redis.flushAll();
  }

  @AfterEach
  void closeConnections() {
    connections.close();
  }

  @Override
  protected IdempotencyStore newStore(Duration ttl) {
    StoreConnection c = connections.open(redis.url());
    return new RedisIdempotencyStore(c, "herald", ttl);
  }
}
