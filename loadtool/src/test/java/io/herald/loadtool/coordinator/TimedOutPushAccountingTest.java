package io.herald.loadtool.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.loadtool.report.RunReport;
import io.herald.loadtool.testing.FakePushServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * A push whose admin answer comes after the tool's timeout may still have been delivered: the
 * whole fanout run (a forked worker, the pusher, the drain, the report) must count it as timed
 * out and, when the clients got it, as delivered; not as a failed push with surplus deliveries.
 */
@Timeout(60)
class TimedOutPushAccountingTest {
  private static final String SECRET = "timed-out-push-test-secret-0123456789abcdef";
  private static final int CLIENTS = 4;
  private FakePushServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = new FakePushServer(SECRET);
    server.answerAfter(Duration.ofSeconds(20)); // the tool gives up after 0.2 s
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  @Test
  void aTimedOutPushTheClientsReceivedCountsAsDeliveredNotFailed() throws Exception {
    RunReport report = fanout();
    JsonNode json = json(report);
    JsonNode pushes = json.path("pushes");
    long issued = pushes.path("issued").asLong();

    assertThat(issued).isPositive();
    assertThat(pushes.path("ok").asLong()).isZero();
    assertThat(pushes.path("errors").asLong()).isZero();
    assertThat(pushes.path("timed_out").asLong()).isEqualTo(issued);
    assertThat(pushes.path("timed_out_delivered").asLong()).isEqualTo(issued);
    JsonNode deliveries = json.path("deliveries");
    assertThat(deliveries.path("expected").asLong()).isEqualTo(issued * CLIENTS);
    assertThat(deliveries.path("received").asLong()).isEqualTo(issued * CLIENTS);
    assertThat(deliveries.path("lost").asLong()).isZero();
    assertThat(json.path("problems")).as("problems").isEmpty();
    assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_OK);
    assertThat(printed(report)).contains(
        "  " + issued + " pushes got no answer within PT0.2S: " + issued + " reached clients"
            + " (counted as delivered: the answer was late), 0 reached no client (failed)");
  }

  @Test
  void aTimedOutPushNobodyReceivedIsAFailedPush() throws Exception {
    server.deliverPushes(false);
    RunReport report = fanout();
    JsonNode json = json(report);
    JsonNode pushes = json.path("pushes");
    long issued = pushes.path("issued").asLong();

    assertThat(issued).isPositive();
    assertThat(pushes.path("timed_out").asLong()).isEqualTo(issued);
    assertThat(pushes.path("timed_out_delivered").asLong()).isZero();
    assertThat(json.path("deliveries").path("expected").asLong()).isZero();
    assertThat(json.path("deliveries").path("lost").asLong()).isZero();
    assertThat(json.path("problems").toString()).contains(issued + " pushes timed out and reached no client");
    assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_FAILURES);
  }

  private RunReport fanout() throws Exception {
    Scenarios.Fanout fanout = CommandLine.populateCommand(new Scenarios.Fanout(),
        "--port", String.valueOf(server.port()), "--jwt-secret", SECRET, "--api-key", "key",
        "--clients", String.valueOf(CLIENTS), "--workers", "1", "--source-ips", "1", "--worker-heap", "64m",
        "--heartbeat-interval", "PT0S", "--channels", "1", "--rate", "0", "--concurrency", "1",
        "--duration", "PT0.5S", "--warmup", "PT0S", "--drain-timeout", "PT10S", "--push-timeout", "PT0.2S");
    return PushScenario.measure("fanout", fanout.common, fanout.push, Pusher.Target.channels(fanout.channels, "bench-"));
  }

  /** The JSON line, as results.jsonl keeps it. */
  private static JsonNode json(RunReport report) throws Exception {
    return new ObjectMapper().readTree(printed(report).stream().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
  }

  private static List<String> printed(RunReport report) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\n"));
  }
}
