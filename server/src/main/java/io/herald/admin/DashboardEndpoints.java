package io.herald.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.ClusterStats;
import io.herald.hub.Hub;
import io.herald.hub.UserId;
import io.herald.protocol.Json;
import io.herald.stats.StatsRecorder;
import io.herald.util.Failures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;

/**
 * The read-only endpoints behind the dashboard's views (docs/admin-api.md, "Dashboard
 * endpoints"): {@code stats} (the graphs' samples), {@code nodes}, {@code channels} and
 * {@code users} (paged). In cluster mode they combine every node's shares
 * ({@link ClusterStats}) with this node's own, fresher figures; when Redis cannot be reached they
 * answer this node's alone and say why in {@code cluster_error}.
 */
public final class DashboardEndpoints {
  static final int MAX_PAGE = 1000;
  private static final List<String> CHANNEL_SORTS = List.of("subscribers", "name");
  private static final List<String> ORDERS = List.of("desc", "asc");

  private final Hub hub;
  private final StatsRecorder stats;
  private final IntSupplier maxChannels;
  private final Duration downAfter;

  /** {@code downAfter}: a node silent this long shows as down (the presence TTL). */
  public DashboardEndpoints(Hub hub, StatsRecorder stats, IntSupplier maxChannels, Duration downAfter) {
    this.hub = hub;
    this.stats = stats;
    this.maxChannels = maxChannels;
    this.downAfter = downAfter;
  }

  public void registerOn(AdminApi api) {
    api.addPolled("stats", "GET", b -> stats(b.optionalInt("samples", 1, ClusterStats.WINDOW_SAMPLES,
        ClusterStats.WINDOW_SAMPLES)));
    api.addPolled("nodes", "GET", b -> nodes());
    api.addPolled("channels", "GET", b -> channels(b.optionalText("q").orElse(""),
        b.optionalChoice("sort", CHANNEL_SORTS, "subscribers"), b.optionalChoice("order", ORDERS, "desc"),
        b.optionalInt("offset", 0, Integer.MAX_VALUE, 0), b.optionalInt("limit", 1, MAX_PAGE, 50)));
    api.addPolled("users", "GET", b -> users(b.optionalText("q").orElse(""),
        b.optionalInt("offset", 0, Integer.MAX_VALUE, 0), b.optionalInt("limit", 1, MAX_PAGE, 50)));
  }

  // ---- stats and nodes ----

