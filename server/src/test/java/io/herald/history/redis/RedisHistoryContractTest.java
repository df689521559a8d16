package io.herald.history.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.history.History;
import io.herald.history.Position;
import io.herald.history.Retention;
import io.herald.history.StreamId;
import io.herald.testing.HistoryContract;
import io.herald.testing.RedisPerClass;
import io.herald.testing.RedisProcess;
import io.herald.testing.StoreConnections;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisHistoryContractTest extends HistoryContract {
  @RegisterExtension
  static final RedisPerClass<RedisProcess> redis = RedisPerClass.standalone();
  @RegisterExtension
  final StoreConnections connections = new StoreConnections();

  @Override
  protected History newHistory(Retention retention) {
    StoreConnection c = connections.open(redis.get().url());
    return new RedisHistory(c, retention, "herald");
  }

  @Test
  void twoNodesShareOneNumberingAndKeysStayUnderThePrefixInOneSlot() {
    History a = history(100, Duration.ofMinutes(2));
    History b = history(100, Duration.ofMinutes(2));
    StreamId s = StreamId.channel("orders");
    append(a, s, 2);
    append(b, s, 2);
    Position top = join(a.since(s, null)).top();
    assertThat(top.offset()).isEqualTo(4);
    assertThat(join(b.since(s, new Position(top.epoch(), 0))).frames()).hasSize(4);
    List<String> keys = redis.get().call(c -> c.keys("*"));
    assertThat(keys).containsExactlyInAnyOrder(
        "herald:h:{channel:orders}:s", "herald:h:{channel:orders}:m");
  }

  @Test
  void aFlushedRedisStartsANewEpoch() {
    History h = history(100, Duration.ofMinutes(2));
    StreamId s = StreamId.user("9");
    append(h, s, 2);
    Position before = join(h.since(s, null)).top();
    redis.get().call(c -> c.flushall());
    assertThat(join(h.since(s, before)).complete()).isFalse();
    assertThat(join(h.since(s, null)).top().epoch()).isNotEqualTo(before.epoch());
  }
}
