package io.herald.loadtool.coordinator;

import io.herald.loadtool.report.LatencySummary;
import io.herald.loadtool.report.RunReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/**
 * Fan-out on one channel while a share of the clients stop reading for a while: does the server
 * keep the fast clients on time and lossless, and cut the slow ones off instead of buffering?
 *
 * <p>Timeline: connect, mark the slow share, warm-up (untimed), {@code before} window, stall
 * window (slow clients' autoRead off), {@code after} window (slow clients read again), drain.
 * Pushes run at the same rate through all three windows; each window's latencies are kept apart.
 */
final class SlowConsumersScenario {
  private SlowConsumersScenario() {
  }

  record Windows(Duration before, Duration stall, Duration after) {
  }

  static int run(CommonOptions common, PushOptions push, double slowShare, Windows windows) throws Exception {
    push.validate();
    if (common.apiKey == null || common.apiKey.isEmpty()) {
      throw new IllegalArgumentException("--api-key (or HERALD_API_KEY) is required");
    }
    String name = "slow-consumers";
    Pusher.Target target = Pusher.Target.channels(1, "bench-");
    RunReport report = new RunReport(name, common.label, common.host + ":" + common.port);
    report.put("channels", 1);
    report.put("rate", push.rate);
    report.put("concurrency", push.concurrency);
    report.put("payload_bytes", push.payloadBytes);
    report.put("slow_share", slowShare);
    report.put("before_s", windows.before().toMillis() / 1000.0);
    report.put("stall_s", windows.stall().toMillis() / 1000.0);
    report.put("after_s", windows.after().toMillis() / 1000.0);
    report.put("latency_from", push.intendedTime && push.rate > 0 ? "intended" : "sent");
    try (Run run = Run.start(common, report, 1);
         Pusher pusher = new Pusher(run.adminBase(), common.apiKey, push.concurrency, target, push.payloadBytes,
             push.pushTimeout)) {
      System.err.printf("%s: opening %d connections over %d worker(s)%n", name, common.clients,
          (Integer) report.get("workers"));
      run.connect();
      if (run.ready() == 0) {
        report.problem("no connection became ready");
        report.print(System.out);
        return report.exitCode();
      }
      long marked = run.markSlow(slowShare);
      long fastCount = run.ready() - marked;
      report.line("clients: %d fast, %d slow (share %s; they stop reading for %s)", fastCount, marked, slowShare,
          windows.stall());
      TimedOutPushes warmLate = TimedOutPushes.NONE;
      if (!push.warmup.isZero()) {
        System.err.printf("%s: warming up for %s%n", name, push.warmup);
        Pusher.Result warm = pusher.run(push.warmup, push.rate);
        warmLate = TimedOutPushes.drain(run, "received", () -> pusher.okFor(0) * run.ready(), warm.timedOut(),
            slot -> run.ready(), push.drainTimeout);
        run.reset();
      }
      OptionalDouble cpu0 = run.serverCpuSeconds();
      double tool0 = run.toolCpuSeconds();
      long t0 = System.nanoTime();
      long rssBefore = run.serverRssKb();
      Map<String, Object> windowsJson = new LinkedHashMap<>();
      Map<String, Long> pushes = new LinkedHashMap<>();

      System.err.printf("%s: pushing for %s before the stall%n", name, windows.before());
      Pusher.Result before = pusher.run(windows.before(), push.rate, push.intendedTime);
      Histogram slowLatency = LatencySummary.newHistogram();
      Histogram fastBefore = run.collectLatency(new LinkedHashMap<>(), slowLatency);

      System.err.printf("%s: %d slow clients stop reading for %s%n", name, marked, windows.stall());
      long stalled = run.stall(windows.stall());
      Pusher.Result during = pusher.run(windows.stall(), push.rate, push.intendedTime);
      long rssStallEnd = run.serverRssKb();
      Map<String, Long> atStallEnd = new LinkedHashMap<>();
      Histogram fastDuring = run.collectLatency(atStallEnd, slowLatency);

      System.err.printf("%s: slow clients read again; pushing for %s%n", name, windows.after());
      Pusher.Result after = pusher.run(windows.after(), push.rate, push.intendedTime);
      // pushes the server took: answered OK, or timed out but received by a client
      long pushesTaken = pusher.okFor(0) + warmLate.delivered();
      List<Pusher.PushId> timedOut = new ArrayList<>(before.timedOut());
      timedOut.addAll(during.timedOut());
      timedOut.addAll(after.timedOut());
      TimedOutPushes late = TimedOutPushes.drain(run, "fast_received", () -> fastCount * pushesTaken, timedOut,
          slot -> fastCount, push.drainTimeout);
      long pushesDelivered = pushesTaken + late.delivered();
      double seconds = (System.nanoTime() - t0) / 1e9;
      OptionalDouble cpu1 = run.serverCpuSeconds();
      double tool1 = run.toolCpuSeconds();
      long rssAfter = run.serverRssKb();
      Map<String, Long> sums = new LinkedHashMap<>();
      Histogram fastAfter = run.collectLatency(sums, slowLatency);

      long ok = before.ok() + during.ok() + after.ok();
      long errors = before.errors() + during.errors() + after.errors();
      pushes.put("ok", ok);
      pushes.put("errors", errors);
      pushes.put("timed_out", late.count());
      pushes.put("timed_out_delivered", late.delivered());
      report.put("pushes", pushes);
      report.line("pushes: %d ok, %d failed, %d timed out (ok before %d, stall %d, after %d)", ok, errors, late.count(),
          before.ok(), during.ok(), after.ok());
      PushScenario.recordTimedOut(report, late, push.pushTimeout);
      if (errors > 0) {
        Map<String, Long> kinds = new LinkedHashMap<>(before.errorKinds());
        during.errorKinds().forEach((k, n) -> kinds.merge(k, n, Long::sum));
        after.errorKinds().forEach((k, n) -> kinds.merge(k, n, Long::sum));
        report.problem(errors + " pushes failed: " + kinds);
      }

      LatencySummary lb = LatencySummary.of(fastBefore);
      LatencySummary ld = LatencySummary.of(fastDuring);
      LatencySummary la = LatencySummary.of(fastAfter);
      windowsJson.put("before", lb.toJson());
      windowsJson.put("stall", ld.toJson());
      windowsJson.put("after", la.toJson());
      report.put("fast_latency_us", windowsJson);
      report.line("fast clients' latency before the stall: %s", lb.toHuman());
      report.line("fast clients' latency during the stall: %s", ld.toHuman());
      report.line("fast clients' latency after the stall:  %s", la.toHuman());
      LatencySummary ls = LatencySummary.of(slowLatency);
      report.put("slow_latency_us", ls.toJson());
      report.line("slow clients' latency (whole run, what they received): %s", ls.toHuman());

      SlowOutcome outcome = SlowOutcome.of(sums, pushesDelivered);
      Map<String, Object> fast = new LinkedHashMap<>();
      fast.put("clients", outcome.fastClients());
      fast.put("expected", outcome.fastExpected());
      fast.put("received", outcome.fastReceived());
      fast.put("lost", outcome.fastLost());
      report.put("fast", fast);
      report.line("fast clients: expected %d, received %d, lost %d", outcome.fastExpected(), outcome.fastReceived(),
          outcome.fastLost());

      Map<String, Long> slowCodes = codes(sums);
      Map<String, Long> slowCodesAtStallEnd = codes(atStallEnd);
      Map<String, Object> slow = new LinkedHashMap<>();
      slow.put("clients", outcome.slowClients());
      slow.put("stalled", stalled);
      slow.put("closed_by_server", outcome.slowClosed());
      slow.put("closed_by_code", slowCodes);
      slow.put("closed_by_code_at_stall_end", slowCodesAtStallEnd);
      slow.put("closed_received", outcome.slowClosedReceived());
      slow.put("closed_missing_expected", outcome.slowClosedMissing());
      slow.put("open", outcome.slowOpen());
      slow.put("open_expected", outcome.slowOpenExpected());
      slow.put("open_received", outcome.slowOpenReceived());
      slow.put("open_lost", outcome.slowOpenLost());
      report.put("slow", slow);
      report.line("slow clients: %d stalled, %d closed by the server %s (1006 = closed without close frame), %d still open",
          stalled, outcome.slowClosed(), describe(slowCodes), outcome.slowOpen());
      report.line("  closed ones received %d before the close and missed %d after it (expected, not lost)",
          outcome.slowClosedReceived(), outcome.slowClosedMissing());
      if (outcome.slowOpen() > 0) {
        report.line("  open ones: expected %d, received %d, lost %d", outcome.slowOpenExpected(),
            outcome.slowOpenReceived(), outcome.slowOpenLost());
      }
      report.recordDeliveries(outcome.expected(), outcome.received(), sums.getOrDefault("duplicates", 0L),
          sums.getOrDefault("received_since_reset", 0L), seconds);
      report.recordCpu(PushScenario.delta(cpu0, cpu1), tool1 - tool0, seconds, sums.getOrDefault("received_since_reset", 0L));
      if (rssBefore >= 0) {
        Map<String, Long> rss = new LinkedHashMap<>();
        rss.put("before_kb", rssBefore);
        rss.put("stall_end_kb", rssStallEnd);
        rss.put("after_kb", rssAfter);
        report.put("server_rss", rss);
        report.line("server RSS: %d KiB before, %d KiB at the end of the stall, %d KiB after", rssBefore, rssStallEnd,
            rssAfter);
      }
      Scenarios.recordCloses(report, sums);
      report.print(System.out);
      return report.exitCode();
    }
  }

  private static Map<String, Long> codes(Map<String, Long> sums) {
    Map<String, Long> out = new LinkedHashMap<>();
    sums.forEach((key, n) -> {
      if (key.startsWith("slow_closed_code_") && n > 0) {
        out.put(key.substring("slow_closed_code_".length()), n);
      }
    });
    return out;
  }

  static String describe(Map<String, Long> codes) {
    if (codes.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder("(");
    codes.forEach((code, n) -> {
      if (s.length() > 1) {
        s.append(", ");
      }
      s.append(n).append(" with ").append(code);
    });
    return s.append(')').toString();
  }
}
