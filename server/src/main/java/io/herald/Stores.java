package io.herald;

import io.herald.broker.redis.RedisSettings;
import io.herald.config.ServerConfig;
import io.herald.history.History;
import io.herald.history.MemoryHistory;
import io.herald.history.redis.RedisHistory;
import io.herald.history.redis.StoreConnection;
import io.herald.idempotency.Idempotency;
import io.herald.idempotency.MemoryIdempotencyStore;
import io.herald.idempotency.redis.RedisIdempotencyStore;

/**
 * The message history and the idempotency keys: in memory on a single node, in Redis (one store
 * connection shared by both, to a single Redis or a Redis Cluster like the broker) in cluster mode.
 */
record Stores(History history, Idempotency idempotency, StoreConnection connection) implements AutoCloseable {

  static Stores of(ServerConfig config) {
    ServerConfig.Cluster cluster = config.cluster();
    // A keyed request waits this long for the answer of the same key running elsewhere.
    java.time.Duration wait = cluster.enabled() ? cluster.redisTimeout().multipliedBy(2) : java.time.Duration.ofSeconds(10);
    if (!cluster.enabled()) {
      return new Stores(new MemoryHistory(config.history()),
          new Idempotency(new MemoryIdempotencyStore(config.idempotencyTtl()), wait), null);
    }
    StoreConnection c = new StoreConnection(RedisSettings.of(cluster));
    return new Stores(new RedisHistory(c, config.history(), cluster.redisPrefix()),
        new Idempotency(new RedisIdempotencyStore(c, cluster.redisPrefix(), config.idempotencyTtl()), wait), c);
  }

  @Override
  public void close() {
    history.close();
    idempotency.close();
    if (connection != null) {
      connection.close();
    }
  }
}
