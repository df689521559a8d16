package io.herald.loadtool.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RunReportTest {
  private static List<String> printed(RunReport report) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\n"));
  }

  @Test
  void exactlyOneLineIsJsonAndItCarriesTheFigures() throws Exception {
    RunReport report = new RunReport("fanout", "{weird label", "127.0.0.1:5200");
    report.recordDeliveries(1000, 1000, 2, 800, 2.0);
    report.recordCpu(OptionalDouble.of(0.5), 1.25, 2.0, 800);
    List<String> lines = printed(report);
    List<String> json = lines.stream().filter(l -> l.startsWith("{")).toList();
    assertThat(json).hasSize(1);
    JsonNode node = new ObjectMapper().readTree(json.get(0));
    assertThat(node.path("scenario").asText()).isEqualTo("fanout");
    assertThat(node.path("deliveries").path("lost").asLong()).isZero();
    assertThat(node.path("deliveries").path("duplicates").asLong()).isEqualTo(2);
    assertThat(node.path("deliveries").path("per_second").asDouble()).isEqualTo(400.0);
    assertThat(node.path("cpu").path("deliveries_per_server_cpu_s").asDouble()).isEqualTo(1600.0);
    assertThat(node.path("exit_code").asInt()).isZero();
    assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_OK);
  }

  @Test
  void lostDeliveriesMakeTheRunFail() {
    RunReport report = new RunReport("broadcast", "", "127.0.0.1:5200");
    report.recordDeliveries(1000, 990, 0, 990, 1.0);
    assertThat(report.lost()).isEqualTo(10);
    assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_LOST);
    assertThat(printed(report)).anyMatch(l -> l.equals("PROBLEM: 10 deliveries lost"));
  }

  @Test
  void failedConnectionsWithoutLossExitWithFour() {
    RunReport report = new RunReport("connect", "", "127.0.0.1:5200");
    report.recordConnect(9, 1, 1.0, LatencySummary.of(LatencySummary.newHistogram()), Map.of("closed 4001", 1L), "nio");
    assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_FAILURES);
  }

  @Test
  void rssPerConnectionIsComputedInBytes() throws Exception {
    RunReport report = new RunReport("connect", "", "127.0.0.1:5200");
    report.recordRss(10_000, 12_000, 1_000);
    JsonNode node = new ObjectMapper().readTree(report.jsonLine());
    assertThat(node.path("server_rss").path("per_connection_bytes").asDouble()).isEqualTo(2048.0);
  }
}
