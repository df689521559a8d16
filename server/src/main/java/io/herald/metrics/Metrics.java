package io.herald.metrics;

import io.herald.hub.Hub;
import io.herald.protocol.ServerFrames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Herald's metrics, exposed at {@code /metrics} in Prometheus text format. Counters on the hot path
 * are pre-registered, so recording never looks a meter up by name.
 */
public final class Metrics implements AutoCloseable {
  private static final Set<String> CLIENT_TYPES =
      Set.of("ping", "heartbeat", "chat", "broadcast", "subscribe", "unsubscribe", "recover");
  /**
   * The {@code type} label values of {@code herald_frames_out}: the frames Herald itself makes,
   * and {@code custom} for the free-form types of admin pushes (kept out of the labels, so a
   * caller cannot grow the series without bound).
   */
  public static final List<String> FRAME_OUT_TYPES = Stream.concat(ServerFrames.TYPES.stream(), Stream.of("custom"))
      .toList();
  private static final Map<String, Integer> FRAME_OUT_INDEX = new HashMap<>();
  /** The {@code code} label values of {@code herald_connections_closed}; others count as {@code other}. */
  private static final List<Integer> CLOSE_CODES =
      List.of(1000, 1001, 1002, 1005, 1006, 1007, 1009, 1011, 4001, 4002, 4003, 4008);

  static {
    for (int i = 0; i < FRAME_OUT_TYPES.size(); i++) {
      FRAME_OUT_INDEX.put(FRAME_OUT_TYPES.get(i), i);
    }
  }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> framesIn = new ConcurrentHashMap<>();
  private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();
  private final Map<String, Counter> upgradesRefused = new ConcurrentHashMap<>();
  private final Counter slowConsumers;
  private final Counter rateLimited;
  private final Counter heartbeatTimeouts;
  private final Counter connectionsOpened;
  private final Map<Integer, Counter> connectionsClosed = new HashMap<>();
  private final Counter connectionsClosedOther;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final java.util.concurrent.atomic.AtomicInteger pusherConnections = new java.util.concurrent.atomic.AtomicInteger();
  private final Map<String, Counter> pusherEvents = new ConcurrentHashMap<>();
  private final Counter pusherConnectionsOpened;

  public Metrics() {
    for (String type : CLIENT_TYPES) {
      framesIn.put(type, frameInCounter(type));
    }
    framesIn.put("other", frameInCounter("other"));
    slowConsumers = Counter.builder("herald_slow_consumers_closed")
        .description("Connections closed with 4008 because their outbound queue was full").register(registry);
    rateLimited = Counter.builder("herald_rate_limited_messages")
        .description("Client messages dropped by the per-connection rate limit").register(registry);
    heartbeatTimeouts = Counter.builder("herald_heartbeat_timeouts")
        .description("Connections closed with 4003").register(registry);
    connectionsOpened = Counter.builder("herald_connections_opened")
        .description("WebSocket connections authenticated and joined").register(registry);
    for (int code : CLOSE_CODES) {
      connectionsClosed.put(code, closedCounter(Integer.toString(code)));
    }
    connectionsClosedOther = closedCounter("other");
    Gauge.builder("herald_pusher_connections", pusherConnections, java.util.concurrent.atomic.AtomicInteger::get)
        .description("Open Pusher-protocol connections on this node (also counted in herald_connections)")
        .register(registry);
    pusherConnectionsOpened = Counter.builder("herald_pusher_connections_opened")
        .description("Pusher-protocol connections established").register(registry);
    for (String source : List.of("api", "client")) {
      pusherEvents.put(source, Counter.builder("herald_pusher_events").tag("source", source)
          .description("Pusher events published per channel: api (HTTP API) or client (client events)")
          .register(registry));
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
  }

  private Counter frameInCounter(String type) {
    return Counter.builder("herald_frames_in").tag("type", type)
        .description("Client frames received, by type").register(registry);
  }

  private Counter closedCounter(String code) {
    return Counter.builder("herald_connections_closed").tag("code", code)
        .description("Joined connections closed, by close code (sent or received; 1006 without a close frame)")
        .register(registry);
  }

  /** The index of {@code type} in {@link #FRAME_OUT_TYPES} ({@code custom} for any other type). */
  public static int frameOutIndex(String type) {
    Integer i = FRAME_OUT_INDEX.get(type);
    return i != null ? i : FRAME_OUT_TYPES.size() - 1;
  }

  /** Registers the hub's gauges. */
  public void bind(Hub hub) {
    Gauge.builder("herald_connections", hub, Hub::connectionCount)
        .description("Open WebSocket connections on this node").register(registry);
    Gauge.builder("herald_users", hub, Hub::localUserCount)
        .description("Distinct users connected to this node").register(registry);
    Gauge.builder("herald_channels", hub, Hub::channelCount)
        .description("Channels with subscribers on this node").register(registry);
    Gauge.builder("herald_broker_up", hub, h -> h.broker().healthy() ? 1 : 0)
        .description("1 while the broker reaches its engine (always in memory; Redis in cluster mode)")
        .register(registry);
  }

  /** A constant 1 labelled with a fact about this process (Prometheus' "info" pattern). */
  public void info(String name, String description, String label, String value) {
    Gauge.builder(name, () -> 1).tag(label, value).description(description).register(registry);
  }

  /** A counter whose value is read from {@code source} at scrape time. */
  public <T> void counter(String name, String description, T source, ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, source, value).description(description).register(registry);
  }

