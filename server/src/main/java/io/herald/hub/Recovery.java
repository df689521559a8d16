package io.herald.hub;

import io.herald.protocol.Message;
import io.herald.history.Frames;
import io.herald.history.History;
import io.herald.history.RecoveryOutcome;
import io.herald.history.Position;
import io.herald.history.Replay;
import io.herald.history.StreamId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a session up to date on some streams: holds the live messages of those streams while
 * their history is read (asynchronously), sends what the session missed, then the held messages
 * that are newer, then lets live messages through. Every message reaches the session once, in
 * offset order per stream, with no gap at the seam.
 *
 * <p>Why it works: the session receives live messages from before the read starts, so a message
 * is either numbered at most the read's top (in the replay) or published after the read (held).
 * Held messages at or below the top are dropped as already replayed.
 *
 * <p>Held messages are bounded ({@code bound} per stream); past the bound they are dropped and
 * the stream is answered {@code recovered: false}. Everything here but the read runs on the
 * session's lane.
 */
public final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {
  }

  /**
   * One stream's gate on a recovering session; lane thread only. While {@code holding}, live
   * messages wait (up to {@code bound}). After the replay it drops, for {@link #FLOOR_WINDOW_NANOS},
   * messages numbered at most the last one sent: in cluster mode a message kept before the read
   * may still be on its way from the node that published it. The first newer message opens it.
   */
  static final class Gate {
    /** Longest a message kept before the read can trail behind it (publish after keep). */
    static final long FLOOR_WINDOW_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    final List<Message> messages = new ArrayList<>();
    final int bound;
    boolean holding = true;
    long dropped = -1;
    private long floor = -1;
    private long until;

    Gate(int bound) {
      this.bound = bound;
    }

    long floor() {
      return holding ? Long.MAX_VALUE : floor;
    }

    /** Whether to send the message now; false when it is held or was already sent. */
    boolean admit(Message m) {
      if (holding) {
        if (dropped >= 0 || messages.size() >= bound) {
          dropped = Math.max(dropped, Math.max(m.offset(), 0));
          messages.clear();
        } else {
          messages.add(m);
        }
        return false;
      }
      return m.offset() < 0 || m.offset() > floor || System.nanoTime() - until > 0;
    }

    void open(long lastSent) {
      holding = false;
      floor = lastSent;
      until = System.nanoTime() + FLOOR_WINDOW_NANOS;
    }
  }

  /**
   * Recovers a joined session's own user stream and the all-users stream from the positions it
   * presented (null: it only asks where they stand); on its lane. Completes on the lane after the
   * missed messages were queued.
   */
  static CompletionStage<Map<StreamId, RecoveryOutcome>> userStreams(History history, Session s,
                                                                    Position user, Position all) {
    Map<StreamId, Position> from = new LinkedHashMap<>();
    List<StreamId> without = new ArrayList<>(2);
    for (StreamId stream : List.of(StreamId.user(s.userId().value()), StreamId.ALL)) {
      if (history.retention().keeps(stream)) {
        from.put(stream, stream.kind() == StreamId.Kind.USER ? user : all);
      } else {
        without.add(stream);
      }
    }
    // A stream that keeps no history cannot promise that nothing was missed.
    return start(history, s, from, history.retention().recoveryBuffer()).thenApply(outcomes -> {
      Map<StreamId, RecoveryOutcome> answer = new LinkedHashMap<>(outcomes);
      without.forEach(stream -> answer.put(stream, new RecoveryOutcome(null, -1, false)));
      return answer;
    });
  }

  /**
   * Recovers a channel's stream from {@code from} (null: only where it stands) once
   * {@code subscribed} completes, holding its live messages meanwhile; on the session's lane. A
   * failed subscribe releases what was held and fails the answer the same way.
   */
  static CompletionStage<RecoveryOutcome> channel(History history, Session s, StreamId stream, Position from,
                                                  CompletionStage<Void> subscribed) {
    s.gate(stream, new Gate(history.retention().recoveryBuffer()));
    Map<StreamId, Position> positions = new LinkedHashMap<>();
    positions.put(stream, from);
    CompletableFuture<RecoveryOutcome> done = new CompletableFuture<>();
    subscribed.whenComplete((v, err) -> s.lane().execute(() -> {
      if (err != null) {
        Gate g = s.ungate(stream);
        if (g != null) {
          g.messages.forEach(s::send);
        }
        done.completeExceptionally(err);
      } else {
        read(history, s, positions).thenAccept(outcomes -> done.complete(outcomes.get(stream)));
      }
    }));
    return done;
  }

  /**
   * Starts recovering the streams; on the session's lane. A null position asks only where the
   * stream stands (the session is new to it). Completes on the lane once every stream is done.
   */
  static CompletionStage<Map<StreamId, RecoveryOutcome>> start(History history, Session s,
                                                        Map<StreamId, Position> from, int bound) {
    for (StreamId stream : from.keySet()) {
      s.gate(stream, new Gate(bound));
    }
    return read(history, s, from);
  }

  /** As {@link #start} for streams the session already holds. */
  static CompletionStage<Map<StreamId, RecoveryOutcome>> read(History history, Session s, Map<StreamId, Position> from) {
    List<CompletableFuture<Replay>> reads = new ArrayList<>();
    for (Map.Entry<StreamId, Position> e : from.entrySet()) {
      reads.add(history.since(e.getKey(), e.getValue()).toCompletableFuture());
    }
    CompletableFuture<Map<StreamId, RecoveryOutcome>> done = new CompletableFuture<>();
    // Queued, never run inline: deliveries queued before the read completed must pass the gate first.
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).whenComplete((v, err) -> s.lane().queue(() -> {
      Map<StreamId, RecoveryOutcome> outcomes = new LinkedHashMap<>();
      int i = 0;
      for (Map.Entry<StreamId, Position> e : from.entrySet()) {
        CompletableFuture<Replay> read = reads.get(i++);
        Replay replay = read.isCompletedExceptionally() ? null : read.join();
        if (replay == null) {
          log.warn("could not read the history of {} for session {}: {}", e.getKey(), s.id(),
              read.handle((r, x) -> String.valueOf(x)).join());
        }
        outcomes.put(e.getKey(), finish(s, e.getKey(), e.getValue(), replay));
      }
      done.complete(outcomes);
    }));
    return done;
  }

  /** Sends the replay and the newer held messages, then opens the gate; on the lane. */
  private static RecoveryOutcome finish(Session s, StreamId stream, Position from, Replay replay) {
    Gate gate = s.gates == null ? null : s.gates.get(stream);
    if (gate == null) { // the session left meanwhile
      return new RecoveryOutcome(replay == null ? null : replay.top().epoch(), -1, false);
    }
    if (replay == null) { // history unreachable: live resumes, the client is told it may have missed some
      s.ungate(stream);
      gate.messages.forEach(s::send);
      return new RecoveryOutcome(null, -1, false);
    }
    long last = replay.top().offset();
    gate.holding = false;
    gate.open(Long.MAX_VALUE); // while sending below, live messages cannot interleave (same thread)
    s.ungate(stream);
    if (from != null) {
      for (Replay.Entry e : replay.frames()) {
        if (!e.excluded().contains(s.userId().value())) {
          s.send(Message.numbered(Frames.type(e.frame()), e.frame(), stream, e.offset()));
        }
      }
    }
    for (Message m : gate.messages) {
      if (from == null || m.offset() < 0 || m.offset() > replay.top().offset()) {
        s.send(m);
        last = Math.max(last, m.offset());
      }
    }
    last = Math.max(last, gate.dropped);
    gate.messages.clear();
    gate.open(last);
    s.gate(stream, gate);
    boolean recovered = (from == null || replay.complete()) && gate.dropped < 0;
    return new RecoveryOutcome(replay.top().epoch(), last, recovered);
  }
}
