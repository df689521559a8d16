package io.herald.history;

/**
 * Where a recovering reader stands in one stream once its missed messages were sent.
 *
 * @param epoch the stream's epoch; null when the history could not be read
 * @param offset the last offset sent (or the stream's top); -1 when unknown
 * @param recovered true when every message after the presented position was replayed
 */
public record RecoveryOutcome(String epoch, long offset, boolean recovered) {
}
