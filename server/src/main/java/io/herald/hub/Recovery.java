package io.herald.hub;

import io.herald.history.Frames;
import io.herald.history.History;
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

  /** Per stream: where the session now stands and whether nothing was missed. */
  public record Outcome(String epoch, long offset, boolean recovered) {
  }

  /** Live messages of one stream held for a recovering session; lane thread only. */
  static final class Held {
    final List<Message> messages = new ArrayList<>();
    final int bound;
    long dropped = -1;

    Held(int bound) {
      this.bound = bound;
    }

    void add(Message m) {
      if (dropped >= 0 || messages.size() >= bound) {
        dropped = Math.max(dropped, Math.max(m.offset(), 0));
        messages.clear();
        return;
      }
      messages.add(m);
    }
  }

  /**
   * Starts recovering the streams; on the session's lane. A null position asks only where the
   * stream stands (the session is new to it). Completes on the lane once every stream is done.
   */
  static CompletionStage<Map<StreamId, Outcome>> start(History history, Session s,
                                                        Map<StreamId, Position> from, int bound) {
    for (StreamId stream : from.keySet()) {
      s.hold(stream, new Held(bound));
    }
    return read(history, s, from);
  }

  /** As {@link #start} for streams the session already holds. */
  static CompletionStage<Map<StreamId, Outcome>> read(History history, Session s, Map<StreamId, Position> from) {
    List<CompletableFuture<Replay>> reads = new ArrayList<>();
    for (Map.Entry<StreamId, Position> e : from.entrySet()) {
      reads.add(history.since(e.getKey(), e.getValue()).toCompletableFuture());
    }
    CompletableFuture<Map<StreamId, Outcome>> done = new CompletableFuture<>();
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).whenComplete((v, err) -> s.lane().execute(() -> {
      Map<StreamId, Outcome> outcomes = new LinkedHashMap<>();
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

  /** Sends the replay and the newer held messages, then stops holding; on the lane. */
  private static Outcome finish(Session s, StreamId stream, Position from, Replay replay) {
    Held held = s.release(stream);
    if (replay == null) { // history unreachable: live resumes, the client is told it may have missed some
      held.messages.forEach(s::send);
      return new Outcome(null, -1, false);
    }
    long last = replay.top().offset();
    if (from != null) {
      for (Replay.Entry e : replay.frames()) {
        if (!e.excluded().contains(s.userId().value())) {
          s.send(Message.numbered(Frames.type(e.frame()), e.frame(), stream, e.offset()));
        }
      }
    }
    for (Message m : held.messages) {
      if (from == null || m.offset() < 0 || m.offset() > replay.top().offset()) {
        s.send(m);
        last = Math.max(last, m.offset());
      }
    }
    last = Math.max(last, held.dropped);
    boolean recovered = (from == null || replay.complete()) && held.dropped < 0;
    return new Outcome(replay.top().epoch(), last, recovered);
  }
}
