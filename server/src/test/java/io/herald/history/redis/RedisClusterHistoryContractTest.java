package io.herald.history.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.history.History;
import io.herald.history.Position;
import io.herald.history.Retention;
import io.herald.history.StreamId;
import io.herald.testing.HistoryContract;
import io.herald.testing.RedisCluster;
import io.herald.testing.RedisPerClass;
import io.herald.testing.StoreConnections;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The history contract on a real three-master Redis Cluster: each stream's keys in one slot. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisClusterHistoryContractTest extends HistoryContract {
  @RegisterExtension
  static final RedisPerClass<RedisCluster> redis = RedisPerClass.cluster();
  @RegisterExtension
  final StoreConnections connections = new StoreConnections();

  @Override
  protected History newHistory(Retention retention) {
    StoreConnection c = connections.open(redis.get().url());
    return new RedisHistory(c, retention, "herald");
  }

  @Test
  void streamsSpreadOverTheShardsAndTwoNodesShareOneNumbering() {
    History a = history(100, Duration.ofMinutes(2));
    History b = history(100, Duration.ofMinutes(2));
    List<StreamId> streams = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      streams.add(StreamId.channel("orders-" + i));
    }
    for (StreamId s : streams) {
      append(a, s, 2);
      append(b, s, 1);
      Position top = join(b.since(s, null)).top();
      assertThat(top.offset()).isEqualTo(3);
      assertThat(join(a.since(s, new Position(top.epoch(), 0))).frames()).hasSize(3);
      String base = "herald:h:{" + s.key() + "}";
      assertThat(SlotHash.getSlot(base + ":s")).isEqualTo(SlotHash.getSlot(base + ":m"));
      long kept = redis.get().call(c -> c.exists(base + ":s", base + ":m"));
      assertThat(kept).isEqualTo(2);
    }
    assertThat(redis.get().shardsWithKeys()).as("shards holding history").isGreaterThan(1);
  }
}
