package io.herald.broker.redis;

import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.ChannelStore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ChannelStore} in Redis. Keys live under the prefix and each operation touches one hash
 * slot (Redis Cluster): {@code <p>{pusher}:subs} (channel to subscriber count), and per channel
 * {@code <p>{ch:<name>}:members} (user to connection count), {@code …:info} (user to info) and
 * {@code …:last} (the cached frame, with its TTL). Counting changes are Lua scripts, so exactly
 * one node sees a user's first and last connection.
 */
final class RedisChannelStore implements ChannelStore {
  private static final String ADD_MEMBER = """
      local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
      if n == 1 then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) return 1 end
      return 0""";
  private static final String REMOVE_MEMBER = """
      local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
      if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) redis.call('HDEL', KEYS[2], ARGV[1]) return 1 end
      return 0""";
  private static final String REMOVE_SUBSCRIBER = """
      local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
      if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) return 0 end
      return n""";

  private final RedisConnector connector;
  private final String prefix;
  private final byte[] subs;

  RedisChannelStore(RedisConnector connector, RedisNames names) {
    this.connector = connector;
    this.prefix = names.prefix();
    this.subs = bytes(prefix + "{pusher}:subs");
  }

  private byte[] key(String channel, String part) {
    return bytes(prefix + "{ch:" + channel + "}:" + part);
  }

  private RedisAsyncCommands<byte[], byte[]> redis() {
    RedisLink l = connector.current();
    if (l == null) {
      throw new BrokerUnavailableException("Redis is unreachable: channel state cannot be read or changed");
    }
    return l.commands.async();
  }

  @Override
  public CompletionStage<Long> addSubscriber(String channel) {
    return call(() -> redis().hincrby(subs, bytes(channel), 1));
  }

  @Override
  public CompletionStage<Long> removeSubscriber(String channel) {
    return call(() -> redis().<Long>eval(REMOVE_SUBSCRIBER, ScriptOutputType.INTEGER, new byte[][] {subs},
        bytes(channel)));
  }

  @Override
  public CompletionStage<Map<String, Long>> occupied(String channelPrefix) {
    return call(() -> redis().hgetall(subs)).thenApply(all -> {
      Map<String, Long> out = new LinkedHashMap<>();
      all.forEach((k, v) -> {
        String name = text(k);
        long n = Long.parseLong(text(v));
        if (n > 0 && name.startsWith(channelPrefix)) {
          out.put(name, n);
        }
      });
      return out;
    });
  }

  @Override
  public CompletionStage<Long> subscribers(String channel) {
    return call(() -> redis().hget(subs, bytes(channel))).thenApply(v -> v == null ? 0L : Long.parseLong(text(v)));
  }

  @Override
  public CompletionStage<Boolean> addMember(String channel, String userId, String info) {
    return call(() -> redis().<Long>eval(ADD_MEMBER, ScriptOutputType.INTEGER,
        new byte[][] {key(channel, "members"), key(channel, "info")}, bytes(userId), bytes(info)))
        .thenApply(r -> r == 1L);
  }

  @Override
  public CompletionStage<Boolean> removeMember(String channel, String userId) {
    return call(() -> redis().<Long>eval(REMOVE_MEMBER, ScriptOutputType.INTEGER,
        new byte[][] {key(channel, "members"), key(channel, "info")}, bytes(userId)))
        .thenApply(r -> r == 1L);
  }

  @Override
  public CompletionStage<Map<String, String>> members(String channel) {
    return call(() -> redis().hgetall(key(channel, "info"))).thenApply(all -> {
      Map<String, String> out = new LinkedHashMap<>();
      all.forEach((k, v) -> out.put(text(k), text(v)));
      return out;
    });
  }

  @Override
  public CompletionStage<Void> putLast(String channel, String frame, Duration ttl) {
    return call(() -> redis().set(key(channel, "last"), bytes(frame), SetArgs.Builder.px(ttl.toMillis())))
        .thenApply(ok -> null);
  }

  @Override
  public CompletionStage<Optional<String>> last(String channel) {
    return call(() -> redis().get(key(channel, "last"))).thenApply(v -> Optional.ofNullable(v).map(RedisChannelStore::text));
  }

  private static <T> CompletableFuture<T> call(java.util.function.Supplier<io.lettuce.core.RedisFuture<T>> command) {
    try {
      return command.get().toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
