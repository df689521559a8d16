package io.herald.broker.redis;

import io.herald.broker.Broker;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Cluster presence in Redis: which nodes hold which users, and which nodes are alive. The data
 * model and its invariant are in {@code common.lua}; each change is one atomic script.
 *
 * <p>A node is alive while its heartbeat key exists. The key lives {@code presenceTtl} and is
 * renewed every third of that, so a node that dies (kill -9, partition) leaves presence at most
 * {@code presenceTtl} after its last renewal: every query and every heartbeat of any node first
 * drops the entries of nodes whose key expired. A node (re)registering replaces whatever Redis
 * still holds under its id, so a restart never resurrects stale users.
 */
final class RedisPresence {
  private final byte[] prefix;
  private final byte[] node;
  private final byte[] ttlMillis;
  private final byte[] incarnation;

  RedisPresence(RedisNames names, String nodeId, long ttlMillis, String incarnation) {
    this.prefix = RedisNames.bytes(names.prefix());
    this.node = RedisNames.bytes(nodeId);
    this.ttlMillis = RedisNames.bytes(Long.toString(ttlMillis));
    this.incarnation = RedisNames.bytes(incarnation);
  }

  CompletableFuture<Void> online(RedisLink link, String userId) {
    return link.run(Script.ONLINE, ScriptOutputType.INTEGER, prefix, node, RedisNames.bytes(userId)).thenRun(() -> { });
  }

  CompletableFuture<Void> offline(RedisLink link, String userId) {
    return link.run(Script.OFFLINE, ScriptOutputType.INTEGER, prefix, node, RedisNames.bytes(userId)).thenRun(() -> { });
  }

  /** Replaces this node's entries with {@code users} and renews its heartbeat. */
  CompletableFuture<Void> register(RedisLink link, Collection<String> users) {
    List<String> snapshot = new ArrayList<>(users);
    byte[][] args = new byte[4 + snapshot.size()][];
    args[0] = prefix;
    args[1] = node;
    args[2] = ttlMillis;
    args[3] = incarnation;
    for (int i = 0; i < snapshot.size(); i++) {
      args[4 + i] = RedisNames.bytes(snapshot.get(i));
    }
    return link.run(Script.REGISTER, ScriptOutputType.INTEGER, args).thenRun(() -> { });
  }

  /** What a heartbeat found. */
  enum Beat {
    /** Still registered. */
    OK,
    /** Dropped out (expired, swept, or Redis lost its data): {@link #register} again. */
    GONE,
    /** Another live process beats under the same node id: a configuration error. */
    DUPLICATE
  }

  /** Renews the heartbeat. */
  CompletableFuture<Beat> beat(RedisLink link) {
    return link.<Long>run(Script.BEAT, ScriptOutputType.INTEGER, prefix, node, ttlMillis, incarnation)
        .thenApply(r -> r == 1L ? Beat.OK : r == 2L ? Beat.DUPLICATE : Beat.GONE);
  }

  /** Removes this node from presence (clean shutdown). */
  CompletableFuture<Void> leave(RedisLink link) {
    return link.run(Script.LEAVE, ScriptOutputType.INTEGER, prefix, node).thenRun(() -> { });
  }

  CompletableFuture<Long> count(RedisLink link) {
    return link.run(Script.COUNT, ScriptOutputType.INTEGER, prefix);
  }

  CompletableFuture<List<String>> users(RedisLink link) {
    return link.<List<Object>>run(Script.USERS, ScriptOutputType.MULTI, prefix).thenApply(raw -> {
      List<String> ids = new ArrayList<>(raw.size());
      for (Object o : raw) {
        ids.add(new String((byte[]) o, StandardCharsets.UTF_8));
      }
      return ids;
    });
  }

  /** About {@code limit} users from an SSCAN cursor of the online set; see users_page.lua. */
  CompletableFuture<Broker.UsersPage> usersPage(RedisLink link, String cursor, int limit) {
    return link.<List<Object>>run(Script.USERS_PAGE, ScriptOutputType.MULTI, prefix, RedisNames.bytes(cursor),
        RedisNames.bytes(Integer.toString(limit))).thenApply(raw -> {
          String next = new String((byte[]) raw.get(0), StandardCharsets.UTF_8);
          @SuppressWarnings("unchecked")
          List<Object> page = (List<Object>) raw.get(1);
          List<String> ids = new ArrayList<>(page.size());
          for (Object o : page) {
            ids.add(new String((byte[]) o, StandardCharsets.UTF_8));
          }
          return new Broker.UsersPage(ids, next.equals("0") ? null : next);
        });
  }

  CompletableFuture<Boolean> isOnline(RedisLink link, String userId) {
    return link.<Long>run(Script.IS_ONLINE, ScriptOutputType.INTEGER, prefix, RedisNames.bytes(userId))
        .thenApply(r -> r == 1L);
  }
}
