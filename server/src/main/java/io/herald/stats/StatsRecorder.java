package io.herald.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.herald.broker.ClusterStats;
import io.herald.hub.Hub;
import io.herald.metrics.Metrics;
import io.herald.protocol.Json;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one sample of this node a second for the dashboard's graphs and keeps the last
 * {@link ClusterStats#WINDOW} of them in a ring. Each sample reads counters and gauges that
 * Herald keeps anyway ({@link Counters}), so it adds nothing to the delivery path. In cluster
 * mode it also shares the node's status and newest sample through the broker, and its channel
 * counts while a dashboard shows the channels.
 *
 * <p>Threading: samples are taken on one daemon thread of its own; readers on any thread.
 */
public final class StatsRecorder implements AutoCloseable {
  /** The fields of a sample, in the order of its JSON array. */
  public static final List<String> FIELDS = List.of("time", "connections", "users", "channels",
      "messages_in", "messages_out", "deliveries", "slow_consumer_closes", "errors");
  public static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(StatsRecorder.class);

  private final Hub hub;
  private final Metrics metrics;
  private volatile NodeIdentity identity;
  private final Clock clock;
  private final IntSupplier maxSharedChannels;
  private final Optional<ClusterStats> cluster;
  private final ArrayDeque<double[]> ring = new ArrayDeque<>(ClusterStats.WINDOW_SAMPLES);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "herald-stats");
    t.setDaemon(true);
    return t;
  });
  // only accessed on the scheduler's thread
  private Counters last;
  private long lastNanos;
  private volatile boolean shareFailed;

  public StatsRecorder(Hub hub, Metrics metrics, NodeIdentity identity, Clock clock, IntSupplier maxSharedChannels) {
    this.hub = hub;
    this.metrics = metrics;
    this.identity = identity;
    this.clock = clock;
    this.maxSharedChannels = maxSharedChannels;
    this.cluster = hub.broker().clusterStats();
  }

  /**
   * Starts sampling once the node is bound to {@code address} (its {@code host:port}); the
   * first sample comes one interval from now.
   */
  public void start(String address) {
    identity = new NodeIdentity(identity.nodeId(), address, identity.version(), identity.startedAt());
    last = Counters.read(metrics);
    lastNanos = System.nanoTime();
    long millis = INTERVAL.toMillis();
    scheduler.scheduleAtFixedRate(this::tick, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** How nodes share statistics in cluster mode; empty on a single node. */
  public Optional<ClusterStats> cluster() {
    return cluster;
  }

  public NodeIdentity identity() {
    return identity;
  }

  /** The newest {@code n} samples, oldest first. */
  public List<double[]> recent(int n) {
    synchronized (ring) {
      List<double[]> all = new ArrayList<>(ring);
      return all.subList(Math.max(0, all.size() - n), all.size());
    }
  }

  /** A sample as JSON-ready numbers: whole numbers as longs (the time is epoch milliseconds). */
  public static List<Number> values(double[] sample) {
    List<Number> out = new ArrayList<>(sample.length);
    for (double v : sample) {
      out.add(v == Math.rint(v) ? (Number) (long) v : (Number) v);
    }
    return out;
  }

  /** This node's status as the nodes view shows it: identity, load, CPU, heap, broker. */
  public Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("node_id", identity.nodeId());
    s.put("address", identity.address());
    s.put("version", identity.version());
    s.put("started_at", identity.startedAt().toEpochMilli());
    s.put("uptime_seconds", Duration.between(identity.startedAt(), clock.instant()).toSeconds());
    s.put("connections", hub.connectionCount());
    s.put("users", hub.localUserCount());
    s.put("channels", hub.channelCount());
    s.put("cpu", cpu());
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    s.put("heap_used_bytes", heap.getUsed());
    s.put("heap_max_bytes", heap.getMax());
    Map<String, Object> broker = new LinkedHashMap<>();
    broker.put("kind", hub.broker().kind());
    broker.put("healthy", hub.broker().healthy());
    s.put("broker", broker);
    return s;
  }

  /** This process's share of the machine's CPU, 0 to 1; -1 when the JVM cannot tell. */
  private static double cpu() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      double load = os.getProcessCpuLoad();
      return load < 0 ? -1 : Math.round(load * 1000) / 1000.0;
    }
    return -1;
  }

  private void tick() {
    try {
      double[] sample = sample();
      synchronized (ring) {
        if (ring.size() == ClusterStats.WINDOW_SAMPLES) {
          ring.removeFirst();
        }
        ring.addLast(sample);
      }
      cluster.ifPresent(c -> share(c, sample));
    } catch (RuntimeException e) {
      log.warn("dashboard sample failed", e);
    }
  }

  private double[] sample() {
    Counters now = Counters.read(metrics);
    long nanos = System.nanoTime();
    double seconds = Math.max(1e-3, (nanos - lastNanos) / 1e9);
    double[] s = {
        clock.millis(), hub.connectionCount(), hub.localUserCount(), hub.channelCount(),
        rate(now.messagesIn() - last.messagesIn(), seconds),
        rate(now.messagesOut() - last.messagesOut(), seconds),
        rate(now.deliveries() - last.deliveries(), seconds),
        now.slowCloses() - last.slowCloses(),
        now.errors() - last.errors()};
    last = now;
    lastNanos = nanos;
    return s;
  }

  private static double rate(double delta, double seconds) {
    return Math.round(delta / seconds * 10) / 10.0;
  }

  private void share(ClusterStats c, double[] sample) {
    byte[] status;
    byte[] json;
    try {
      status = Json.MAPPER.writeValueAsBytes(status());
      json = Json.MAPPER.writeValueAsBytes(values(sample));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a dashboard sample", e);
    }
    c.share(status, json).whenComplete((wantChannels, err) -> {
      if (err != null) {
        if (!shareFailed) {
          log.info("cannot share dashboard statistics with the cluster: {}", err.toString());
        }
        shareFailed = true;
        return;
      }
      shareFailed = false;
      if (wantChannels) {
        c.shareChannels(hub.channelSubscribers(maxSharedChannels.getAsInt()));
      }
    });
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
