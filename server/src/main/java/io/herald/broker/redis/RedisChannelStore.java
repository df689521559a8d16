package io.herald.broker.redis;

import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.ChannelStore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ChannelStore} in Redis. Keys live under the prefix and each operation touches one hash
 * slot (Redis Cluster): {@code <p>{pusher}:subs} (channel to subscriber count), and per channel
 * {@code <p>{ch:<name>}:members} (user to connection count), {@code …:info} (user to info) and
 * {@code …:last} (the cached frame, with its TTL). Counting changes are Lua scripts, so exactly
 * one node sees a user's first and last connection. Each count also keeps every node's share
 * ({@code <p>{pusher}:subs:nodes}, {@code …:members:nodes}, fields {@code <node>\n<name>}), and
 * {@code <p>{pusher}:presence} lists the presence channels, so that {@link #sweep} can take off
 * the shares of a node that died.
 */
final class RedisChannelStore implements ChannelStore {
  // Every count is kept twice: the total, and this node's share under "<node>\n<name>", so that
  // the shares of a node that died can be taken off the totals (sweep).
  private static final String ADD = """
      local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
      redis.call('HINCRBY', KEYS[2], ARGV[2] .. '\\n' .. ARGV[1], 1)
      if n == 1 and KEYS[3] then redis.call('HSET', KEYS[3], ARGV[1], ARGV[3]) end
      return n""";
  private static final String REMOVE = """
      local own = ARGV[2] .. '\\n' .. ARGV[1]
      if redis.call('HINCRBY', KEYS[2], own, -1) <= 0 then redis.call('HDEL', KEYS[2], own) end
      local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
      if n <= 0 then
        redis.call('HDEL', KEYS[1], ARGV[1])
        if KEYS[3] then redis.call('HDEL', KEYS[3], ARGV[1]) end
        return 0
      end
      return n""";
  // ARGV: the dead nodes. Returns the names whose total fell to 0.
  private static final String DROP_NODES = """
      local dead = {}
      for _, n in ipairs(ARGV) do dead[n] = true end
      local gone = {}
      local shares = redis.call('HGETALL', KEYS[2])
      for i = 1, #shares, 2 do
        local field = shares[i]
        local cut = string.find(field, '\\n', 1, true)
        if cut and dead[string.sub(field, 1, cut - 1)] then
          local name = string.sub(field, cut + 1)
          redis.call('HDEL', KEYS[2], field)
          if redis.call('HINCRBY', KEYS[1], name, -tonumber(shares[i + 1])) <= 0 then
            redis.call('HDEL', KEYS[1], name)
            if KEYS[3] then redis.call('HDEL', KEYS[3], name) end
            table.insert(gone, name)
          end
        end
      end
      return gone""";

  private final RedisConnector connector;
  private final String prefix;
  private final byte[] node;
  private final byte[] subs;
  private final byte[] subShares;
  private final byte[] presenceChannels;

  RedisChannelStore(RedisConnector connector, RedisNames names, String nodeId) {
    this.connector = connector;
    this.prefix = names.prefix();
    this.node = bytes(nodeId);
    this.subs = bytes(prefix + "{pusher}:subs");
    this.subShares = bytes(prefix + "{pusher}:subs:nodes");
    this.presenceChannels = bytes(prefix + "{pusher}:presence");
  }

  private byte[] key(String channel, String part) {
    return bytes(prefix + "{ch:" + channel + "}:" + part);
  }

  private RedisClusterAsyncCommands<byte[], byte[]> redis() {
    RedisLink l = connector.current();
    if (l == null) {
      throw new BrokerUnavailableException("Redis is unreachable: channel state cannot be read or changed");
    }
    return l.commands;
  }

  @Override
  public CompletionStage<Long> addSubscriber(String channel) {
    return call(() -> redis().<Long>eval(ADD, ScriptOutputType.INTEGER, new byte[][] {subs, subShares},
        bytes(channel), node));
  }

  @Override
  public CompletionStage<Long> removeSubscriber(String channel) {
    return call(() -> redis().<Long>eval(REMOVE, ScriptOutputType.INTEGER, new byte[][] {subs, subShares},
        bytes(channel), node));
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
    return call(() -> redis().sadd(presenceChannels, bytes(channel)))
        .thenCompose(v -> call(() -> redis().<Long>eval(ADD, ScriptOutputType.INTEGER, memberKeys(channel),
            bytes(userId), node, bytes(info))))
        .thenApply(r -> r == 1L);
  }

  @Override
  public CompletionStage<Boolean> removeMember(String channel, String userId) {
    return call(() -> redis().<Long>eval(REMOVE, ScriptOutputType.INTEGER, memberKeys(channel), bytes(userId), node))
        .thenApply(r -> r == 0L);
  }

  private byte[][] memberKeys(String channel) {
    return new byte[][] {key(channel, "members"), key(channel, "members:nodes"), key(channel, "info")};
  }

  /**
   * Finds the nodes whose presence heartbeat ({@code <p>node:<id>:alive}, see common.lua) is gone
   * among those holding shares, then takes their shares off, one channel (one hash slot) per script.
   */
  @Override
  public CompletionStage<Swept> sweep() {
    return call(() -> redis().hkeys(subShares)).thenCompose(subFields ->
        call(() -> redis().smembers(presenceChannels)).thenCompose(channels -> {
          java.util.Set<String> nodes = new java.util.HashSet<>(nodesOf(subFields));
          List<CompletableFuture<List<byte[]>>> memberFields = new ArrayList<>();
          List<String> names = new ArrayList<>();
          for (byte[] c : channels) {
            names.add(text(c));
            memberFields.add(call(() -> redis().hkeys(key(text(c), "members:nodes"))));
          }
          return CompletableFuture.allOf(memberFields.toArray(CompletableFuture[]::new)).thenCompose(x -> {
            memberFields.forEach(f -> nodes.addAll(nodesOf(f.join())));
            return dead(nodes);
          }).thenCompose(dead -> dead.isEmpty() ? CompletableFuture.completedFuture(Swept.NOTHING)
              : drop(dead, names, subFields.isEmpty()));
        }));
  }

  private CompletableFuture<List<String>> dead(java.util.Set<String> nodes) {
    List<String> list = new ArrayList<>(nodes);
    List<CompletableFuture<Long>> alive = new ArrayList<>();
    for (String n : list) {
      alive.add(call(() -> redis().exists(bytes(prefix + "node:" + n + ":alive"))));
    }
    return CompletableFuture.allOf(alive.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<String> dead = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        if (alive.get(i).join() == 0L) {
          dead.add(list.get(i));
        }
      }
      return dead;
    });
  }

  private CompletableFuture<Swept> drop(List<String> dead, List<String> presence, boolean noSubscriptions) {
    byte[][] args = dead.stream().map(RedisChannelStore::bytes).toArray(byte[][]::new);
    CompletableFuture<List<String>> vacated = noSubscriptions ? CompletableFuture.completedFuture(List.of())
        : call(() -> redis().<List<byte[]>>eval(DROP_NODES, ScriptOutputType.MULTI, new byte[][] {subs, subShares}, args))
            .thenApply(RedisChannelStore::texts);
    Map<String, CompletableFuture<List<String>>> removed = new LinkedHashMap<>();
    for (String c : presence) {
      removed.put(c, call(() -> redis().<List<byte[]>>eval(DROP_NODES, ScriptOutputType.MULTI, memberKeys(c), args))
          .thenApply(RedisChannelStore::texts));
    }
    List<CompletableFuture<?>> all = new ArrayList<>(removed.values());
    all.add(vacated);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
      Map<String, List<String>> gone = new LinkedHashMap<>();
      removed.forEach((c, f) -> {
        if (!f.join().isEmpty()) {
          gone.put(c, f.join());
        }
      });
      return new Swept(vacated.join(), gone);
    });
  }

  private static List<String> nodesOf(List<byte[]> fields) {
    List<String> out = new ArrayList<>();
    for (byte[] f : fields) {
      String s = text(f);
      int cut = s.indexOf('\n');
      if (cut > 0) {
        out.add(s.substring(0, cut));
      }
    }
    return out;
  }

  private static List<String> texts(List<byte[]> raw) {
    List<String> out = new ArrayList<>(raw.size());
    raw.forEach(b -> out.add(text(b)));
    return out;
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
