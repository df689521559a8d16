package io.herald.history.redis;

import io.herald.broker.redis.RedisSettings;
import io.herald.broker.redis.RedisTopology;
import io.herald.util.Failures;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A commands connection to Redis for Herald's stores (history, idempotency keys), separate from
 * the broker's so a long replay read never delays a publish. It speaks to the same kind of Redis
 * as the broker, decided in one place ({@link RedisTopology}): a single server through a
 * {@link RedisClient}, a Redis Cluster through a {@link RedisClusterClient} that routes each
 * command to its key's slot and follows the topology. Either way the stores see
 * {@link RedisClusterAsyncCommands}, and every call they make touches one slot.
 *
 * <p>Lettuce's auto-reconnect is off for the broker's reason: a command replayed after a reconnect
 * could append a message twice. A lost connection, or a call that failed for any reason other than
 * Redis's answer (a timeout: on a Redis Cluster, a master that died), is replaced by the next call,
 * which on a Redis Cluster loads the topology afresh; nothing is replayed. A call made while Redis
 * is down fails at once.
 */
public final class StoreConnection implements AutoCloseable {
  private final ClientResources resources;
  private final Supplier<CompletableFuture<? extends StatefulConnection<byte[], byte[]>>> opener;
  private final Function<StatefulConnection<byte[], byte[]>, RedisClusterAsyncCommands<byte[], byte[]>> commands;
  private final Runnable shutdown;
  private CompletableFuture<? extends StatefulConnection<byte[], byte[]>> current; // guarded by this

  /** Asks Redis what it is (at start-up: blocks for at most a connect per seed). */
  public StoreConnection(RedisSettings settings) {
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
    ClientOptions options = RedisTopology.options(settings.timeout());
    boolean cluster;
    try {
      cluster = RedisTopology.isCluster(resources, settings, options);
    } catch (RuntimeException e) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
      throw e;
    }
    if (cluster) {
      RedisClusterClient client = RedisClusterClient.create(resources, settings.uris());
      client.setOptions(RedisTopology.clusterOptions(options));
      this.opener = () -> client.refreshPartitionsAsync().toCompletableFuture()
          .thenCompose(v -> client.connectAsync(ByteArrayCodec.INSTANCE).toCompletableFuture());
      this.commands = c -> ((StatefulRedisClusterConnection<byte[], byte[]>) c).async();
      this.shutdown = () -> client.shutdownAsync(0, 2, TimeUnit.SECONDS);
    } else {
      RedisClient client = RedisClient.create(resources);
      client.setOptions(options);
      this.opener = () -> client.connectAsync(ByteArrayCodec.INSTANCE, settings.uris().get(0)).toCompletableFuture();
      this.commands = c -> ((StatefulRedisConnection<byte[], byte[]>) c).async();
      this.shutdown = () -> client.shutdownAsync(0, 2, TimeUnit.SECONDS);
    }
  }

  /** Runs {@code command} on the connection, opening a new one if the last was lost. */
  public <T> CompletableFuture<T> call(Function<RedisClusterAsyncCommands<byte[], byte[]>, CompletableFuture<T>> command) {
    CompletableFuture<? extends StatefulConnection<byte[], byte[]>> c = connection();
    return c.thenCompose(open -> command.apply(commands.apply(open))).whenComplete((v, err) -> {
      if (err != null && !(Failures.cause(err) instanceof RedisCommandExecutionException)) {
        replace(c); // timed out or disconnected: the next call starts afresh (and finds the slot's master)
      }
    });
  }

  /** Runs a Lua script by SHA, sending its body when Redis does not know it. */
  public <T> CompletableFuture<T> eval(LuaScript script, ScriptOutputType type, byte[][] keys, byte[]... args) {
    return call(c -> c.<T>evalsha(script.sha(), type, keys, args).toCompletableFuture()
        .exceptionallyCompose(err -> {
          Throwable cause = Failures.cause(err);
          if (cause instanceof RedisNoScriptException) {
            return c.<T>eval(script.body(), type, keys, args).toCompletableFuture();
          }
          return CompletableFuture.failedFuture(cause);
        }));
  }

  private synchronized CompletableFuture<? extends StatefulConnection<byte[], byte[]>> connection() {
    CompletableFuture<? extends StatefulConnection<byte[], byte[]>> c = current;
    boolean usable = c != null && (!c.isDone() || (!c.isCompletedExceptionally() && c.join().isOpen()));
    if (!usable) {
      c = opener.get();
      current = c;
    }
    return c;
  }

  private synchronized void replace(CompletableFuture<? extends StatefulConnection<byte[], byte[]>> failed) {
    if (current == failed) {
      current = null;
      failed.thenAccept(StatefulConnection::closeAsync);
    }
  }

  @Override
  public synchronized void close() {
    if (current != null) {
      current.thenAccept(StatefulConnection::closeAsync);
    }
    shutdown.run();
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
