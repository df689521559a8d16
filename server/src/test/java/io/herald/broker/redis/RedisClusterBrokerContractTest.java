package io.herald.broker.redis;

import static io.herald.testing.BrokerProbe.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.Broker;
import io.herald.broker.Route;
import io.herald.testing.BrokerProbe;
import io.herald.testing.ClusteredBrokerContract;
import io.herald.testing.RedisCluster;
import io.herald.testing.RedisPerClass;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker contract on a real three-master Redis Cluster (sharded pub/sub, hash-tagged keys). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisClusterBrokerContractTest extends ClusteredBrokerContract {
  @RegisterExtension
  static final RedisPerClass<RedisCluster> redis = RedisPerClass.cluster();

  @Override
  protected Broker newBroker(String nodeId) {
    return new RedisBroker(new RedisSettings(redis.get().url(), nodeId, Duration.ofSeconds(3), Duration.ofSeconds(2), "herald"));
  }

  @Test
  void reportsClusterModeAndEveryPresenceKeyLivesOnOneShard() {
    BrokerProbe a = node("a");
    node("b").connect("1");
    a.connect("2");
    a.connect("3");
    assertThat(a.broker().status()).containsEntry("mode", "cluster");
    assertThat(join(a.broker().onlineCount())).isEqualTo(3);
    assertThat(redis.get().shardsWithKeys()).as("presence keys share the {herald} hash tag").isEqualTo(1);
  }

  @Test
  void channelsAreSpreadOverTheShards() {
    BrokerProbe a = node("a");
    BrokerProbe b = node("b");
    List<String> channels = List.of("news", "sport", "weather", "prices", "chat-1", "chat-2", "chat-3", "chat-4");
    channels.forEach(b::subscribe);
    long shards = redis.get().call(c -> c.masters().commands().pubsubShardChannels().asMap().values().stream()
        .filter(list -> list.stream().anyMatch(ch -> ch.startsWith("herald:ch:"))).count());
    assertThat(shards).as("shards carrying Herald channels").isGreaterThan(1);
    for (String ch : channels) {
      a.publish(new Route.ToChannel(ch), "t", "{\"c\":\"" + ch + "\"}");
      assertThat(b.next().route()).isEqualTo(new Route.ToChannel(ch));
    }
  }
}
