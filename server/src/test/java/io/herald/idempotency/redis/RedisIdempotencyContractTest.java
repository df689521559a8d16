package io.herald.idempotency.redis;

import io.herald.idempotency.IdempotencyStore;

import io.herald.history.redis.StoreConnection;
import io.herald.testing.IdempotencyContract;
import io.herald.testing.RedisProcess;
import io.herald.testing.StoreConnections;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/** Each store has its own connection, as two nodes do. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisIdempotencyContractTest extends IdempotencyContract {
  private static RedisProcess redis;
  private final StoreConnections connections = new StoreConnections();

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void emptyRedis() {
    redis.call(c -> c.flushall());
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
