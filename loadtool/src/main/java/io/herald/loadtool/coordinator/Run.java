package io.herald.loadtool.coordinator;

import io.herald.loadtool.report.LatencySummary;
import io.herald.loadtool.report.RunReport;
import io.herald.loadtool.worker.WorkerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/** One benchmark run: its workers, its connections and the measurements taken around them. */
public final class Run implements AutoCloseable {
  /** Connections per worker stay this far below the open-files limit (JVM jars, epoll, pipes). */
  static final int RESERVED_FILES_PER_WORKER = 200;
  static final int DEFAULT_CLIENTS_PER_WORKER = 15_000;
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  final CommonOptions options;
  final RunReport report;
  final int channels;
  private final WorkerFleet fleet;
  private final List<WorkerConfig> plan;
  private int ready;
  private long[] subscribedPerChannel;

  private Run(CommonOptions options, RunReport report, int channels, List<WorkerConfig> plan) throws IOException {
    this.options = options;
    this.report = report;
    this.channels = channels;
    this.plan = plan;
    List<String> jvm = new ArrayList<>(List.of("-Xms64m", "-Xmx" + options.workerHeap, "-XX:+UseSerialGC",
        "-Xss512k", "-Dio.netty.leakDetection.level=disabled"));
    jvm.addAll(options.workerJvmOptions);
    this.fleet = new WorkerFleet(plan.size(), jvm);
  }

  /** Plans the run (workers, source addresses) and forks the workers. */
  public static Run start(CommonOptions options, RunReport report, int channels) throws IOException {
    requireLoopback(options.host);
    if (options.jwtSecret == null || options.jwtSecret.isEmpty()) {
      throw new IllegalArgumentException("--jwt-secret (or HERALD_JWT_SECRET) is required");
    }
    if (options.clients < 1) {
      throw new IllegalArgumentException("--clients must be >= 1: " + options.clients);
    }
    List<WorkerConfig> plan = plan(options, channels);
    report.put("clients", options.clients);
    report.put("workers", plan.size());
    report.put("source_ips", plan.get(0).sourceAddresses().size());
    return new Run(options, report, channels, plan);
  }

  static void requireLoopback(String host) throws UnknownHostException {
    if (!InetAddress.getByName(host).isLoopbackAddress()) {
      throw new IllegalArgumentException("--host must be a loopback address (127.0.0.0/8 or ::1): " + host);
    }
  }

  static List<WorkerConfig> plan(CommonOptions o, int channels) throws UnknownHostException {
    long limit = ProcStats.openFilesLimit();
    long perWorkerMax = Math.max(1, Math.min(limit, 1_000_000) - RESERVED_FILES_PER_WORKER);
    int workers = o.workers > 0 ? o.workers
        : (int) Math.ceil(o.clients / (double) Math.min(perWorkerMax, DEFAULT_CLIENTS_PER_WORKER));
    int perWorker = (int) Math.ceil(o.clients / (double) workers);
    perWorker += perWorker % 2; // chat partners (2k, 2k+1) live in one worker
    if (perWorker > perWorkerMax) {
      throw new IllegalArgumentException(perWorker + " connections per worker exceed the open-files limit of "
          + limit + " minus " + RESERVED_FILES_PER_WORKER + "; use more --workers");
    }
    int ips = o.sourceIps > 0 ? o.sourceIps : (int) Math.ceil(o.clients / (ProcStats.ephemeralPorts() * 0.8));
    List<String> sources = sourceAddresses(o.firstSourceIp, ips);
    List<WorkerConfig> plan = new ArrayList<>();
    double ratePerWorker = o.connectRate / workers;
    for (int first = 0; first < o.clients; first += perWorker) {
      int count = Math.min(perWorker, o.clients - first);
      plan.add(new WorkerConfig(o.host, o.port, o.path, o.jwtSecret, first, count, o.firstUserId, channels,
          "bench-", sources, o.maxInflight, ratePerWorker, (int) o.handshakeTimeout.toMillis(), o.ioThreads,
          (int) o.heartbeatInterval.toSeconds(), o.ports, o.users));
    }
    return plan;
  }

