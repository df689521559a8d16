package io.herald.hub;

/**
 * The hub's limits and switches.
 *
 * @param maxChannelsPerConnection subscriptions one connection may hold
 * @param clientBroadcast whether clients may send {@code broadcast} frames
 */
public record HubSettings(int maxChannelsPerConnection, boolean clientBroadcast) {
  public static final int DEFAULT_MAX_CHANNELS_PER_CONNECTION = 100;

  public HubSettings {
    if (maxChannelsPerConnection < 1) {
      throw new IllegalArgumentException(
          "maxChannelsPerConnection must be at least 1: " + maxChannelsPerConnection);
    }
  }

  public static HubSettings defaults() {
    return new HubSettings(DEFAULT_MAX_CHANNELS_PER_CONNECTION, true);
  }
}