  /** A counter with one label, read from {@code source} at scrape time. */
  public <T> void counter(String name, String description, String label, String value, T source,
                          ToDoubleFunction<T> read) {
    FunctionCounter.builder(name, source, read).tag(label, value).description(description).register(registry);
  }

  public void connectionOpened() {
    connectionsOpened.increment();
  }

  public void connectionClosed(int code) {
    Counter c = connectionsClosed.get(code);
    (c != null ? c : connectionsClosedOther).increment();
  }

  public void frameIn(String type) {
    Counter c = framesIn.get(type);
    (c != null ? c : framesIn.get("other")).increment();
  }

  public void authFailure(String reason) {
    authFailures.computeIfAbsent(reason, r -> Counter.builder("herald_auth_failures").tag("reason", r)
        .description("Rejected connection attempts, by reason").register(registry)).increment();
  }

  public void pusherConnectionOpened() {
    pusherConnections.incrementAndGet();
    pusherConnectionsOpened.increment();
  }

  public void pusherConnectionClosed() {
    pusherConnections.decrementAndGet();
  }

  /** One Pusher event published to one channel; {@code source} is api or client. */
  public void pusherEvent(String source) {
    pusherEvents.get(source).increment();
  }

  /** An upgrade answered 403 or 429 before it happened: {@code origin}, {@code connections_per_address}, {@code handshake_rate}. */
  public void upgradeRefused(String reason) {
    upgradesRefused.computeIfAbsent(reason, r -> Counter.builder("herald_upgrades_refused").tag("reason", r)
        .description("WebSocket upgrades refused before the upgrade, by reason").register(registry)).increment();
  }

  public void slowConsumer() {
    slowConsumers.increment();
  }

  public void rateLimited() {
    rateLimited.increment();
  }

  public void heartbeatTimeout() {
    heartbeatTimeouts.increment();
  }

  public void adminRequest(String endpoint, int status, long nanos) {
    Timer.builder("herald_admin_requests").tag("endpoint", endpoint).tag("status", Integer.toString(status))
        .description("Admin API requests, by endpoint and status").register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The sum of every counter, function counter and timer count named {@code name} whose tags
   * each take one of the given values (no tags: all of them). For the dashboard's samples
   * (stats/StatsRecorder), read off the meters already kept, so nothing is added to the hot path.
   */
  public double total(String name, Map<String, Set<String>> tags) {
    double sum = 0;
    for (Meter meter : registry.find(name).meters()) {
      if (!tags.entrySet().stream().allMatch(t -> t.getValue().contains(meter.getId().getTag(t.getKey())))) {
        continue;
      }
      if (meter instanceof Counter c) {
        sum += c.count();
      } else if (meter instanceof FunctionCounter f) {
        sum += f.count();
      } else if (meter instanceof Timer t) {
        sum += t.count();
      }
    }
    return sum;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
