package io.herald.history;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Keeps the recent messages of each stream, numbered with consecutive offsets, so a client that
 * reconnects gets what it missed. {@link MemoryHistory} serves one node;
 * {@link io.herald.history.redis.RedisHistory} a cluster.
 *
 * <p><b>Threading.</b> Every method may be called from any thread, including event loops, and
 * none blocks. Futures complete on the implementation's threads; callers hop to their own loop
 * before touching a session.
 *
 * <p><b>Order.</b> {@link #append} runs {@code then} in offset order for the appends this node
 * makes to one stream, so the caller can hand frames to its connections from {@code then} and
 * they arrive in offset order.
 */
public interface History extends AutoCloseable {

  /**
   * Numbers a frame and keeps it. {@code json} is the serialized frame
   * ({@code {"type":…,"data":…}}); the stored and returned frame ends with the stream fields
   * ({@link Frames#stamp}). {@code excluded}: users a broadcast leaves out, never replayed to
   * them. {@code then} receives the stamped frame before the returned stage completes.
   */
  CompletionStage<Void> append(StreamId stream, byte[] json, Set<String> excluded, Appended then);

  /**
   * The frames after {@code from} (null: none, only the stream's top), with whether they are
   * complete. A stream never written has an epoch and offset 0.
   */
  CompletionStage<Replay> since(StreamId stream, Position from);

  /** Which streams keep history, and for how long. */
  Retention retention();

  /** Stops timers and connections. Must not throw. */
  @Override
  void close();

  /** Receives a stamped frame; see {@link History#append}. */
  @FunctionalInterface
  interface Appended {
    void accept(long offset, byte[] frame);
  }
}
