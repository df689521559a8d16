package io.herald.auth;

import io.herald.hub.ChannelPolicy;
import io.herald.hub.UserId;
import java.util.List;

/**
 * An authenticated user.
 *
 * @param userId who connected
 * @param channelGlobs the {@code private-} channels the token allows ({@code *} matches any run of
 *     characters, {@code ?} exactly one)
 */
public record Principal(UserId userId, List<String> channelGlobs) implements ChannelPolicy {
  public Principal {
    channelGlobs = List.copyOf(channelGlobs);
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
