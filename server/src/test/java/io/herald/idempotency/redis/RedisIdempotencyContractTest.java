package io.herald.idempotency.redis;

import io.herald.history.redis.StoreConnection;
import io.herald.idempotency.IdempotencyStore;
import io.herald.testing.IdempotencyContract;
import io.herald.testing.RedisPerClass;
import io.herald.testing.RedisProcess;
import io.herald.testing.StoreConnections;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each store has its own connection, as two nodes do. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisIdempotencyContractTest extends IdempotencyContract {
  @RegisterExtension
  static final RedisPerClass<RedisProcess> redis = RedisPerClass.standalone();
  @RegisterExtension
  final StoreConnections connections = new StoreConnections();

  @Override
  protected IdempotencyStore newStore(Duration ttl) {
    StoreConnection c = connections.open(redis.get().url());
    return new RedisIdempotencyStore(c, "herald", ttl);
  }
}
