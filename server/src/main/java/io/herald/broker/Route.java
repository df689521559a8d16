package io.herald.broker;

import java.util.List;
import java.util.Set;

/**
 * Where a published message goes. User ids are in their canonical text form ({@code "123"},
 * {@code "alice"}), so the broker needs no knowledge of the hub's types.
 */
public sealed interface Route {

  /** Every connection of these users. */
  record ToUsers(List<String> userIds) implements Route {
    public ToUsers {
      userIds = List.copyOf(userIds);
    }
  }

  /**
   * Every connection subscribed to the channel, except the connection whose id is
   * {@code exceptConnection} (null: none), e.g. the sender of a Pusher client event.
   */
  record ToChannel(String channel, String exceptConnection) implements Route {
    public ToChannel(String channel) {
      this(channel, null);
    }
  }

  /** Every connection, except those of the excluded users. */
  record ToAll(Set<String> excludedUserIds) implements Route {
    public ToAll {
      excludedUserIds = Set.copyOf(excludedUserIds);
    }
  }

  /** Close every connection of these users with 4002 (no payload). */
  record Disconnect(List<String> userIds) implements Route {
    public Disconnect {
      userIds = List.copyOf(userIds);
    }
  }
}
