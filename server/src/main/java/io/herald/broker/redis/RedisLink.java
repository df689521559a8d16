package io.herald.broker.redis;

import io.herald.util.Failures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One pair of connections to Redis, commands and pub/sub, from connect until the first loss of
 * either. A lost link is closed and never reused; the broker opens a new one. Lettuce's own
 * auto-reconnect is off on purpose: it replays commands that were in flight when the connection
 * broke, and a replayed PUBLISH that Redis had already executed would reach users twice.
 */
final class RedisLink {
  private static final byte[][] NO_KEYS = new byte[0][];

  final StatefulRedisConnection<byte[], byte[]> commands;
  final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
  /** Herald channels subscribed on this link; the futures complete when Redis confirms. */
  final ConcurrentHashMap<String, CompletableFuture<Void>> channels = new ConcurrentHashMap<>();
  private final AtomicBoolean lost = new AtomicBoolean();
  /** True once subscriptions and presence are in place. */
  volatile boolean ready;

  private RedisLink(StatefulRedisConnection<byte[], byte[]> commands,
                    StatefulRedisPubSubConnection<byte[], byte[]> pubsub) {
    this.commands = commands;
    this.pubsub = pubsub;
  }

  /**
   * Connects both connections. {@code onLost} runs once, on a Lettuce thread, when either drops
   * after the link was opened.
   */
  static CompletableFuture<RedisLink> open(RedisClient client, RedisURI uri,
                                           RedisPubSubListener<byte[], byte[]> messages,
                                           Consumer<RedisLink> onLost) {
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
      RedisLink link = new RedisLink(commands.join(), pubsub.join());
      link.pubsub.addListener(messages);
      RedisConnectionStateListener watch = new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
          if (link.lost.compareAndSet(false, true)) {
            onLost.accept(link);
          }
        }
      };
      link.commands.addListener(watch);
      link.pubsub.addListener(watch);
      if (!link.commands.isOpen() || !link.pubsub.isOpen()) {
        link.close();
        throw new CompletionException(new IllegalStateException("connection closed while opening"));
      }
      return link;
    });
  }

  /** Loads every script, so the EVALSHAs queued behind this on the connection find them. */
  CompletableFuture<Void> loadScripts() {
    List<CompletableFuture<String>> loads = new ArrayList<>();
    for (Script s : Script.values()) {
      loads.add(commands.async().scriptLoad(s.body()).toCompletableFuture());
    }
    return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
  }

  /** Runs a script by its SHA; sends the body only if Redis lost it (SCRIPT FLUSH). */
  <T> CompletableFuture<T> run(Script script, ScriptOutputType type, byte[]... args) {
    CompletableFuture<T> bySha = commands.async().<T>evalsha(script.sha(), type, NO_KEYS, args).toCompletableFuture();
    return bySha.exceptionallyCompose(err -> {
      Throwable cause = Failures.cause(err);
      if (cause instanceof RedisNoScriptException) {
        return commands.async().<T>eval(script.body(), type, NO_KEYS, args).toCompletableFuture();
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  CompletableFuture<Long> publish(String channel, byte[] message) {
    return commands.async().publish(RedisNames.bytes(channel), message).toCompletableFuture();
  }

  CompletableFuture<Void> subscribe(String... redisChannels) {
    return pubsub.async().subscribe(encode(redisChannels)).toCompletableFuture();
  }

  CompletableFuture<Void> unsubscribe(String... redisChannels) {
    return pubsub.async().unsubscribe(encode(redisChannels)).toCompletableFuture();
  }

  boolean lost() {
    return lost.get();
  }

  /** Closes both connections without waiting; later callbacks are ignored. */
  void close() {
    lost.set(true);
    if (commands.isOpen()) {
      commands.closeAsync();
    }
    if (pubsub.isOpen()) {
      pubsub.closeAsync();
    }
  }

  private static byte[][] encode(String[] names) {
    byte[][] out = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      out[i] = RedisNames.bytes(names[i]);
    }
    return out;
  }
}
