package io.herald.broker.redis;

import io.herald.config.ServerConfig;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node uses Redis.
 *
 * @param url {@code redis://[:password@]host:port[/db]} or {@code rediss://…} for TLS
 * @param nodeId this node's id, unique in the cluster; part of key and channel names
 * @param presenceTtl life of the heartbeat key; renewed every third of it
 * @param timeout longest wait for a reply or a connection
 * @param prefix first part of every key and channel name, without the colon
 */
public record RedisSettings(String url, String nodeId, Duration presenceTtl, Duration timeout, String prefix) {
  /** Redis keeps key expiry to the millisecond; below a second the heartbeat gets too chatty. */
  public static final Duration MIN_PRESENCE_TTL = Duration.ofSeconds(1);

  public RedisSettings {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw new IllegalArgumentException("redis url must start with redis:// or rediss://");
    }
    try {
      RedisURI.create(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("redis url is not valid: " + e.getMessage());
    }
    if (nodeId == null || nodeId.isEmpty()) {
      throw new IllegalArgumentException("nodeId must not be empty");
    }
    if (presenceTtl.compareTo(MIN_PRESENCE_TTL) < 0) {
      throw new IllegalArgumentException("presenceTtl must be at least 1s: " + presenceTtl);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException("prefix must not be empty");
    }
  }

  public static RedisSettings of(ServerConfig.Cluster cluster) {
    return new RedisSettings(cluster.redisUrl(), cluster.nodeId(), cluster.presenceTtl(),
        cluster.redisTimeout(), cluster.redisPrefix());
  }

  /** Parsed URL; carries the password and TLS choice to Lettuce. */
  RedisURI uri() {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(timeout);
    return uri;
  }

  /** {@code host:port} for logs and /health: never the password. */
  String address() {
    RedisURI uri = RedisURI.create(url);
    return uri.getHost() + ":" + uri.getPort();
  }

  /** Every third of the TTL, so one lost beat does not expire the key. */
  Duration beatInterval() {
    return presenceTtl.dividedBy(3);
  }

  @Override
  public String toString() {
    return "RedisSettings[" + (url.startsWith("rediss://") ? "rediss://" : "redis://") + address()
        + ", nodeId=" + nodeId + ", presenceTtl=" + presenceTtl + ", timeout=" + timeout + ", prefix=" + prefix + "]";
  }
}
