package io.herald.hub;

/** Decides which {@code private-} channels a connection may join. */
@FunctionalInterface
public interface ChannelPolicy {
  ChannelPolicy NONE = channel -> false;

  boolean mayJoinPrivate(String channel);
}
