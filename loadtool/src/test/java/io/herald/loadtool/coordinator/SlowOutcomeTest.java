package io.herald.loadtool.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SlowOutcomeTest {
  @Test
  void closedSlowClientsMissWithoutLosing() {
    Map<String, Long> sums = Map.of("fast_clients", 9L, "fast_received", 900L, "slow_clients", 3L,
        "slow_open", 1L, "slow_open_received", 100L, "slow_closed", 2L, "slow_closed_received", 70L);
    SlowOutcome o = SlowOutcome.of(sums, 100);
    assertEquals(900, o.fastExpected());
    assertEquals(0, o.fastLost());
    assertEquals(0, o.slowOpenLost());
    assertEquals(130, o.slowClosedMissing());
    assertEquals(1000, o.expected());
    assertEquals(1000, o.received());
  }

  @Test
  void fastAndOpenSlowGapsAreLost() {
    Map<String, Long> sums = Map.of("fast_clients", 2L, "fast_received", 195L, "slow_open", 1L,
        "slow_open_received", 90L);
    SlowOutcome o = SlowOutcome.of(sums, 100);
    assertEquals(5, o.fastLost());
    assertEquals(10, o.slowOpenLost());
    assertEquals(300, o.expected());
    assertEquals(285, o.received());
    assertEquals(0, o.slowClosedMissing());
  }
}
