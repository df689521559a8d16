package io.herald.broker.redis;

import io.herald.broker.BrokerUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds out what the configured URL points at: a single Redis server or a Redis Cluster. It asks
 * the first seed that answers for {@code INFO cluster}; {@code cluster_enabled:1} means a Redis
 * Cluster, whatever the number of seeds. Several seeds that are not a Redis Cluster are a
 * configuration error.
 */
final class RedisTopology {
  private RedisTopology() {
  }

  static LinkOpener detect(ClientResources resources, RedisSettings settings, ClientOptions options) {
    List<RedisURI> seeds = settings.uris();
    RuntimeException last = null;
    for (RedisURI seed : seeds) {
      RedisClient probe = RedisClient.create(resources);
      probe.setOptions(options);
      try (StatefulRedisConnection<String, String> c = probe.connect(seed)) {
        boolean cluster = c.sync().info("cluster").contains("cluster_enabled:1");
        if (cluster) {
          return new ClusterLinks(resources, settings, options, seeds);
        }
        if (seeds.size() > 1) {
          throw new IllegalArgumentException("redis.url lists " + seeds.size() + " hosts, but Redis at "
              + seed.getHost() + ":" + seed.getPort() + " is not a Redis Cluster (cluster_enabled:0): "
              + "give one host for a single Redis server");
        }
        return new StandaloneLinks(resources, settings, options, seed);
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
}
