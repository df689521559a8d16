package io.herald.loadtool.coordinator;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;

/**
 * Pushes whose admin answer did not come within the push timeout, matched by id against what the
 * clients received. The server may have taken such a push and only answered late, so one that
 * reached any client counts as delivered and is expected at every subscriber, like a push answered
 * OK (those that missed it are lost). One that reached no client is a failed push.
 */
record TimedOutPushes(long count, long delivered, long expectedDeliveries) {
  static final TimedOutPushes NONE = new TimedOutPushes(0, 0, 0);

  /**
   * {@code receivers[i]}: the clients that received {@code pushes.get(i)}; {@code subscribers}: the
   * clients a push to a slot is meant for.
   */
  static TimedOutPushes match(List<Pusher.PushId> pushes, long[] receivers, IntToLongFunction subscribers) {
    long delivered = 0;
    long expected = 0;
    for (int i = 0; i < pushes.size(); i++) {
      if (receivers[i] > 0) {
        delivered++;
        expected += subscribers.applyAsLong(pushes.get(i).slot());
      }
    }
    return new TimedOutPushes(pushes.size(), delivered, expected);
  }

  /**
   * Waits until the workers' {@code counter} reaches {@code expected} (the OK pushes'
   * deliveries), matches {@code timedOut} against what the clients received, and when some of them
   * were delivered waits, within the same {@code timeout}, for theirs too: their deliveries may have
   * ended the first wait before the OK pushes' were all in.
   */
  static TimedOutPushes drain(Run run, String counter, LongSupplier expected, List<Pusher.PushId> timedOut,
      IntToLongFunction subscribers, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    run.drain(counter, expected, timeout);
    if (timedOut.isEmpty()) {
      return NONE;
    }
    TimedOutPushes matched = match(timedOut, run.receivers(timedOut), subscribers);
    if (matched.expectedDeliveries() > 0) {
      run.drain(counter, () -> expected.getAsLong() + matched.expectedDeliveries(),
          Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    return matched;
  }

  long undelivered() {
    return count - delivered;
  }
}
