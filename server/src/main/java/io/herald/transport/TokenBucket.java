package io.herald.transport;

/** A rate limit: {@code ratePerSecond} sustained, {@code burst} at once. Not thread-safe. */
final class TokenBucket {
  private final double ratePerSecond;
  private final double ratePerNano;
  private final int burst;
  private double tokens;
  private long refilledAt;

  TokenBucket(double ratePerSecond, int burst, long nowNanos) {
    this.ratePerSecond = ratePerSecond;
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.refilledAt = nowNanos;
  }

  boolean tryTake(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** True when the bucket holds its whole burst again. */
  boolean full(long nowNanos) {
    refill(nowNanos);
    return tokens >= burst;
  }

  double ratePerSecond() {
    return ratePerSecond;
  }

  int burst() {
    return burst;
  }

  private void refill(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * ratePerNano);
    refilledAt = nowNanos;
  }
}
