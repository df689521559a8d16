package io.herald.pusher;

import io.herald.broker.ChannelStore;
import io.herald.config.ServerConfig;
import io.herald.hub.Hub;
import io.herald.metrics.Metrics;
import java.time.Clock;

/** What the Pusher front door's parts share; built once when Pusher apps are configured. */
public record PusherContext(Hub hub, ChannelStore store, Apps apps, ServerConfig.Pusher settings,
                            Metrics metrics, Webhooks webhooks, Clock clock, java.util.List<AutoCloseable> resources)
    implements AutoCloseable {

  /** The front door of {@code config}, or null when no Pusher app is configured (nothing runs then). */
  public static PusherContext create(ServerConfig config, Hub hub, Metrics metrics, Clock clock) {
    if (!config.pusher().enabled()) {
      return null;
    }
    Apps apps = new Apps(config.pusher().apps());
    ChannelStore store = hub.broker().channelStore();
    java.util.List<AutoCloseable> resources = new java.util.concurrent.CopyOnWriteArrayList<>();
    Webhooks webhooks = new Webhooks(config.pusher(), store, clock);
    resources.add(webhooks);
    PusherContext context = new PusherContext(hub, store, apps, config.pusher(), metrics, webhooks, clock, resources);
    DeadNodeSweep sweep = DeadNodeSweep.startIfClustered(context, config);
    if (sweep != null) {
      resources.add(sweep);
    }
    return context;
  }

  /** Stops the webhook sender and the dead-node sweep. */
  @Override
  public void close() {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        // closing timers and executors: nothing to report
      }
    }
  }
}
