package io.herald.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.HistoryContract;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryHistoryContractTest extends HistoryContract {

  @Override
  protected History newHistory(Retention retention) {
    return new MemoryHistory(retention);
  }

  @Test
  void idleStreamsAreFreedAndComeBackUnderANewEpoch() {
    AtomicLong now = new AtomicLong(1_000_000);
    Retention.Rule rule = new Retention.Rule(10, Duration.ofSeconds(60));
    MemoryHistory h = new MemoryHistory(new Retention(true, rule, rule, rule, List.of(), 1 << 20,
        Duration.ofMinutes(10), 100), now::get, false);
    StreamId s = StreamId.user("1");
    append(h, s, 3);
    Position before = join(h.since(s, null)).top();
    now.addAndGet(Duration.ofSeconds(61).toMillis());
    h.sweep();
    assertThat(h.streamCount()).isEqualTo(1); // frames expired, epoch and offset kept
    assertThat(h.keptBytes()).isZero();
    now.addAndGet(Duration.ofMinutes(10).toMillis());
    h.sweep();
    assertThat(h.streamCount()).isZero();
    Replay r = join(h.since(s, before));
    assertThat(r.complete()).isFalse();
    assertThat(r.top().epoch()).isNotEqualTo(before.epoch());
  }

  @Test
  void keptBytesStayUnderTheBound() {
    Retention.Rule rule = new Retention.Rule(1000, Duration.ofMinutes(2));
    MemoryHistory h = new MemoryHistory(new Retention(true, rule, rule, rule, List.of(), 10_000,
        Duration.ofMinutes(10), 100), System::currentTimeMillis, false);
    byte[] big = ("{\"type\":\"t\",\"data\":\"" + "x".repeat(900) + "\"}").getBytes();
    for (int i = 0; i < 100; i++) {
      join(h.append(StreamId.channel("c" + (i % 3)), big, Set.of(), (o, f) -> { }));
    }
    assertThat(h.keptBytes()).isLessThanOrEqualTo(10_000 + 1000);
    assertThat(join(h.since(StreamId.channel("c0"), null)).top().offset()).isEqualTo(34);
  }
}
