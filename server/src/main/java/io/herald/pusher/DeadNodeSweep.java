package io.herald.pusher;

import io.herald.broker.ChannelStore;
import io.herald.config.ServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: every {@code redis.presence_ttl}, takes the subscribers and presence members of
 * nodes that died without cleaning up out of the {@link ChannelStore}, and tells the survivors
 * (member_removed to the channel's subscribers; channel_vacated and member_removed webhooks). The
 * store reports each leftover to exactly one sweeping node, so nothing is told twice.
 */
final class DeadNodeSweep implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeadNodeSweep.class);

  private final PusherContext context;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "herald-pusher-sweep");
    t.setDaemon(true);
    return t;
  });

  DeadNodeSweep(PusherContext context, Duration every) {
    this.context = context;
    timer.scheduleWithFixedDelay(this::sweep, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sweep() {
    try {
      context.store().sweep().whenComplete((swept, err) -> {
        if (err != null) {
          log.debug("Pusher dead-node sweep failed: {}", err.toString());
        } else {
          report(swept);
        }
      }).toCompletableFuture().get(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      log.debug("Pusher dead-node sweep did not finish: {}", e.toString());
    }
  }

  private void report(ChannelStore.Swept swept) {
    for (String hub : swept.vacated()) {
      PusherEvents.Named n = PusherEvents.fromHub(context, hub);
      if (n != null) {
        context.webhooks().vacated(n.app(), n.channel());
      }
    }
    for (Map.Entry<String, List<String>> e : swept.removedMembers().entrySet()) {
      PusherEvents.Named n = PusherEvents.fromHub(context, e.getKey());
      if (n == null) {
        continue;
      }
      for (String user : e.getValue()) {
        log.info("presence channel {}: member {} left with a node that died", n.channel(), user);
        context.hub().publishToChannel(e.getKey(), PusherFormat.event("pusher_internal:member_removed", n.channel(),
            PusherFrames.json(Map.of("user_id", user)), null), null);
        context.webhooks().memberRemoved(n.app(), n.channel(), user);
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  static DeadNodeSweep startIfClustered(PusherContext context, ServerConfig config) {
    return config.cluster().enabled() ? new DeadNodeSweep(context, config.cluster().presenceTtl()) : null;
  }
}
