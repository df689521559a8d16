package io.herald.testing;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster on loopback: three masters, each with one replica, built with CLUSTER
 * ADDSLOTSRANGE / MEET / REPLICATE from {@code redis-server} processes on free ports (Redis 7 for
 * sharded pub/sub: Debian's {@code redis-server}, which test.sh installs). Starts in about a
 * second. {@link #killMasterOf} kills the master of a key's slot with SIGKILL and waits until its
 * replica has taken over: a real failover.
 */
public final class RedisCluster implements AutoCloseable {
  private static final int SLOTS = 16384;
  private static final Duration SETTLE = Duration.ofSeconds(30);

  private final Path dir;
  private final List<RedisProcess> masters = new ArrayList<>();
  private final List<RedisProcess> replicas = new ArrayList<>();
  private final List<RedisProcess> killed = new ArrayList<>();

  private RedisCluster(Path dir) {
    this.dir = dir;
  }

  public static RedisCluster start() {
    RedisCluster cluster;
    try {
      cluster = new RedisCluster(Files.createTempDirectory("herald-redis-cluster"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      cluster.build(3);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void build(int shards) {
    for (int i = 0; i < shards; i++) {
      masters.add(RedisProcess.startClusterNode(dir));
      replicas.add(RedisProcess.startClusterNode(dir));
    }
    for (int i = 0; i < shards; i++) {
      int from = i * SLOTS / shards;
      int to = (i + 1) * SLOTS / shards - 1;
      on(masters.get(i), c -> c.clusterAddSlotsRange(Range.create(from, to)));
    }
    RedisProcess first = masters.get(0);
    for (RedisProcess node : all()) {
      if (node != first) {
        on(node, c -> c.dispatch(CommandType.CLUSTER, new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("MEET").add("127.0.0.1").add(first.port()).add(first.busPort())));
      }
    }
    await().atMost(SETTLE).until(() -> all().stream().allMatch(
        n -> on(n, c -> c.clusterNodes().lines().count()) == all().size()));
    for (int i = 0; i < shards; i++) {
      String masterId = on(masters.get(i), RedisCommands::clusterMyId);
      on(replicas.get(i), c -> c.clusterReplicate(masterId));
    }
    await().atMost(SETTLE).until(() -> all().stream().allMatch(
        n -> on(n, c -> c.clusterInfo().contains("cluster_state:ok"))));
    await().atMost(SETTLE).until(() -> replicas.stream().allMatch(
        n -> on(n, c -> c.info("replication").contains("master_link_status:up"))));
  }

  /** Seeds of the cluster: {@code redis://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}. */
  public String url() {
    return "redis://" + masters.stream().map(m -> "127.0.0.1:" + m.port()).collect(Collectors.joining(","));
  }

  /** Runs commands through a short-lived cluster connection. */
  public <T> T call(Function<RedisAdvancedClusterCommands<String, String>, T> commands) {
    RedisClusterClient client = RedisClusterClient.create(url());
    try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
      return commands.apply(c.sync());
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  /** Empties every master (and so its replica). */
  public void flushAll() {
    masters.forEach(m -> on(m, RedisCommands::flushall));
  }

  /** The number of shards that hold at least one key. */
  public long shardsWithKeys() {
    return masters.stream().filter(m -> on(m, RedisCommands::dbsize) > 0).count();
  }

  /** The master now serving {@code key}'s slot (hash tags count). */
  public RedisProcess masterOf(String key) {
    int slot = SlotHash.getSlot(key);
    for (RedisProcess m : masters) {
      String nodes = on(m, RedisCommands::clusterNodes);
      String myself = nodes.lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
      if (servesSlot(myself, slot)) {
        return m;
      }
    }
    throw new IllegalStateException("no master serves slot " + slot);
  }

  /**
   * Kills the master of {@code key}'s slot with SIGKILL and waits until its replica serves the
   * slot as the new master (about two node timeouts).
   */
  public void killMasterOf(String key) {
    RedisProcess old = masterOf(key);
    int shard = masters.indexOf(old);
    RedisProcess replica = replicas.get(shard);
    old.close();
    killed.add(old);
    await().atMost(SETTLE).until(() -> on(replica, c -> c.info("replication").contains("role:master")));
    masters.set(shard, replica);
    replicas.set(shard, null);
    await().atMost(SETTLE).until(() -> masters.stream().allMatch(
        n -> on(n, c -> c.clusterInfo().contains("cluster_state:ok"))));
  }

  private static boolean servesSlot(String nodeLine, int slot) {
    String[] f = nodeLine.split(" ");
    for (int i = 8; i < f.length; i++) {
      if (f[i].startsWith("[")) {
        continue; // a slot being migrated
      }
      String[] range = f[i].split("-");
      int from = Integer.parseInt(range[0]);
      int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
      if (slot >= from && slot <= to) {
        return true;
      }
    }
    return false;
  }

  private List<RedisProcess> all() {
    List<RedisProcess> all = new ArrayList<>(masters);
    replicas.stream().filter(r -> r != null).forEach(all::add);
    return all;
  }

  private static <T> T on(RedisProcess node, Function<RedisCommands<String, String>, T> commands) {
    return node.call(commands);
  }

  @Override
  public void close() {
    all().forEach(RedisProcess::close);
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory
    }
  }
}
