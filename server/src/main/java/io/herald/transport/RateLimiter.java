package io.herald.transport;

/**
 * The per-connection limits on client messages: {@code limits.messages_per_second} with a burst
 * of {@code limits.message_burst} for every frame, and {@code limits.broadcasts_per_minute} for
 * client broadcasts. A client that keeps sending past the limit for more than a burst's worth of
 * frames in a row is to be closed. Event loop only.
 */
final class RateLimiter {
  /** What to do with one client message. */
  enum Verdict { ACCEPT, DROP, CLOSE }

  private final WsSettings settings;
  private final TokenBucket messages;
  private TokenBucket broadcasts;
  private int strikes;

  RateLimiter(WsSettings settings, long nowNanos) {
    this.settings = settings;
    this.messages = new TokenBucket(settings.messagesPerSecond(), settings.messageBurst(), nowNanos);
  }

  /** The verdict on a client message that arrived at {@code now}. */
  Verdict message(long now) {
    if (messages.tryTake(now)) {
      strikes = 0;
      return Verdict.ACCEPT;
    }
    return ++strikes > settings.messageBurst() ? Verdict.CLOSE : Verdict.DROP;
  }

  /** True when a client broadcast at {@code now} is within the per-minute limit. */
  boolean broadcast(long now) {
    if (broadcasts == null) {
      broadcasts = new TokenBucket(settings.broadcastsPerMinute() / 60.0, settings.broadcastsPerMinute(), now);
    }
    return broadcasts.tryTake(now);
  }
}
