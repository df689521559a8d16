package io.herald.history;

import java.util.List;

/**
 * What a stream holds after a reader's position.
 *
 * @param top the stream's current epoch and the offset of its newest message
 * @param frames the kept frames after the reader's offset, oldest first, as they were sent
 * @param complete true when {@code frames} are every message after the reader's position: same
 *     epoch, offset not in the future, nothing trimmed or expired in between
 */
public record Replay(Position top, List<Entry> frames, boolean complete) {

  /**
   * Builds the answer for a reader at {@code from} (null: only the top) given every frame the
   * stream keeps, oldest first. Frames of another epoch are never replayed.
   */
  public static Replay of(Position top, List<Entry> kept, Position from) {
    if (from == null) {
      return new Replay(top, List.of(), true);
    }
    if (!from.epoch().equals(top.epoch()) || from.offset() > top.offset()) {
      return new Replay(top, List.of(), false);
    }
    int first = 0;
    while (first < kept.size() && kept.get(first).offset() <= from.offset()) {
      first++;
    }
    List<Entry> after = List.copyOf(kept.subList(first, kept.size()));
    boolean complete = from.offset() == top.offset()
        || (!after.isEmpty() && after.get(0).offset() == from.offset() + 1
            && after.get(after.size() - 1).offset() == top.offset());
    return new Replay(top, after, complete);
  }

  /** One kept frame. {@code excluded} lists users a broadcast left out (empty otherwise). */
  public record Entry(long offset, byte[] frame, java.util.Set<String> excluded) {
  }
}
