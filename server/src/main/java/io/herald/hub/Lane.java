package io.herald.hub;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * One thread's share of the connections (a transport maps each event loop to a lane). The hub
 * fans a message out with one task per lane instead of one per recipient, and everything below is
 * confined to the lane's thread, so it needs no locks.
 */
public final class Lane {
  private final Executor executor;
  private final BooleanSupplier inLane;

  // Only accessed on this lane's thread.
  final Set<Session> sessions = new LinkedHashSet<>();
  final Map<String, Set<Session>> channels = new HashMap<>();

  Lane(Executor executor, BooleanSupplier inLane) {
    this.executor = executor;
    this.inLane = inLane;
  }

  /** Runs the task on this lane's thread: at once when already there, else queued in order. */
  public void execute(Runnable task) {
    if (inLane.getAsBoolean()) {
      task.run();
    } else {
      executor.execute(task);
    }
  }

  /**
   * Runs the task on this lane's thread after the tasks already queued, even when called on it.
   * Numbered messages use this: running inline could overtake a message queued a moment earlier
   * from another thread, and offsets must arrive in order.
   */
  public void queue(Runnable task) {
    executor.execute(task);
  }

  public boolean inLane() {
    return inLane.getAsBoolean();
  }

  /** The sessions on this lane; call on the lane's thread only. */
  public Iterable<Session> sessions() {
    return sessions;
  }

  public int size() {
    return sessions.size();
  }
}
