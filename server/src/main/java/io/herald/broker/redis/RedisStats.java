package io.herald.broker.redis;

import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.ClusterStats;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Dashboard statistics in Redis, beside presence and under the same prefix (so, where the prefix
 * carries a hash tag, in presence's slot): {@code <p>stats:nodes} (node to status JSON),
 * {@code <p>stats:seen} (node to the Redis time of its last share), {@code <p>stats:series:<node>}
 * (the node's last samples, a capped list that expires with the window),
 * {@code <p>stats:channels:<node>} (channel to local subscribers, shared only while
 * {@code <p>stats:want-channels} exists, which reading the channels sets for a while). Each step
 * is one script; ages come from Redis's clock, so node clocks need not agree.
 */
final class RedisStats implements ClusterStats {
  /** How long a read of the channels keeps every node sharing its channel counts. */
  static final Duration WANT_CHANNELS = Duration.ofSeconds(30);

  private final RedisConnector connector;
  private final String address;
  private final byte[] prefix;
  private final byte[] node;
  private final long presenceTtlMillis;

  RedisStats(RedisConnector connector, RedisSettings settings, RedisNames names) {
    this.connector = connector;
    this.address = settings.address();
    this.prefix = RedisNames.bytes(names.prefix());
    this.node = RedisNames.bytes(settings.nodeId());
    this.presenceTtlMillis = settings.presenceTtl().toMillis();
  }

  @Override
  public CompletionStage<Boolean> share(byte[] status, byte[] sample) {
    RedisLink l = connector.current();
    if (l == null || !l.ready) {
      return unavailable();
    }
    return l.<Long>run(Script.STATS_SHARE, ScriptOutputType.INTEGER, prefix, node, status, sample,
        number(WINDOW_SAMPLES), number(WINDOW.toMillis())).thenApply(wanted -> wanted == 1L);
  }

  @Override
  public CompletionStage<Void> shareChannels(Map<String, Integer> counts) {
    RedisLink l = connector.current();
    if (l == null || !l.ready) {
      return unavailable();
    }
    byte[][] args = new byte[3 + 2 * counts.size()][];
    args[0] = prefix;
    args[1] = node;
    args[2] = number(WANT_CHANNELS.toMillis() * 2);
    int i = 3;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      args[i++] = RedisNames.bytes(e.getKey());
      args[i++] = number(e.getValue());
    }
    return l.run(Script.CHANNELS_SHARE, ScriptOutputType.INTEGER, args).thenRun(() -> { });
  }

  @Override
  public CompletionStage<List<NodeStats>> nodes(int samples) {
    RedisLink l = connector.current();
    if (l == null) {
      return unavailable();
    }
    return l.<List<Object>>run(Script.STATS_READ, ScriptOutputType.MULTI, prefix, number(Math.max(1, samples)),
        number(WINDOW.toMillis())).thenApply(rows -> {
          List<NodeStats> out = new ArrayList<>(rows.size());
          for (Object row : rows) {
            List<?> r = (List<?>) row;
            List<byte[]> series = new ArrayList<>();
            for (Object s : (List<?>) r.get(3)) {
              series.add((byte[]) s);
            }
            out.add(new NodeStats(text(r.get(0)), (byte[]) r.get(1), (Long) r.get(2), series));
          }
          return out;
        });
  }

  @Override
  public CompletionStage<Map<String, Map<String, Integer>>> channels() {
    RedisLink l = connector.current();
    if (l == null) {
      return unavailable();
    }
    return l.<List<Object>>run(Script.CHANNELS_READ, ScriptOutputType.MULTI, prefix,
        number(WANT_CHANNELS.toMillis()), number(presenceTtlMillis)).thenApply(rows -> {
          Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
          for (Object row : rows) {
            List<?> r = (List<?>) row;
            List<?> flat = (List<?>) r.get(1);
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
              counts.put(text(flat.get(i)), Integer.parseInt(text(flat.get(i + 1))));
            }
            out.put(text(r.get(0)), counts);
          }
          return out;
        });
  }
  private static String text(Object o) {
    return new String((byte[]) o, StandardCharsets.UTF_8);
  }

  private static byte[] number(long n) {
    return RedisNames.bytes(Long.toString(n));
  }

  private <T> CompletableFuture<T> unavailable() {
    return CompletableFuture.failedFuture(new BrokerUnavailableException(
        "Redis at " + address + " is unreachable: cluster statistics are not available"));
  }
}
