package io.herald.pusher;

import io.herald.broker.ChannelStore;
import io.herald.config.ServerConfig;
import io.herald.hub.Hub;
import io.herald.metrics.Metrics;
import java.time.Clock;

/** What the Pusher front door's parts share; built once when Pusher apps are configured. */
public record PusherContext(Hub hub, ChannelStore store, Apps apps, ServerConfig.Pusher settings,
                            Metrics metrics, Webhooks webhooks, Clock clock) {

  /** The front door of {@code config}, or null when no Pusher app is configured (nothing runs then). */
  public static PusherContext create(ServerConfig config, Hub hub, Metrics metrics, Clock clock) {
    if (!config.pusher().enabled()) {
      return null;
    }
    Apps apps = new Apps(config.pusher().apps());
    ChannelStore store = hub.broker().channelStore();
    return new PusherContext(hub, store, apps, config.pusher(), metrics,
        new Webhooks(config.pusher(), store, clock), clock);
  }
}
