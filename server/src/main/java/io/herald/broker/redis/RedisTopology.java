package io.herald.broker.redis;

import io.herald.broker.BrokerUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds out what the configured URL points at: a single Redis server or a Redis Cluster. It asks
 * the first seed that answers for {@code INFO cluster}; {@code cluster_enabled:1} means a Redis
 * Cluster, whatever the number of seeds. Several seeds that are not a Redis Cluster are a
 * configuration error. The broker and the stores (history, idempotency keys) both decide here,
 * and take the client options from here, so they always talk to Redis the same way.
 */
public final class RedisTopology {
  private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);

  private RedisTopology() {
  }

  /**
   * True for a Redis Cluster. Blocks for at most a connect per seed: call it at start-up only.
   *
   * @throws IllegalArgumentException several seeds that are not a Redis Cluster
   * @throws BrokerUnavailableException no seed answered
   */
  public static boolean isCluster(ClientResources resources, RedisSettings settings, ClientOptions options) {
    List<RedisURI> seeds = settings.uris();
    RuntimeException last = null;
    for (RedisURI seed : seeds) {
      RedisClient probe = RedisClient.create(resources);
      probe.setOptions(options);
      try (StatefulRedisConnection<String, String> c = probe.connect(seed)) {
        if (c.sync().info("cluster").contains("cluster_enabled:1")) {
          return true;
        }
        if (seeds.size() > 1) {
          throw new IllegalArgumentException("redis.url lists " + seeds.size() + " hosts, but Redis at "
              + seed.getHost() + ":" + seed.getPort() + " is not a Redis Cluster (cluster_enabled:0): "
              + "give one host for a single Redis server");
        }
        return false;
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) {
        last = e;
      } finally {
        probe.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
    throw new BrokerUnavailableException("cannot start cluster mode: Redis at " + settings.address()
        + " is unreachable: " + RedisConnector.describe(last), last);
  }

  static LinkOpener detect(ClientResources resources, RedisSettings settings, ClientOptions options) {
    return isCluster(resources, settings, options)
        ? new ClusterLinks(resources, settings, options, settings.uris())
        : new StandaloneLinks(resources, settings, options, settings.uris().get(0));
  }

  /**
   * Options of every Herald connection: Lettuce's auto-reconnect off (it replays commands that
   * were in flight when a connection broke: a PUBLISH or a history append would happen twice),
   * commands rejected while disconnected, and {@code timeout} on every reply and connect.
   */
  public static ClientOptions options(Duration timeout) {
    return ClientOptions.builder()
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
        .build();
  }

  /**
   * {@code base} for Lettuce's cluster client. Node connections open lazily; the first command to
   * a node waits for its connection instead of being rejected. Nothing is replayed: auto-reconnect
   * stays off, and the timeout applies. The topology is refreshed periodically and on redirects.
   */
  public static ClusterClientOptions clusterOptions(ClientOptions base) {
    return ClusterClientOptions.builder(base)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
            .enableAllAdaptiveRefreshTriggers()
            .build())
        .build();
  }
}
