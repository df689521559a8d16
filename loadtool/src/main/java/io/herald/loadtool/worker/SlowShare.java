package io.herald.loadtool.worker;

/**
 * Which clients play slow consumers: with share {@code s}, client {@code i} is slow when
 * {@code floor((i + 1) * s) > floor(i * s)}, so any {@code n} consecutive clients hold
 * {@code floor(n * s)} or {@code ceil(n * s)} slow ones, spread evenly (every tenth for 0.1).
 */
public final class SlowShare {
  private SlowShare() {
  }

  public static boolean isSlow(int index, double share) {
    if (!(share > 0)) {
      return false;
    }
    if (share >= 1) {
      return true;
    }
    return Math.floor((index + 1) * share) > Math.floor(index * share);
  }

  public static void validate(double share) {
    if (!(share > 0 && share < 1)) {
      throw new IllegalArgumentException("--slow-share must be above 0 and below 1: " + share);
    }
  }
}
