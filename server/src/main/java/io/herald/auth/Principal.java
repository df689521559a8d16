package io.herald.auth;

import io.herald.hub.ChannelPolicy;
import io.herald.hub.UserId;
import java.time.Instant;
import java.util.List;

/**
 * An authenticated user.
 *
 * @param userId who connected
 * @param channelGlobs the {@code private-} channels the token allows ({@code *} matches any run of
 *     characters, {@code ?} exactly one)
 * @param expiresAt when the credentials stop being valid (the token's {@code exp}, the auth
 *     proxy's {@code expires_at}), or null when they do not expire; the connection is warned
 *     before and closed with 4001 at that time unless it sends a fresh token
 */
public record Principal(UserId userId, List<String> channelGlobs, Instant expiresAt) implements ChannelPolicy {
  public Principal {
    channelGlobs = List.copyOf(channelGlobs);
  }

  public Principal(UserId userId, List<String> channelGlobs) {
    this(userId, channelGlobs, null);
  }

  @Override
  public boolean mayJoinPrivate(String channel) {
    for (String glob : channelGlobs) {
      if (Glob.matches(glob, channel)) {
        return true;
      }
    }
    return false;
  }
}