  static List<String> sourceAddresses(String first, int count) throws UnknownHostException {
    byte[] base = InetAddress.getByName(first).getAddress();
    if (base.length != 4 || base[0] != 127) {
      throw new IllegalArgumentException("--first-source-ip must be an IPv4 loopback address: " + first);
    }
    long start = ((base[1] & 0xFFL) << 16) | ((base[2] & 0xFFL) << 8) | (base[3] & 0xFFL);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long a = start + i;
      if (a >= (1 << 24) - 1) {
        throw new IllegalArgumentException("too many source addresses from " + first + ": " + count);
      }
      out.add("127." + ((a >> 16) & 0xFF) + "." + ((a >> 8) & 0xFF) + "." + (a & 0xFF));
    }
    return out;
  }

  public URI adminBase() throws UnknownHostException {
    String base = options.adminUrl != null ? options.adminUrl
        : "http://" + options.host + ":" + options.port + "/admin/websocket/";
    URI uri = URI.create(base.endsWith("/") ? base : base + "/");
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("--admin-url must be an http:// URL: " + base);
    }
    requireLoopback(uri.getHost());
    return uri;
  }

  /** Opens every connection and records how that went. */
  private final Map<String, Long> readyPerPort = new java.util.TreeMap<>();

  public void connect() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    for (int i = 0; i < plan.size(); i++) {
      fleet.send(i, Map.of("cmd", "connect", "config", plan.get(i).toJson()));
    }
    Histogram connectLatency = LatencySummary.newHistogram();
    Map<String, Long> failures = new LinkedHashMap<>();
    readyPerPort.clear();
    subscribedPerChannel = new long[Math.max(channels, 1)];
    int failed = 0;
    String transport = "?";
    for (int i = 0; i < plan.size(); i++) {
      Map<String, Object> answer = fleet.await(i, "connected", options.connectTimeout.plusSeconds(5));
      ready += ((Number) answer.get("ready")).intValue();
      failed += ((Number) answer.get("failed")).intValue();
      transport = String.valueOf(answer.get("transport"));
      connectLatency.add(LatencySummary.decode((String) answer.get("connect_histogram")));
      @SuppressWarnings("unchecked")
      Map<String, Number> reasons = (Map<String, Number>) answer.get("failures");
      reasons.forEach((reason, n) -> failures.merge(reason, n.longValue(), Long::sum));
      @SuppressWarnings("unchecked")
      Map<String, Number> perPort = (Map<String, Number>) answer.getOrDefault("ready_per_port", Map.of());
      perPort.forEach((port, n) -> readyPerPort.merge(port, n.longValue(), Long::sum));
      @SuppressWarnings("unchecked")
      List<Number> perChannel = (List<Number>) answer.get("subscribed_per_channel");
      for (int ch = 0; ch < perChannel.size(); ch++) {
        subscribedPerChannel[ch] += perChannel.get(ch).longValue();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    report.recordConnect(ready, failed, seconds, LatencySummary.of(connectLatency), failures, transport);
    if (options.ports != null && options.ports.size() > 1) {
      report.put("ready_per_port", readyPerPort);
      report.line("  ready per node port: %s", readyPerPort);
    }
  }

  /** Marks the share of ready clients that play slow consumers; returns how many. */
  public long markSlow(double share) throws IOException, InterruptedException {
    long marked = 0;
    for (Map<String, Object> answer : fleet.ask(Map.of("cmd", "mark_slow", "share", share), "marked", Duration.ofSeconds(30))) {
      marked += ((Number) answer.get("slow")).longValue();
    }
    return marked;
  }

  /** The slow clients stop reading for {@code stall}; returns how many stalled. */
  public long stall(Duration stall) throws IOException, InterruptedException {
    long stalled = 0;
    for (Map<String, Object> answer : fleet.ask(Map.of("cmd", "stall", "ms", stall.toMillis()), "stalled", Duration.ofSeconds(30))) {
      stalled += ((Number) answer.get("stalled")).longValue();
    }
    return stalled;
  }

  /** Ready connections per server port (cluster runs), as strings of the port. */
  public Map<String, Long> readyPerPort() {
    return readyPerPort;
  }

  public int ready() {
    return ready;
  }

  public long subscribers(int channel) {
    return subscribedPerChannel[channel];
  }

  /** Sums each worker's counters ({@code received}, {@code duplicates}, ...). */
  public Map<String, Long> stats() throws IOException, InterruptedException {
    Map<String, Long> sums = new LinkedHashMap<>();
    for (Map<String, Object> answer : fleet.ask(Map.of("cmd", "stats"), "stats", Duration.ofSeconds(30))) {
      sumInto(sums, answer);
    }
    return sums;
  }

  private static void sumInto(Map<String, Long> sums, Map<String, Object> answer) {
    answer.forEach((key, value) -> {
      if (value instanceof Number n) {
        sums.merge(key, n.longValue(), Long::sum);
      } else if (value instanceof Map<?, ?> perPort && key.equals("received_per_port")) {
        perPort.forEach((port, n) -> sums.merge("received_port_" + port, ((Number) n).longValue(), Long::sum));
      } else if (value instanceof Map<?, ?> closes && key.equals("closed_after_ready")) {
        closes.forEach((code, n) -> sums.merge("closed_" + code, ((Number) n).longValue(), Long::sum));
      } else if (value instanceof Map<?, ?> closes && key.equals("slow_closed_by_code")) {
        closes.forEach((code, n) -> sums.merge("slow_closed_code_" + code, ((Number) n).longValue(), Long::sum));
      }
    });
  }

  /** Waits until workers received {@code expected} distinct deliveries, or {@code timeout}; returns the last counts. */
  public Map<String, Long> drain(LongSupplier expected, Duration timeout) throws IOException, InterruptedException {
    return drain("received", expected, timeout);
  }

  /** As {@link #drain(LongSupplier, Duration)}, waiting on the summed counter {@code counter}. */
  public Map<String, Long> drain(String counter, LongSupplier expected, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, Long> stats = stats();
      if (stats.getOrDefault(counter, 0L) >= expected.getAsLong() || System.nanoTime() >= deadline) {
        return stats;
      }
      Thread.sleep(POLL_INTERVAL.toMillis()); // polling a child process; there is nothing to wait on
    }
  }

  /** How many clients, over all workers, received each push; see {@code WorkerEngine.receivers}. */
  public long[] receivers(List<Pusher.PushId> pushes) throws IOException, InterruptedException {
    long[] counts = new long[pushes.size()];
    Map<String, Object> command = Map.of("cmd", "receivers", "slots", pushes.stream().map(Pusher.PushId::slot).toList(),
        "seqs", pushes.stream().map(Pusher.PushId::seq).toList());
    for (Map<String, Object> answer : fleet.ask(command, "receivers", Duration.ofSeconds(30))) {
      @SuppressWarnings("unchecked")
      List<Number> perPush = (List<Number>) answer.get("counts");
      for (int i = 0; i < counts.length; i++) {
        counts[i] += perPush.get(i).longValue();
      }
    }
    return counts;
  }

  public void reset() throws IOException, InterruptedException {
    fleet.ask(Map.of("cmd", "reset"), "reset", Duration.ofSeconds(30));
  }

  /** Starts chat on every worker with an equal share of the rate; returns messages sent. */
  public long chat(double rate, Duration duration, int payloadBytes) throws IOException, InterruptedException {
    Map<String, Object> command = Map.of("cmd", "chat", "rate", rate / fleet.size(),
        "duration_ms", duration.toMillis(), "payload_bytes", payloadBytes);
    long sent = 0;
    for (Map<String, Object> answer : fleet.ask(command, "chat_done", duration.plusSeconds(30))) {
      sent += ((Number) answer.get("sent")).longValue();
      if (answer.containsKey("error")) {
        throw new IllegalStateException("chat failed in a worker: " + answer.get("error"));
      }
    }
    return sent;
  }

  /** Latencies since the last reset, merged over workers, plus the summed counters. */
  public Histogram collectLatency(Map<String, Long> sums) throws IOException, InterruptedException {
    return collectLatency(sums, null);
  }

  /** As {@link #collectLatency(Map)}; the slow clients' latencies go into {@code slow} when not null. */
  public Histogram collectLatency(Map<String, Long> sums, Histogram slow) throws IOException, InterruptedException {
    Histogram merged = LatencySummary.newHistogram();
    for (Map<String, Object> answer : fleet.ask(Map.of("cmd", "report"), "report", Duration.ofSeconds(30))) {
      merged.add(LatencySummary.decode((String) answer.get("histogram")));
      if (slow != null && answer.get("slow_histogram") != null) {
        slow.add(LatencySummary.decode((String) answer.get("slow_histogram")));
      }
      sumInto(sums, answer);
    }
    return merged;
  }

  public OptionalDouble serverCpuSeconds() {
    List<Long> pids = serverPids();
    if (pids.isEmpty()) {
      return OptionalDouble.empty();
    }
    double total = 0;
    for (long pid : pids) {
      OptionalDouble cpu = ProcStats.cpuSeconds(pid);
      if (cpu.isEmpty()) {
        return OptionalDouble.empty();
      }
      total += cpu.getAsDouble();
    }
    return OptionalDouble.of(total);
  }

  /** CPU seconds of this process (the coordinator and pusher) and all workers. */
  public double toolCpuSeconds() {
    return coordinatorCpuSeconds() + workersCpuSeconds();
  }

  public double coordinatorCpuSeconds() {
    return ProcStats.cpuSeconds(ProcessHandle.current().pid()).orElse(0);
  }

  public double workersCpuSeconds() {
    double total = 0;
    for (long pid : fleet.pids()) {
      total += ProcStats.cpuSeconds(pid).orElse(0);
    }
    return total;
  }

  /** Server RSS in KiB (summed over the nodes of a cluster), or -1 without --server-pid. */
  public long serverRssKb() {
    long total = 0;
    for (long pid : serverPids()) {
      long rss = ProcStats.rssKb(pid).orElse(-1);
      if (rss < 0) {
        return -1;
      }
      total += rss;
    }
    return serverPids().isEmpty() ? -1 : total;
  }

  /** The server processes measured: every --node-pids entry (cluster), else --server-pid. */
  List<Long> serverPids() {
    if (options.serverPids != null && !options.serverPids.isEmpty()) {
      return options.serverPids;
    }
    return options.serverPid == null ? List.of() : List.of(options.serverPid);
  }

  @Override
  public void close() throws InterruptedException {
    fleet.close();
  }
}
