package io.herald.idempotency.redis;

import io.herald.idempotency.IdempotencyStore;

import io.herald.history.redis.StoreConnection;
import io.herald.broker.redis.RedisSettings;
import io.herald.testing.IdempotencyContract;
import io.herald.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  private final List<StoreConnection> connections = new ArrayList<>();

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
    connections.forEach(StoreConnection::close);
  }

  /** The store connection's settings on {@code url}: a single Redis or a Redis Cluster's seeds. */
  static RedisSettings settings(String url) {
    return new RedisSettings(url, "test", Duration.ofSeconds(3), Duration.ofSeconds(2), "herald");
  }

  @Override
  protected IdempotencyStore newStore(Duration ttl) {
    StoreConnection c = new StoreConnection(settings(redis.url()));
    connections.add(c);
    return new RedisIdempotencyStore(c, "herald", ttl);
  }
}
