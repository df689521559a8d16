package io.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.broker.Broker;
import io.herald.broker.BrokerUnavailableException;
import io.herald.testing.ClusteredBrokerContract;
import io.herald.testing.RedisPerClass;
import io.herald.testing.RedisProcess;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisBrokerContractTest extends ClusteredBrokerContract {
  @RegisterExtension
  static final RedisPerClass<RedisProcess> redis = RedisPerClass.standalone();

  @Test
  void reportsStandaloneMode() {
    assertThat(node("a").broker().status()).containsEntry("mode", "standalone").containsEntry("address", "127.0.0.1:" + redis.get().port());
  }

  @Test
  void severalHostsThatAreNotARedisClusterStopTheStart() {
    String twice = "redis://127.0.0.1:" + redis.get().port() + ",127.0.0.1:" + redis.get().port();
    RedisBroker broker = new RedisBroker(new RedisSettings(twice, "x", Duration.ofSeconds(3), Duration.ofSeconds(2), "herald"));
    assertThatThrownBy(() -> broker.start(null))
        .isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("lists 2 hosts")
        .hasMessageContaining("is not a Redis Cluster");
  }

  @Override
  protected Broker newBroker(String nodeId) {
    return new RedisBroker(new RedisSettings(redis.get().url(), nodeId, Duration.ofSeconds(3), Duration.ofSeconds(2), "herald"));
  }
}
