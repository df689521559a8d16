package io.herald.broker.redis;

import io.herald.util.Failures;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One set of connections to Redis, commands and pub/sub, from connect until the first loss of
 * any. A lost link is closed and never reused; the broker opens a new one. Lettuce's own
 * auto-reconnect is off on purpose: it replays commands that were in flight when the connection
 * broke, and a replayed PUBLISH that Redis had already executed would reach users twice.
 *
 * <p>The same link serves a single Redis ({@link StandaloneLinks}: PUBLISH/SUBSCRIBE) and a Redis
 * Cluster ({@link ClusterLinks}: SPUBLISH/SSUBSCRIBE, sharded pub/sub routed by slot). Every
 * script runs with one key, {@link RedisNames#scriptKey()}, which routes it to the slot all of
 * Herald's keys share.
 */
final class RedisLink {
  final RedisClusterAsyncCommands<byte[], byte[]> commands;
  final RedisPubSubAsyncCommands<byte[], byte[]> pubsub;
  /** True on a Redis Cluster: sharded pub/sub (SPUBLISH, SSUBSCRIBE). */
  final boolean sharded;
  /** Herald channels subscribed on this link; the futures complete when Redis confirms. */
  final ConcurrentHashMap<String, CompletableFuture<Void>> channels = new ConcurrentHashMap<>();
  /** Redis channels this link unsubscribes itself, and how many confirmations are pending. */
  private final ConcurrentHashMap<String, Integer> leaving = new ConcurrentHashMap<>();
  private final byte[][] scriptKeys;
  private final Runnable closer;
  private final AtomicBoolean lost = new AtomicBoolean();
  /** True once subscriptions and presence are in place. */
  volatile boolean ready;

  RedisLink(RedisClusterAsyncCommands<byte[], byte[]> commands, RedisPubSubAsyncCommands<byte[], byte[]> pubsub,
            boolean sharded, byte[] scriptKey, Runnable closer) {
    this.commands = commands;
    this.pubsub = pubsub;
    this.sharded = sharded;
    this.scriptKeys = new byte[][] {scriptKey};
    this.closer = closer;
  }

  /** Loads every script, so the EVALSHAs queued behind this on the connection find them. */
  CompletableFuture<Void> loadScripts() {
    List<CompletableFuture<String>> loads = new ArrayList<>();
    for (Script s : Script.values()) {
      loads.add(commands.scriptLoad(s.body()).toCompletableFuture());
    }
    return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
  }

  /**
   * Runs a script by its SHA; sends the body only if Redis does not know it (SCRIPT FLUSH, or a
   * replica promoted to master on a Redis Cluster).
   */
  <T> CompletableFuture<T> run(Script script, ScriptOutputType type, byte[]... args) {
    CompletableFuture<T> bySha = commands.<T>evalsha(script.sha(), type, scriptKeys, args).toCompletableFuture();
    return bySha.exceptionallyCompose(err -> {
      Throwable cause = Failures.cause(err);
      if (cause instanceof RedisNoScriptException) {
        return commands.<T>eval(script.body(), type, scriptKeys, args).toCompletableFuture();
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /** The publish command route.lua uses for node inboxes. */
  String publishCommand() {
    return sharded ? "SPUBLISH" : "PUBLISH";
  }

  CompletableFuture<Long> publish(String channel, byte[] message) {
    byte[] name = RedisNames.bytes(channel);
    return (sharded ? commands.spublish(name, message) : commands.publish(name, message)).toCompletableFuture();
  }

  CompletableFuture<Void> subscribe(String... redisChannels) {
    byte[][] names = encode(redisChannels);
    return (sharded ? pubsub.ssubscribe(names) : pubsub.subscribe(names)).toCompletableFuture();
  }

  CompletableFuture<Void> unsubscribe(String redisChannel) {
    byte[] name = RedisNames.bytes(redisChannel);
    if (!sharded) {
      return pubsub.unsubscribe(name).toCompletableFuture();
    }
    leaving.merge(redisChannel, 1, Integer::sum);
    return pubsub.sunsubscribe(name).toCompletableFuture();
  }

  /**
   * Redis confirmed or announced that a sharded subscription ended. True when this link did not
   * ask for it: on a Redis Cluster, the slot moved to another shard (resharding, or the master
   * became a replica in a manual failover), and the subscription must be made again there.
   */
  boolean unexpectedlyUnsubscribed(String redisChannel) {
    boolean[] ours = new boolean[1];
    leaving.computeIfPresent(redisChannel, (k, n) -> {
      ours[0] = true;
      return n == 1 ? null : n - 1;
    });
    return !ours[0];
  }

  /** Marks the link lost; true for the first caller only. */
  boolean markLost() {
    return lost.compareAndSet(false, true);
  }

  boolean lost() {
    return lost.get();
  }

  /** Closes every connection without waiting; later callbacks are ignored. */
  void close() {
    lost.set(true);
    closer.run();
  }

  private static byte[][] encode(String[] names) {
    byte[][] out = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      out[i] = RedisNames.bytes(names[i]);
    }
    return out;
  }
}
