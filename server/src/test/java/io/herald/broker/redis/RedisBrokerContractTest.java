package io.herald.broker.redis;

import io.herald.broker.Broker;
import io.herald.testing.ClusteredBrokerContract;
import io.herald.testing.RedisProcess;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisBrokerContractTest extends ClusteredBrokerContract {
  private static RedisProcess redis;

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

  @Override
  protected Broker newBroker(String nodeId) {
    return new RedisBroker(new RedisSettings(redis.url(), nodeId, Duration.ofSeconds(3), Duration.ofSeconds(2), "herald"));
  }
}
