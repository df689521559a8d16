package io.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.config.ConfigException;
import io.herald.config.ConfigLoader;
import io.herald.config.ServerConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RedisConfigTest {

  private static ServerConfig load(Map<String, String> env) {
    return ConfigLoader.load(null, env, false);
  }

  @Test
  void clusterDefaults() {
    ServerConfig.Cluster c = load(Map.of("HERALD_REDIS_URL", "redis://:pw@redis:6379")).cluster();
    assertThat(c.enabled()).isTrue();
    assertThat(c.presenceTtl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.redisTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.redisPrefix()).isEqualTo("herald");
    assertThat(c.nodeId()).matches("[A-Za-z0-9._-]+-[0-9a-f]{8}");
    assertThat(c.toString()).doesNotContain("pw");
    RedisSettings s = RedisSettings.of(c);
    assertThat(s.beatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.address()).isEqualTo("redis:6379");
    assertThat(s.toString()).doesNotContain("pw");
  }

  @Test
  void environmentSetsEveryClusterKey() {
    ServerConfig.Cluster c = load(Map.of("HERALD_REDIS_URL", "rediss://redis:6380", "HERALD_NODE_ID", "web-1",
        "HERALD_REDIS_PRESENCE_TTL", "6s", "HERALD_REDIS_TIMEOUT", "750ms", "HERALD_REDIS_PREFIX", "staging")).cluster();
    assertThat(c.nodeId()).isEqualTo("web-1");
    assertThat(c.presenceTtl()).isEqualTo(Duration.ofSeconds(6));
    assertThat(c.redisTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(c.redisPrefix()).isEqualTo("staging");
  }

  @Test
  void badClusterValuesNameTheKey() {
    assertThatThrownBy(() -> load(Map.of("HERALD_NODE_ID", "web 1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("node.id (from HERALD_NODE_ID) must match");
    assertThatThrownBy(() -> load(Map.of("HERALD_REDIS_PREFIX", "a:b")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("redis.prefix");
    assertThatThrownBy(() -> load(Map.of("HERALD_REDIS_PRESENCE_TTL", "500ms")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("redis.presence_ttl").hasMessageContaining("at least 1000ms");
    assertThatThrownBy(() -> load(Map.of("HERALD_REDIS_URL", "http://redis")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("redis://");
  }
}
