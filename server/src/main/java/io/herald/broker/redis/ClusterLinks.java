package io.herald.broker.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Links to a Redis Cluster through Lettuce's cluster client: commands and sharded pub/sub
 * (SPUBLISH, SSUBSCRIBE) go to the master of the channel's or key's slot, and the client follows
 * MOVED/ASK redirects and refreshes the topology (periodically and on redirects).
 *
 * <p>Each link has its own cluster client, so every connection event belongs to exactly one link.
 * A link is lost when any of its pub/sub connections drops (a master died: its subscriptions are
 * gone) or Redis ends one of its sharded subscriptions (the slot moved away, or the master became
 * a replica). The broker then opens a new link, which loads the current topology from the seeds
 * and subscribes everything again at the new owners. Commands on a dropped command connection
 * fail and are never replayed; the next ones go to the slot's current master.
 */
final class ClusterLinks implements LinkOpener {
  private final ClientResources resources;
  private final List<RedisURI> seeds;
  private final ClusterClientOptions options;
  private final byte[] scriptKey;

  ClusterLinks(ClientResources resources, RedisSettings settings, ClientOptions base, List<RedisURI> seeds) {
    this.resources = resources;
    this.seeds = seeds;
    this.scriptKey = RedisNames.bytes(new RedisNames(settings.prefix()).scriptKey());
    this.options = RedisTopology.clusterOptions(base);
  }

  @Override
  public CompletableFuture<RedisLink> open(Consumer<byte[]> messages, Consumer<RedisLink> onLost) {
    RedisClusterClient client = RedisClusterClient.create(resources, seeds);
    client.setOptions(options);
    Runnable closer = () -> client.shutdownAsync(0, 2, TimeUnit.SECONDS);
    RedisLink[] opened = new RedisLink[1];
    Consumer<String> broke = why -> {
      RedisLink link = opened[0];
      if (link != null && link.markLost()) {
        onLost.accept(link);
      }
    };
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        // topology refresh opens and closes plain connections of its own: only pub/sub matters
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (connection instanceof StatefulRedisPubSubConnection) {
          broke.accept("pub/sub connection dropped");
        }
      }
    });
    CompletableFuture<StatefulRedisClusterConnection<byte[], byte[]>> commands = client.refreshPartitionsAsync()
        .toCompletableFuture().thenCompose(v -> {
          withoutFailedNodes(client.getPartitions());
          return client.connectAsync(ByteArrayCodec.INSTANCE).toCompletableFuture();
        });
    CompletableFuture<StatefulRedisClusterPubSubConnection<byte[], byte[]>> pubsub =
        commands.thenCompose(c -> client.connectPubSubAsync(ByteArrayCodec.INSTANCE).toCompletableFuture());
    return pubsub.handle((p, err) -> {
      if (err != null) {
        closer.run();
        throw err instanceof CompletionException c ? c : new CompletionException(err);
      }
      RedisLink link = new RedisLink(commands.join().async(), p.async(), true, scriptKey, closer);
      p.addListener(new RedisClusterPubSubAdapter<>() {
        @Override
        public void smessage(RedisClusterNode node, byte[] channel, byte[] message) {
          messages.accept(message);
        }

        @Override
        public void sunsubscribed(RedisClusterNode node, byte[] channel, long count) {
          if (link.unexpectedlyUnsubscribed(new String(channel, java.nio.charset.StandardCharsets.UTF_8))) {
            broke.accept("slot moved");
          }
        }
      });
      opened[0] = link;
      if (!p.isOpen() || !commands.join().isOpen()) {
        link.close();
        throw new CompletionException(new IllegalStateException("connection closed while opening"));
      }
      return link;
    });
  }

  /**
   * Drops nodes the cluster marks as failed (a master that died, whose replica took over), so the
   * first connections are not tried against them.
   */
  private static void withoutFailedNodes(Partitions partitions) {
    List<RedisClusterNode> live = partitions.stream()
        .filter(n -> !n.is(RedisClusterNode.NodeFlag.FAIL) && !n.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)
            && !n.is(RedisClusterNode.NodeFlag.NOADDR))
        .toList();
    if (live.size() < partitions.size()) {
      partitions.reload(live);
    }
  }

  @Override
  public String mode() {
    return "cluster";
  }

  @Override
  public void shutdown() {
    // each link's client goes with its link
  }
}
