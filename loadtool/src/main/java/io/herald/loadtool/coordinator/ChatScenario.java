package io.herald.loadtool.coordinator;

import io.herald.loadtool.report.LatencySummary;
import io.herald.loadtool.report.RunReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/** Client-to-client chat between pairs, each message timed from sender to recipient. */
final class ChatScenario {
  private ChatScenario() {
  }

  static int run(CommonOptions common, PushOptions push) throws Exception {
    push.validate();
    if (push.rate <= 0) {
      throw new IllegalArgumentException("chat needs --rate > 0 messages/s: " + push.rate);
    }
    RunReport report = new RunReport("chat", common.label, common.host + ":" + common.port);
    report.put("rate", push.rate);
    report.put("payload_bytes", push.payloadBytes);
    try (Run run = Run.start(common, report, 0)) {
      System.err.printf("chat: opening %d connections over %d worker(s)%n", common.clients, (Integer) report.get("workers"));
      run.connect();
      if (run.ready() < 2) {
        report.problem("fewer than two connections became ready");
        report.print(System.out);
        return report.exitCode();
      }
      AtomicLong sent = new AtomicLong();
      if (!push.warmup.isZero()) {
        System.err.printf("chat: warming up for %s%n", push.warmup);
        sent.addAndGet(run.chat(push.rate, push.warmup, push.payloadBytes));
        run.drain(sent::get, push.drainTimeout);
        run.reset();
      }
      System.err.printf("chat: sending for %s%n", push.duration);
      OptionalDouble cpu0 = run.serverCpuSeconds();
      double tool0 = run.toolCpuSeconds();
      long t0 = System.nanoTime();
      long timed = run.chat(push.rate, push.duration, push.payloadBytes);
      sent.addAndGet(timed);
      run.drain(sent::get, push.drainTimeout);
      double seconds = (System.nanoTime() - t0) / 1e9;
      OptionalDouble cpu1 = run.serverCpuSeconds();
      double tool1 = run.toolCpuSeconds();
      long rss = run.serverRssKb();

      Map<String, Long> sums = new LinkedHashMap<>();
      Histogram latency = run.collectLatency(sums);
      report.put("sent", sent.get());
      report.line("chat messages sent: %d (%d in the timed window, %.1f/s)", sent.get(), timed, timed * 1000.0 / push.duration.toMillis());
      long measured = sums.getOrDefault("received_since_reset", 0L);
      report.recordDeliveries(sent.get(), sums.getOrDefault("received", 0L), sums.getOrDefault("duplicates", 0L),
          measured, seconds);
      report.recordLatency(LatencySummary.of(latency));
      report.recordCpu(PushScenario.delta(cpu0, cpu1), tool1 - tool0, seconds, measured);
      if (rss >= 0) {
        report.put("server_rss_kb", rss);
        report.line("server RSS at end: %d KiB", rss);
      }
      Scenarios.recordCloses(report, sums);
      report.print(System.out);
      return report.exitCode();
    }
  }
}
