package io.herald.transport;

import io.netty.channel.EventLoop;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's heartbeat sweep: one periodic task per loop instead of a timer per connection.
 * Each open connection of any protocol registers its {@link Member}; confined to the loop's thread.
 */
final class HeartbeatSweep {

  /** A connection's heartbeat policy, ticked by the sweep. */
  interface Member {
    /** Pings when due, closes when silent too long; {@code now} is {@link System#nanoTime()}. */
    void tick(long now);
  }

  private final EventLoop loop;
  private final Set<Member> members = new LinkedHashSet<>();
  // Only accessed on the loop's thread.
  private ScheduledFuture<?> task;
  private long periodNanos;

  HeartbeatSweep(EventLoop loop) {
    this.loop = loop;
  }

  /**
   * Sweeps every {@code periodNanos}, replacing the running sweep when the period differs (a
   * reloaded heartbeat, issue 9 defect 11). Any thread.
   */
  void every(long periodNanos) {
    loop.execute(() -> {
      if (task != null && periodNanos == this.periodNanos) {
        return;
      }
      if (task != null) {
        task.cancel(false);
      }
      this.periodNanos = periodNanos;
      task = loop.scheduleAtFixedRate(this::sweep, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    });
  }

  /** On the loop's thread. */
  void add(Member m) {
    members.add(m);
  }

  /** On the loop's thread. */
  void remove(Member m) {
    members.remove(m);
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Member m : members.toArray(new Member[0])) {
      m.tick(now);
    }
  }
}
