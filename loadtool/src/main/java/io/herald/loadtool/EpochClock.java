package io.herald.loadtool;

import java.time.Instant;

/**
 * Wall-clock microseconds since the epoch, comparable across processes on one machine.
 *
 * <p>The pusher and the workers are separate JVMs, so {@code System.nanoTime()} (whose origin is
 * per process) cannot measure end-to-end latency. {@link Instant#now()} reads
 * {@code clock_gettime(CLOCK_REALTIME)} on Linux with microsecond resolution or better, and every
 * process on the machine reads the same clock.
 */
public final class EpochClock {
  private EpochClock() {
  }

  public static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
