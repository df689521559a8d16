package io.herald.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a configuration reload may change in a running server, and what waits for a restart.
 *
 * <p>Reloadable: the API key, every JWT and auth setting ({@code auth.*}, {@code jwt.*}), the per-connection
 * limits and heartbeat (for connections opened afterwards), {@code channels.client_broadcast},
 * {@code log.level}, the TLS certificate and key, and {@code shutdown.drain_timeout}. Everything
 * else (addresses, ports, threads, folders, the cluster, the limits baked into the socket setup)
 * keeps its running value; {@link #restartNeeded} names what differs.
 */
public final class Reloading {
  private Reloading() {
  }

  /** The configuration to run with: {@code next} where reloadable, {@code running} elsewhere. */
  public static ServerConfig merge(ServerConfig running, ServerConfig next) {
    ServerConfig.Api api = new ServerConfig.Api(next.api().key(), running.api().port(),
        running.api().maxBodyBytes(), running.api().maxUserIds(), running.api().maxBatch());
    ServerConfig.Limits n = next.limits();
    ServerConfig.Limits limits = new ServerConfig.Limits(n.maxFrameBytes(), n.maxChannelsPerConnection(),
        n.messagesPerSecond(), n.messageBurst(), n.broadcastsPerMinute(), running.limits().maxPendingBytes(),
        running.limits().handshakeTimeout(), n.clientBroadcast(), n.closeGrace());
    return new ServerConfig(running.host(), running.port(), running.ioThreads(), running.transport(), running.dataDir(),
        next.auth(), api, next.heartbeat(), limits, running.cluster(),
        new ServerConfig.Logging(running.logging().dir(), next.logging().level()),
        next.tls(), next.shutdown(), next.dashboard(), next.guard(), running.pusher(), running.history(),
        running.idempotencyTtl());
  }

  /** The keys whose new value waits for a restart, each as {@code key: running -> next}. */
  public static List<String> restartNeeded(ServerConfig running, ServerConfig next) {
    List<String> out = new ArrayList<>();
    differs(out, ConfigKey.HOST, running.host(), next.host());
    differs(out, ConfigKey.PORT, running.port(), next.port());
    differs(out, ConfigKey.API_PORT, running.api().port(), next.api().port());
    differs(out, ConfigKey.IO_THREADS, running.ioThreads(), next.ioThreads());
    differs(out, ConfigKey.TRANSPORT, running.transport(), next.transport());
    differs(out, ConfigKey.DATA_DIR, running.dataDir(), next.dataDir());
    differs(out, ConfigKey.API_MAX_BODY_BYTES, running.api().maxBodyBytes(), next.api().maxBodyBytes());
    differs(out, ConfigKey.API_MAX_USER_IDS, running.api().maxUserIds(), next.api().maxUserIds());
    differs(out, ConfigKey.MAX_PENDING_BYTES, running.limits().maxPendingBytes(), next.limits().maxPendingBytes());
    differs(out, ConfigKey.HANDSHAKE_TIMEOUT, running.limits().handshakeTimeout(), next.limits().handshakeTimeout());
    differs(out, ConfigKey.API_MAX_BATCH, running.api().maxBatch(), next.api().maxBatch());
    differs(out, ConfigKey.HISTORY_ENABLED, running.history(), next.history());
    differs(out, ConfigKey.IDEMPOTENCY_TTL, running.idempotencyTtl(), next.idempotencyTtl());
    differs(out, ConfigKey.LOG_DIR, running.logging().dir(), next.logging().dir());
    if (!Objects.equals(running.cluster().redisUrl(), next.cluster().redisUrl())) {
      out.add(ConfigKey.REDIS_URL.key() + " changed");
    }
    // node.id is left out: unset, it is drawn anew at every load.
    differs(out, ConfigKey.REDIS_PRESENCE_TTL, running.cluster().presenceTtl(), next.cluster().presenceTtl());
    differs(out, ConfigKey.REDIS_TIMEOUT, running.cluster().redisTimeout(), next.cluster().redisTimeout());
    differs(out, ConfigKey.REDIS_PREFIX, running.cluster().redisPrefix(), next.cluster().redisPrefix());
    if (!Objects.equals(running.pusher(), next.pusher())) {
      out.add("pusher.* changed");
    }
    return out;
  }

  private static void differs(List<String> out, ConfigKey key, Object running, Object next) {
    if (!Objects.equals(running, next)) {
      out.add(key.key() + ": " + running + " -> " + next);
    }
  }
}
