package io.herald.history.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A commands connection to Redis for Herald's stores (history, idempotency keys), separate from
 * the broker's so a long replay read never delays a publish. Lettuce's auto-reconnect is off for
 * the broker's reason: a command replayed after a reconnect could append a message twice. A
 * lost connection is replaced by the next call; a call made while Redis is down fails at once.
 */
public final class StoreConnection implements AutoCloseable {
  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current; // guarded by this

  public StoreConnection(String url, Duration timeout) {
    this.uri = RedisURI.create(url);
    uri.setTimeout(timeout);
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
        .build());
  }

  /** Runs {@code command} on the connection, opening a new one if the last was lost. */
  public <T> CompletableFuture<T> call(Function<RedisAsyncCommands<byte[], byte[]>, CompletableFuture<T>> command) {
    return connection().thenCompose(c -> command.apply(c.async()));
  }

  /** Runs a Lua script by SHA, sending its body when Redis does not know it. */
  public <T> CompletableFuture<T> eval(LuaScript script, ScriptOutputType type, byte[][] keys, byte[]... args) {
    return call(c -> c.<T>evalsha(script.sha(), type, keys, args).toCompletableFuture()
        .exceptionallyCompose(err -> {
          Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
          if (cause instanceof RedisNoScriptException) {
            return c.<T>eval(script.body(), type, keys, args).toCompletableFuture();
          }
          return CompletableFuture.failedFuture(cause);
        }));
  }

  private synchronized CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection() {
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> c = current;
    boolean usable = c != null && (!c.isDone() || (!c.isCompletedExceptionally() && c.join().isOpen()));
    if (!usable) {
      c = client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
      current = c;
    }
    return c;
  }

  @Override
  public synchronized void close() {
    if (current != null) {
      current.thenAccept(StatefulRedisConnection::closeAsync);
    }
    client.shutdownAsync();
    resources.shutdown();
  }
}
