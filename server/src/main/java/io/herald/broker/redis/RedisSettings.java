package io.herald.broker.redis;

import io.herald.config.ServerConfig;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How a node uses Redis.
 *
 * @param url {@code redis://[:password@]host:port[/db]} or {@code rediss://…} for TLS; several
 *     {@code host:port} separated by commas are seeds of a Redis Cluster
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
      RedisClusterURIUtil.toRedisURIs(URI.create(url));
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

  /**
   * The URL's hosts, each with the password, database and TLS choice: one for a single Redis,
   * one or more seeds of a Redis Cluster ({@code redis://:pw@h1:7000,h2:7000,h3:7000}).
   */
  public List<RedisURI> uris() {
    List<RedisURI> uris = RedisClusterURIUtil.toRedisURIs(URI.create(url));
    uris.forEach(u -> u.setTimeout(timeout));
    return uris;
  }

  /** {@code host:port[,host:port…]} for logs and /health: never the password. */
  public String address() {
    return uris().stream().map(u -> u.getHost() + ":" + u.getPort()).collect(Collectors.joining(","));
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
