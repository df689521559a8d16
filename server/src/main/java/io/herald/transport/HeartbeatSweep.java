package io.herald.transport;

import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's heartbeat sweep: one periodic task per loop instead of a timer per connection.
 * Each open connection of any protocol registers its {@link Member}, which remembers its slot in a
 * plain array (no map entry per connection, nothing allocated per sweep). Confined to the loop's
 * thread.
 */
final class HeartbeatSweep {

  /** A connection's heartbeat policy, ticked by the sweep. */
  interface Member {
    /**
     * Pings when due, closes when silent too long, and does what else falls due by the clock (a
     * Herald connection's credential expiry); {@code now} is {@link System#nanoTime()}.
     */
    void tick(long now);

    /** The member's index in its sweep's array, kept by the member; -1 (initially) while not registered. */
    int sweepSlot();

    void sweepSlot(int slot);
  }

  private final EventLoop loop;
  private Member[] members = new Member[64];
  private int size;
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

  /** On the loop's thread; a member already registered stays where it is. */
  void add(Member m) {
    if (m.sweepSlot() >= 0) {
      return;
    }
    if (size == members.length) {
      members = Arrays.copyOf(members, size * 2);
    }
    m.sweepSlot(size);
    members[size++] = m;
  }

  /** On the loop's thread: the last member takes the slot of the one removed. */
  void remove(Member m) {
    int i = m.sweepSlot();
    if (i < 0) {
      return;
    }
    Member last = members[--size];
    members[i] = last;
    last.sweepSlot(i);
    members[size] = null;
    m.sweepSlot(-1);
  }

  int size() {
    return size;
  }

  /**
   * Ticks every member once. Backwards, so a member that leaves during its tick (or makes another
   * leave) only moves an already-ticked member into a lower slot; members added during the sweep
   * wait for the next one.
   */
  private void sweep() {
    long now = System.nanoTime();
    for (int i = size - 1; i >= 0; i--) {
      if (i < size) {
        members[i].tick(now);
      }
    }
    if (members.length > 64 && size < members.length / 4) {
      members = Arrays.copyOf(members, Math.max(64, members.length / 2));
    }
  }
}
