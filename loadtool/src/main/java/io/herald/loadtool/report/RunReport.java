package io.herald.loadtool.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The outcome of one run: a few lines for people and one JSON object on a single line (the only
 * output line starting with '{', so {@code grep '^{'} extracts it).
 *
 * <p>Exit codes: 0 all delivered, 3 deliveries lost, 4 nothing lost but connections failed or
 * closed, or pushes failed.
 */
public final class RunReport {
  public static final int EXIT_OK = 0;
  public static final int EXIT_LOST = 3;
  public static final int EXIT_FAILURES = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Object> json = new LinkedHashMap<>();
  private final List<String> lines = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private long lost;

  public RunReport(String scenario, String label, String target) {
    json.put("scenario", scenario);
    if (label != null && !label.isEmpty()) {
      json.put("label", label);
    }
    json.put("target", target);
    json.put("started_at", Instant.now().toString());
    json.put("loadavg_start", loadAverage());
    line("%s against %s%s", scenario, target, label == null || label.isEmpty() ? "" : " (" + label + ")");
  }

  public void put(String key, Object value) {
    json.put(key, value);
  }

  public Object get(String key) {
    return json.get(key);
  }

  public void line(String format, Object... args) {
    String text = String.format(format, args);
    lines.add(text.startsWith("{") ? " " + text : text);
  }

  public void problem(String text) {
    problems.add(text);
  }

  public void recordConnect(int ready, int failed, double seconds, LatencySummary latency,
      Map<String, Long> failures, String transport) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("ready", ready);
    c.put("failed", failed);
    c.put("seconds", round(seconds, 3));
    c.put("per_second", round(ready / Math.max(seconds, 1e-9), 1));
    c.put("latency_us", latency.toJson());
    c.put("failures", failures);
    c.put("transport", transport);
    json.put("connect", c);
    line("connections: %d ready, %d failed in %.2f s (%.0f/s, %s)", ready, failed, seconds,
        ready / Math.max(seconds, 1e-9), transport);
    line("  time to ready: %s", latency.toHuman());
    if (failed > 0) {
      problem(failed + " connections failed: " + failures);
      line("  failures: %s", failures);
    }
  }

  /** Deliveries: {@code expected} and {@code received} (distinct) over the whole run, {@code measured} in the timed window. */
  public void recordDeliveries(long expected, long received, long duplicates, long measured, double seconds) {
    lost = Math.max(0, expected - received);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("expected", expected);
    d.put("received", received);
    d.put("lost", lost);
    d.put("duplicates", duplicates);
    d.put("measured", measured);
    d.put("seconds", round(seconds, 3));
    d.put("per_second", round(measured / Math.max(seconds, 1e-9), 1));
    json.put("deliveries", d);
    line("deliveries: %d/s (%d in %.2f s); expected %d, received %d, lost %d, duplicates %d",
        Math.round(measured / Math.max(seconds, 1e-9)), measured, seconds, expected, received, lost, duplicates);
    if (lost > 0) {
      problem(lost + " deliveries lost");
    }
    if (received > expected) {
      problem((received - expected) + " deliveries more than expected (failed pushes that were delivered?)");
    }
  }

  public void recordLatency(LatencySummary latency) {
    json.put("latency_us", latency.toJson());
    line("end-to-end latency: %s", latency.toHuman());
  }

  /** CPU over the timed window; per-CPU-second figures only when the server's CPU is known. */
  public void recordCpu(OptionalDouble serverCpuSeconds, double toolCpuSeconds, double wallSeconds, long deliveries) {
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpu.put("wall_s", round(wallSeconds, 3));
    cpu.put("tool_cpu_s", round(toolCpuSeconds, 2));
    StringBuilder text = new StringBuilder(String.format("cpu: load tool %.2f s", toolCpuSeconds));
    if (serverCpuSeconds.isPresent()) {
      double server = serverCpuSeconds.getAsDouble();
      cpu.put("server_cpu_s", round(server, 2));
      cpu.put("server_cores_busy", round(server / Math.max(wallSeconds, 1e-9), 2));
      if (deliveries > 0) {
        double perCpu = deliveries / Math.max(server, 0.01);
        cpu.put("deliveries_per_server_cpu_s", round(perCpu, 0));
        text.append(String.format(", server %.2f s (%.2f cores) = %.0f deliveries per server CPU-second",
            server, server / Math.max(wallSeconds, 1e-9), perCpu));
      } else {
        text.append(String.format(", server %.2f s", server));
      }
    }
    json.put("cpu", cpu);
    line("%s", text);
  }

  /** Adds one figure to the "cpu" object written by {@link #recordCpu}. */
  @SuppressWarnings("unchecked")
  public void putCpu(String key, double seconds) {
    Object cpu = json.get("cpu");
    if (cpu instanceof Map<?, ?>) {
      ((Map<String, Object>) cpu).put(key, round(seconds, 2));
    }
  }

  public void recordRss(long beforeKb, long afterKb, int connections) {
    if (beforeKb < 0 || afterKb < 0) {
      return;
    }
    Map<String, Object> rss = new LinkedHashMap<>();
    rss.put("before_kb", beforeKb);
    rss.put("after_kb", afterKb);
    double perConnection = connections > 0 ? (afterKb - beforeKb) * 1024.0 / connections : 0;
    rss.put("per_connection_bytes", round(perConnection, 0));
    json.put("server_rss", rss);
    line("server RSS: %d KiB -> %d KiB, %.0f bytes per connection", beforeKb, afterKb, perConnection);
  }

  public long lost() {
    return lost;
  }

  public int exitCode() {
    if (lost > 0) {
      return EXIT_LOST;
    }
    return problems.isEmpty() ? EXIT_OK : EXIT_FAILURES;
  }

  public String jsonLine() {
    json.put("loadavg_end", loadAverage());
    json.put("problems", problems);
    json.put("exit_code", exitCode());
    try {
      return JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report is not serialisable", e);
    }
  }

  public void print(PrintStream out) {
    double load = loadAverage();
    if (load > Runtime.getRuntime().availableProcessors()) {
      line("note: load average %.1f on %d cores: other work shared the machine", load,
          Runtime.getRuntime().availableProcessors());
    }
    for (String line : lines) {
      out.println(line);
    }
    for (String problem : problems) {
      out.println("PROBLEM: " + problem);
    }
    out.println(jsonLine());
    out.flush();
  }

  /** The machine's 1-minute load average, or -1 when unknown: other work on the cores skews every figure. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
