package io.herald.history;

import java.util.Objects;

/**
 * One stream of numbered messages: a user's own stream, the all-users stream, or a channel's.
 *
 * @param kind which of the three
 * @param name the user id or channel name; empty for {@link Kind#ALL}
 */
public record StreamId(Kind kind, String name) {
  public static final StreamId ALL = new StreamId(Kind.ALL, "");

  /** Stream kinds; {@link #wire()} is how frames and docs name them. */
  public enum Kind {
    USER("user"), ALL("all"), CHANNEL("channel");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public StreamId {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  public static StreamId user(String userId) {
    return new StreamId(Kind.USER, userId);
  }

  public static StreamId channel(String channel) {
    return new StreamId(Kind.CHANNEL, channel);
  }

  /** A short unique text for logs and storage keys: {@code user:42}, {@code all}, {@code channel:orders}. */
  public String key() {
    return kind == Kind.ALL ? "all" : kind.wire + ':' + name;
  }

  @Override
  public String toString() {
    return key();
  }
}
