package io.herald.loadtool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlowShareTest {
  private static int slowAmong(int from, int count, double share) {
    int n = 0;
    for (int i = from; i < from + count; i++) {
      n += SlowShare.isSlow(i, share) ? 1 : 0;
    }
    return n;
  }

  @Test
  void aTenthIsEveryTenthClient() {
    assertEquals(100, slowAmong(0, 1000, 0.1));
    assertTrue(SlowShare.isSlow(9, 0.1));
    assertFalse(SlowShare.isSlow(0, 0.1));
    assertFalse(SlowShare.isSlow(10, 0.1));
  }

  @Test
  void anyRunOfClientsHoldsItsShare() {
    for (int from : new int[] {0, 7, 333}) {
      int n = slowAmong(from, 50, 0.25);
      assertTrue(n == 12 || n == 13, "from " + from + ": " + n);
    }
    assertEquals(1, slowAmong(0, 3, 1 / 3.0));
  }

  @Test
  void zeroAndOneAreTheEnds() {
    assertEquals(0, slowAmong(0, 100, 0));
    assertEquals(100, slowAmong(0, 100, 1));
    assertThrows(IllegalArgumentException.class, () -> SlowShare.validate(0));
    assertThrows(IllegalArgumentException.class, () -> SlowShare.validate(1));
    assertThrows(IllegalArgumentException.class, () -> SlowShare.validate(Double.NaN));
    SlowShare.validate(0.1);
  }
}
