package io.herald.history;

/**
 * Where a reader stands in a stream: the stream's epoch and the offset of the last message it
 * has. Offsets start at 1; offset 0 means "before the first message".
 */
public record Position(String epoch, long offset) {
  public Position {
    if (epoch == null || epoch.isEmpty()) {
      throw new IllegalArgumentException("epoch must not be empty");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + offset);
    }
  }
}
