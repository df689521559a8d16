package io.herald.broker.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Links to a single Redis server (or a managed single-primary endpoint): PUBLISH and SUBSCRIBE. */
final class StandaloneLinks implements LinkOpener {
  private final RedisClient client;
  private final RedisURI uri;
  private final byte[] scriptKey;

  StandaloneLinks(ClientResources resources, RedisSettings settings, ClientOptions options, RedisURI uri) {
    this.client = RedisClient.create(resources);
    this.client.setOptions(options);
    this.uri = uri;
    this.scriptKey = RedisNames.bytes(new RedisNames(settings.prefix()).scriptKey());
  }

  @Override
  public CompletableFuture<RedisLink> open(Consumer<byte[]> messages, Consumer<RedisLink> onLost) {
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> commands =
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
    CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> pubsub =
        client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
    return CompletableFuture.allOf(commands, pubsub).handle((v, err) -> {
      if (err != null) {
        commands.thenAccept(StatefulRedisConnection::closeAsync);
        pubsub.thenAccept(StatefulRedisPubSubConnection::closeAsync);
        throw err instanceof CompletionException c ? c : new CompletionException(err);
      }
      StatefulRedisConnection<byte[], byte[]> c = commands.join();
      StatefulRedisPubSubConnection<byte[], byte[]> p = pubsub.join();
      RedisLink link = new RedisLink(c.async(), p.async(), false, scriptKey, () -> {
        c.closeAsync();
        p.closeAsync();
      });
      p.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(byte[] channel, byte[] message) {
          messages.accept(message);
        }
      });
      RedisConnectionStateListener watch = new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
          if (link.markLost()) {
            onLost.accept(link);
          }
        }
      };
      c.addListener(watch);
      p.addListener(watch);
      if (!c.isOpen() || !p.isOpen()) {
        link.close();
        throw new CompletionException(new IllegalStateException("connection closed while opening"));
      }
      return link;
    });
  }

  @Override
  public String mode() {
    return "standalone";
  }

  @Override
  public void shutdown() {
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