  private CompletionStage<Object> stats(int samples) {
    return clusterNodes(samples).thenApply(found -> {
      List<Object> nodes = new ArrayList<>();
      for (NodeView n : found.nodes) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("node_id", n.id);
        node.put("state", n.state);
        node.put("self", n.self);
        node.put("samples", n.samples);
        nodes.add(node);
      }
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("interval_ms", StatsRecorder.INTERVAL.toMillis());
      data.put("window_seconds", ClusterStats.WINDOW.toSeconds());
      data.put("fields", StatsRecorder.FIELDS);
      data.put("nodes", nodes);
      found.error(data);
      return data;
    });
  }

  private CompletionStage<Object> nodes() {
    return clusterNodes(1).thenApply(found -> {
      List<Object> nodes = new ArrayList<>();
      for (NodeView n : found.nodes) {
        Map<String, Object> node = new LinkedHashMap<>(n.status);
        node.put("state", n.state);
        node.put("self", n.self);
        node.put("last_seen_ms", n.ageMillis);
        nodes.add(node);
      }
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("down_after_seconds", downAfter.toSeconds());
      data.put("nodes", nodes);
      found.error(data);
      return data;
    });
  }

  private record NodeView(String id, String state, boolean self, long ageMillis, Map<String, Object> status,
                          List<Object> samples) {
  }

  private record Found(List<NodeView> nodes, String clusterError) {
    void error(Map<String, Object> data) {
      if (clusterError != null) {
        data.put("cluster_error", clusterError);
      }
    }
  }

  /** This node from its own figures, the others from their shares; sorted by id. */
  private CompletionStage<Found> clusterNodes(int samples) {
    String self = stats.identity().nodeId();
    List<Object> own = new ArrayList<>();
    for (double[] s : stats.recent(samples)) {
      own.add(StatsRecorder.values(s));
    }
    NodeView mine = new NodeView(self, "up", true, 0, stats.status(), own);
    if (stats.cluster().isEmpty()) {
      return CompletableFuture.completedFuture(new Found(List.of(mine), null));
    }
    return stats.cluster().get().nodes(samples).handle((shared, err) -> {
      List<NodeView> views = new ArrayList<>();
      views.add(mine);
      if (err != null) {
        return new Found(views, "cluster statistics unavailable: " + describe(err));
      }
      for (ClusterStats.NodeStats n : shared) {
        if (n.nodeId().equals(self)) {
          continue;
        }
        List<Object> series = new ArrayList<>(n.samples().size());
        for (byte[] s : n.samples()) {
          series.add(tree(s));
        }
        String state = n.ageMillis() > downAfter.toMillis() ? "down" : "up";
        views.add(new NodeView(n.nodeId(), state, false, n.ageMillis(),
            Json.MAPPER.convertValue(tree(n.status()), Map.class), series));
      }
      views.sort(Comparator.comparing(NodeView::id));
      return new Found(views, null);
    });
  }

  /** A failure as an operator may read it: the broker's own words, never a library's internals. */
  private static String describe(Throwable err) {
    Throwable cause = Failures.cause(err);
    return cause instanceof BrokerUnavailableException ? cause.getMessage() : "Redis did not answer";
  }

  private static JsonNode tree(byte[] json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("a node shared statistics that are not JSON", e);
    }
  }

  // ---- channels and users ----

  private CompletionStage<Object> channels(String q, String sort, String order, int offset, int limit) {
    Map<String, Integer> local = hub.channelSubscribers(maxChannels.getAsInt());
    CompletionStage<Map<String, Map<String, Integer>>> shared = stats.cluster().isEmpty()
        ? CompletableFuture.completedFuture(Map.of())
        : stats.cluster().get().channels();
    return shared.handle((byNode, err) -> {
      Map<String, int[]> totals = new HashMap<>(); // channel -> {subscribers, nodes}
      add(totals, local);
      int reporting = 1;
      if (byNode != null) {
        for (Map.Entry<String, Map<String, Integer>> e : byNode.entrySet()) {
          if (!e.getKey().equals(stats.identity().nodeId())) {
            add(totals, e.getValue());
            reporting++;
          }
        }
      }
      String needle = q.toLowerCase(Locale.ROOT);
      Comparator<Map.Entry<String, int[]>> byName = Map.Entry.comparingByKey();
      Comparator<Map.Entry<String, int[]>> bySubscribers =
          Comparator.<Map.Entry<String, int[]>>comparingInt(e -> e.getValue()[0]).thenComparing(byName);
      Comparator<Map.Entry<String, int[]>> cmp = sort.equals("name") ? byName : bySubscribers;
      List<Map.Entry<String, int[]>> rows = totals.entrySet().stream()
          .filter(e -> needle.isEmpty() || e.getKey().toLowerCase(Locale.ROOT).contains(needle))
          .sorted(order.equals("asc") ? cmp : cmp.reversed()).toList();
      List<Object> page = new ArrayList<>();
      for (Map.Entry<String, int[]> e : rows.subList(Math.min(offset, rows.size()), Math.min(offset + limit, rows.size()))) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("channel", e.getKey());
        row.put("subscribers", e.getValue()[0]);
        row.put("nodes", e.getValue()[1]);
        page.add(row);
      }
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("total", rows.size());
      data.put("offset", offset);
      data.put("limit", limit);
      data.put("nodes_reporting", reporting);
      data.put("channels", page);
      if (err != null) {
        data.put("cluster_error", "channel counts of other nodes unavailable: " + describe(err));
      }
      return data;
    });
  }

  private static void add(Map<String, int[]> totals, Map<String, Integer> counts) {
    counts.forEach((channel, n) -> {
      int[] t = totals.computeIfAbsent(channel, k -> new int[2]);
      t[0] += n;
      t[1]++;
    });
  }

  private CompletionStage<Object> users(String q, int offset, int limit) {
    return hub.getOnlineUsers().thenApply(all -> {
      String needle = q.toLowerCase(Locale.ROOT);
      List<UserId> rows = needle.isEmpty() ? all
          : all.stream().filter(u -> u.value().toLowerCase(Locale.ROOT).contains(needle)).toList();
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("total", rows.size());
      data.put("offset", offset);
      data.put("limit", limit);
      data.put("user_ids", rows.subList(Math.min(offset, rows.size()), Math.min(offset + limit, rows.size())));
      return data;
    });
  }
}
