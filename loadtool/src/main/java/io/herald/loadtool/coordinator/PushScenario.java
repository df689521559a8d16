package io.herald.loadtool.coordinator;

import io.herald.loadtool.report.LatencySummary;
import io.herald.loadtool.report.RunReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/** Fan-out and broadcast: connect, push through the admin API, count and time every delivery. */
final class PushScenario {
  private PushScenario() {
  }

  static int run(String name, CommonOptions common, PushOptions push, Pusher.Target target) throws Exception {
    RunReport report = measure(name, common, push, target);
    report.print(System.out);
    return report.exitCode();
  }

  /** The run itself; returns its report, not yet printed. */
  static RunReport measure(String name, CommonOptions common, PushOptions push, Pusher.Target target) throws Exception {
    push.validate();
    if (common.apiKey == null || common.apiKey.isEmpty()) {
      throw new IllegalArgumentException("--api-key (or HERALD_API_KEY) is required");
    }
    String where = common.ports == null ? common.host + ":" + common.port
        : common.host + ":" + common.ports.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    RunReport report = new RunReport(name, common.label, where);
    if (common.ports != null) {
      report.put("ports", common.ports);
      report.put("admin_url", common.adminUrl);
    }
    if (common.serverPids != null) {
      report.put("server_pids", common.serverPids);
    }
    report.put("channels", target.channels());
    report.put("rate", push.rate);
    report.put("concurrency", push.concurrency);
    report.put("payload_bytes", push.payloadBytes);
    report.put("latency_from", push.intendedTime && push.rate > 0 ? "intended" : "sent");
    try (Run run = Run.start(common, report, target.channels());
         Pusher pusher = new Pusher(run.adminBase(), common.apiKey, push.concurrency, target, push.payloadBytes,
             push.pushTimeout)) {
      System.err.printf("%s: opening %d connections over %d worker(s)%n", name, common.clients,
          (Integer) report.get("workers"));
      run.connect();
      if (run.ready() == 0) {
        report.problem("no connection became ready");
        return report;
      }
      IntToLongFunction subscribers = slot -> target.channels() > 0 ? run.subscribers(slot) : run.ready();
      LongSupplier okExpected = () -> {
        long sum = 0;
        for (int slot = 0; slot < pusher.slots(); slot++) {
          sum += pusher.okFor(slot) * subscribers.applyAsLong(slot);
        }
        return sum;
      };
      TimedOutPushes warmLate = TimedOutPushes.NONE;
      if (!push.warmup.isZero()) {
        System.err.printf("%s: warming up for %s%n", name, push.warmup);
        Pusher.Result warm = pusher.run(push.warmup, push.rate);
        warmLate = TimedOutPushes.drain(run, "received", okExpected, warm.timedOut(), subscribers, push.drainTimeout);
        run.reset();
      }
      System.err.printf("%s: pushing for %s%n", name, push.duration);
      OptionalDouble cpu0 = run.serverCpuSeconds();
      double tool0 = run.toolCpuSeconds();
      double coordinator0 = run.coordinatorCpuSeconds();
      long t0 = System.nanoTime();
      Pusher.Result result = pusher.run(push.duration, push.rate, push.intendedTime);
      long warmLateExpected = warmLate.expectedDeliveries();
      LongSupplier expected = () -> okExpected.getAsLong() + warmLateExpected;
      TimedOutPushes late = TimedOutPushes.drain(run, "received", expected, result.timedOut(), subscribers,
          push.drainTimeout);
      double seconds = (System.nanoTime() - t0) / 1e9;
      OptionalDouble cpu1 = run.serverCpuSeconds();
      double tool1 = run.toolCpuSeconds();
      double coordinator1 = run.coordinatorCpuSeconds();
      long rss = run.serverRssKb();

      Map<String, Long> sums = new LinkedHashMap<>();
      Histogram latency = run.collectLatency(sums);
      recordPushes(report, result, late, push);
      long measured = sums.getOrDefault("received_since_reset", 0L);
      report.recordDeliveries(expected.getAsLong() + late.expectedDeliveries(), sums.getOrDefault("received", 0L),
          sums.getOrDefault("duplicates", 0L), measured, seconds);
      report.recordLatency(LatencySummary.of(latency));
      report.recordCpu(delta(cpu0, cpu1), tool1 - tool0, seconds, measured);
      report.putCpu("pusher_cpu_s", coordinator1 - coordinator0);
      if (rss >= 0) {
        report.put("server_rss_kb", rss);
        report.line("server RSS at end: %d KiB%s", rss,
            common.serverPids != null && common.serverPids.size() > 1 ? " (sum over " + common.serverPids.size() + " nodes)" : "");
      }
      if (common.ports != null && target.channels() == 0) {
        recordPerPort(report, run, sums, pusher.okFor(0) + warmLate.delivered() + late.delivered());
      }
      Scenarios.recordCloses(report, sums);
      return report;
    }
  }

  private static void recordPushes(RunReport report, Pusher.Result result, TimedOutPushes late, PushOptions push) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("issued", result.issued());
    p.put("ok", result.ok());
    p.put("errors", result.errors());
    p.put("timed_out", late.count());
    p.put("timed_out_delivered", late.delivered());
    p.put("per_second", Math.round(result.ok() / Math.max(result.seconds(), 1e-9) * 10) / 10.0);
    p.put("error_kinds", result.errorKinds());
    report.put("pushes", p);
    report.line("pushes: %d ok, %d failed, %d timed out in %.2f s (%.1f/s)", result.ok(), result.errors(),
        late.count(), result.seconds(), result.ok() / Math.max(result.seconds(), 1e-9));
    double achieved = result.ok() / Math.max(result.seconds(), 1e-9);
    if (push.rate > 0 && achieved < push.rate * 0.95) {
      report.line("  pushes fell behind the requested %.0f/s: each took longer than --concurrency allows", push.rate);
    }
    recordTimedOut(report, late, push.pushTimeout);
    if (result.errors() > 0 || !result.errorKinds().isEmpty()) {
      report.problem(result.errors() + " pushes failed: " + result.errorKinds());
    }
  }

  /** Timed-out pushes: a line, and a problem for those that reached no client (failed pushes). */
  static void recordTimedOut(RunReport report, TimedOutPushes late, Duration pushTimeout) {
    if (late.count() == 0) {
      return;
    }
    report.line("  %d pushes got no answer within %s: %d reached clients (counted as delivered: the answer was late),"
        + " %d reached no client (failed)", late.count(), pushTimeout, late.delivered(), late.undelivered());
    if (late.undelivered() > 0) {
      report.problem(late.undelivered() + " pushes timed out and reached no client");
    }
  }

  /**
   * Broadcast over a cluster: every ready client should get every push, so each node's clients
   * are accounted apart. A node killed during the run loses its own clients' deliveries only.
   */
  private static void recordPerPort(RunReport report, Run run, Map<String, Long> sums, long okPushes) {
    Map<String, Long> lost = new java.util.TreeMap<>();
    run.readyPerPort().forEach((port, ready) ->
        lost.put(port, ready * okPushes - sums.getOrDefault("received_port_" + port, 0L)));
    report.put("lost_per_port", lost);
    report.line("  lost per node port: %s", lost);
  }

  static OptionalDouble delta(OptionalDouble before, OptionalDouble after) {
    return before.isPresent() && after.isPresent()
        ? OptionalDouble.of(after.getAsDouble() - before.getAsDouble()) : OptionalDouble.empty();
  }
}
