package io.herald.loadtool.coordinator;

import io.herald.loadtool.report.RunReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** Opens every connection and measures what that cost the server. */
final class ConnectScenario {
  private ConnectScenario() {
  }

  static int run(CommonOptions common, Duration hold) throws Exception {
    RunReport report = new RunReport("connect", common.label, common.host + ":" + common.port);
    try (Run run = Run.start(common, report, 0)) {
      long rss0 = run.serverRssKb();
      OptionalDouble cpu0 = run.serverCpuSeconds();
      double tool0 = run.toolCpuSeconds();
      long t0 = System.nanoTime();
      System.err.printf("connect: opening %d connections over %d worker(s)%n", common.clients, (Integer) report.get("workers"));
      run.connect();
      OptionalDouble cpu1 = run.serverCpuSeconds();
      double tool1 = run.toolCpuSeconds();
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (!hold.isZero()) {
        Thread.sleep(hold.toMillis()); // let the server settle before reading its RSS
      }
      long rss1 = run.serverRssKb();
      report.recordRss(rss0, rss1, run.ready());
      report.recordCpu(PushScenario.delta(cpu0, cpu1), tool1 - tool0, seconds, 0);
      OptionalDouble serverCpu = PushScenario.delta(cpu0, cpu1);
      if (serverCpu.isPresent() && run.ready() > 0) {
        double microsEach = serverCpu.getAsDouble() * 1e6 / run.ready();
        report.put("server_cpu_us_per_connection", Math.round(microsEach));
        report.line("server CPU per connection: %.0f µs", microsEach);
      }
      Map<String, Long> sums = new LinkedHashMap<>(run.stats());
      Scenarios.recordCloses(report, sums);
      report.print(System.out);
      return report.exitCode();
    }
  }
}
