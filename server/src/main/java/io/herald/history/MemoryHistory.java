package io.herald.history;

import io.herald.history.Retention.Rule;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Single-node history: per stream, a deque of the last frames under the stream's lock.
 *
 * <p><b>Bounds.</b> Each stream keeps at most its rule's size, each frame at most its ttl, and
 * all streams together at most {@link Retention#maxBytes} of frames (a stream that pushes the
 * total over drops its own oldest frames). A sweep every {@link #SWEEP_INTERVAL_MS} drops
 * expired frames and frees streams idle longer than {@link Retention#metaTtl}; a freed stream
 * starts again under a new epoch, so an old position is answered {@code recovered: false}.
 *
 * <p><b>Concurrency.</b> {@link #append} numbers, keeps and runs {@code then} while holding the
 * stream's lock, so frames reach connections in offset order whichever thread publishes.
 */
public final class MemoryHistory implements History {
  static final long SWEEP_INTERVAL_MS = 1000;
  /** Bytes a kept frame costs beyond its own bytes (entry, deque slot, array header); estimated. */
  static final int ENTRY_OVERHEAD_BYTES = 64;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Retention retention;
  private final LongSupplier millis;
  private final ConcurrentHashMap<StreamId, Stream> streams = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private final ScheduledExecutorService sweeper;

  /** Sweeps on its own daemon thread. */
  public MemoryHistory(Retention retention) {
    this(retention, System::currentTimeMillis, true);
  }

  /** {@code millis} is the clock; without {@code sweep} tests call {@link #sweep()} themselves. */
  MemoryHistory(Retention retention, LongSupplier millis, boolean sweep) {
    this.retention = retention;
    this.millis = millis;
    if (sweep && retention.enabled()) {
      sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "herald-history-sweep");
        t.setDaemon(true);
        return t;
      });
      sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
    } else {
      sweeper = null;
    }
  }

  @Override
  public Retention retention() {
    return retention;
  }

  @Override
  public CompletionStage<Void> append(StreamId id, byte[] json, Set<String> excluded, Appended then) {
    Rule rule = retention.of(id);
    if (!rule.on()) {
      throw new IllegalArgumentException("stream " + id + " keeps no history");
    }
    long now = millis.getAsLong();
    while (true) {
      Stream s = stream(id, now);
      synchronized (s) {
        if (s.freed) {
          continue;
        }
        long offset = ++s.top;
        byte[] frame = Frames.stamp(json, s.tail(id, offset));
        s.entries.addLast(new Kept(offset, now, frame, excluded));
        bytes.addAndGet(cost(frame));
        s.touched = now;
        trim(s, rule, now);
        then.accept(offset, frame);
        return DONE;
      }
    }
  }

  @Override
  public CompletionStage<Replay> since(StreamId id, Position from) {
    long now = millis.getAsLong();
    while (true) {
      Stream s = stream(id, now);
      synchronized (s) {
        if (s.freed) {
          continue;
        }
        s.touched = now;
        trim(s, retention.of(id), now);
        List<Replay.Entry> kept = new ArrayList<>(s.entries.size());
        for (Kept k : s.entries) {
          kept.add(new Replay.Entry(k.offset, k.frame, k.excluded));
        }
        return CompletableFuture.completedFuture(Replay.of(new Position(s.epoch, s.top), kept, from));
      }
    }
  }

  /** Drops expired frames and frees idle streams; on the sweeper thread. */
  void sweep() {
    long now = millis.getAsLong();
    for (Map.Entry<StreamId, Stream> e : streams.entrySet()) {
      Stream s = e.getValue();
      synchronized (s) {
        trim(s, retention.of(e.getKey()), now);
        if (s.entries.isEmpty() && now - s.touched >= retention.metaTtl().toMillis()) {
          s.freed = true;
          streams.remove(e.getKey(), s);
        }
      }
    }
  }

  /** Streams held (with or without frames). */
  int streamCount() {
    return streams.size();
  }

  /** Bytes of kept frames, with their estimated overhead. */
  long keptBytes() {
    return bytes.get();
  }

  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    streams.clear();
    bytes.set(0);
  }

  private Stream stream(StreamId id, long now) {
    return streams.computeIfAbsent(id, k -> new Stream(newEpoch(), now));
  }

  /** Under the stream's lock. */
  private void trim(Stream s, Rule rule, long now) {
    long oldest = now - rule.ttl().toMillis();
    while (!s.entries.isEmpty()) {
      Kept first = s.entries.peekFirst();
      boolean over = s.entries.size() > rule.size() || first.at < oldest
          || (bytes.get() > retention.maxBytes() && s.entries.size() > 1);
      if (!over) {
        break;
      }
      s.entries.removeFirst();
      bytes.addAndGet(-cost(first.frame));
    }
  }

  private static int cost(byte[] frame) {
    return frame.length + ENTRY_OVERHEAD_BYTES;
  }

  static String newEpoch() {
    return Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
  }

  private record Kept(long offset, long at, byte[] frame, Set<String> excluded) {
  }

  /** One stream; every field is guarded by the stream's own lock. */
  private static final class Stream {
    final String epoch;
    final ArrayDeque<Kept> entries = new ArrayDeque<>();
    long top;
    long touched;
    boolean freed;

    Stream(String epoch, long now) {
      this.epoch = epoch;
      this.touched = now;
    }

    byte[] tail(StreamId id, long offset) {
      return Frames.tail(id, epoch, offset);
    }
  }
}
