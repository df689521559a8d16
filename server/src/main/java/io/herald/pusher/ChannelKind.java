package io.herald.pusher;

import java.util.regex.Pattern;

/**
 * What a Pusher channel's name makes it. {@code private-encrypted-} channels are private channels
 * to the server (it never decrypts); {@code cache-} may prefix or follow the type prefix.
 */
public enum ChannelKind {
  PUBLIC, PRIVATE, ENCRYPTED, PRESENCE, USER;

  /** Pusher channel names: 1–164 of these characters; {@code #} starts server-reserved names. */
  private static final Pattern NAME = Pattern.compile("[-A-Za-z0-9_=@,.;]{1,164}");
  private static final Pattern USER_CHANNEL = Pattern.compile("#server-to-user-[-A-Za-z0-9_=@,.;]{1,128}");

  public static ChannelKind of(String channel) {
    if (channel.startsWith("#")) {
      return USER;
    }
    if (channel.startsWith("private-encrypted-")) {
      return ENCRYPTED;
    }
    if (channel.startsWith("private-")) {
      return PRIVATE;
    }
    if (channel.startsWith("presence-")) {
      return PRESENCE;
    }
    return PUBLIC;
  }

  /** Whether subscribing needs an auth string. */
  public boolean needsAuth() {
    return this == PRIVATE || this == ENCRYPTED || this == PRESENCE;
  }

  /** Whether clients may send {@code client-} events on it. */
  public boolean allowsClientEvents() {
    return this == PRIVATE || this == PRESENCE;
  }

  /** Cache channels keep their last server event for new subscribers. */
  public static boolean isCache(String channel) {
    return channel.startsWith("cache-") || channel.startsWith("private-cache-")
        || channel.startsWith("private-encrypted-cache-") || channel.startsWith("presence-cache-");
  }

  /** Whether the name is a valid Pusher channel name (user channels included). */
  public static boolean validName(String channel) {
    return channel != null && (NAME.matcher(channel).matches() || USER_CHANNEL.matcher(channel).matches());
  }

  /** The user channel of a signed-in user. */
  public static String userChannel(String userId) {
    return "#server-to-user-" + userId;
  }
}
