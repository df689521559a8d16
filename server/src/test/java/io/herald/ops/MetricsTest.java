package io.herald.ops;

import io.herald.testing.Tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.HeraldServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** {@code /metrics} moves with traffic; {@code /health} and {@code /ready}; the access log's shape. */
@Timeout(60)
class MetricsTest {
  HeraldServer server;
  AdminCalls http;

  @BeforeEach
  void start() {
    server = HeraldServer.start(OpsServers.config().build());
    http = new AdminCalls(URI.create("http://127.0.0.1:" + server.port()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The value of one series in the Prometheus text, 0 when absent. */
  static double value(String scrape, String name, String labels) {
    Pattern p = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
    Matcher m = p.matcher(scrape);
    while (m.find()) {
      if (labels.isEmpty() || m.group(1).contains(labels)) {
        return Double.parseDouble(m.group(2));
      }
    }
    Matcher plain = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
    return plain.find() ? Double.parseDouble(plain.group(1)) : 0;
  }

  private String scrape() throws Exception {
    AdminCalls.Reply r = http.get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    return r.text();
  }

  @Test
  void metricsMoveWithTraffic() throws Exception {
    String before = scrape();
    try (WsProbe client = WsProbe.connect(WsProbe.uri("ws", server.port(), "9", Tokens.hs256(OpsServers.SECRET, "9")))) {
      client.nextOfType("connected");
      client.assertAlive();
      assertThat(http.post(OpsServers.API_KEY, "send-to-user", Map.of("user_id", 9, "type", "invoice", "data", 1))
          .status()).isEqualTo(200);
      client.nextOfType("invoice");
      assertThat(http.post("wrong", "check-online", Map.of("user_id", 9)).status()).isEqualTo(401);
      String during = scrape();
      assertThat(value(during, "herald_connections", "")).isEqualTo(1);
      assertThat(value(during, "herald_connections_opened_total", ""))
          .isEqualTo(value(before, "herald_connections_opened_total", "") + 1);
      assertThat(value(during, "herald_frames_in_total", "type=\"ping\"")).isEqualTo(1);
      assertThat(value(during, "herald_frames_out_total", "type=\"connected\"")).isEqualTo(1);
      assertThat(value(during, "herald_frames_out_total", "type=\"pong\"")).isEqualTo(1);
      assertThat(value(during, "herald_frames_out_total", "type=\"custom\"")).isEqualTo(1);
      assertThat(value(during, "herald_admin_requests_seconds_count", "endpoint=\"send-to-user\",status=\"200\""))
          .isEqualTo(1);
      assertThat(value(during, "herald_admin_requests_seconds_count", "endpoint=\"check-online\",status=\"401\""))
          .isEqualTo(1);
      assertThat(during).contains("jvm_memory_used_bytes");
    }
    try (WsProbe bad = WsProbe.connect(WsProbe.uri("ws", server.port(), "9", "not-a-token"))) {
      assertThat(bad.nextClose()).isEqualTo(4001);
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      String after = scrape();
      assertThat(value(after, "herald_connections", "")).isZero();
      assertThat(value(after, "herald_connections_closed_total", "code=\"1000\"")).isEqualTo(1);
      assertThat(value(after, "herald_auth_failures_total", "")).isEqualTo(1);
    });
  }

  @Test
  void healthAndReadiness() throws Exception {
    AdminCalls.Reply health = http.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().path("data").path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(health.body().path("data").path("draining").asBoolean()).isFalse();
    assertThat(health.body().path("data").path("tls").asBoolean()).isFalse();
    AdminCalls.Reply ready = http.get("/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().path("data").path("ready").asBoolean()).isTrue();
  }

  @Test
  void accessLogIsKeyValueAndNeverHoldsTheKey() throws Exception {
    Logger access = (Logger) LoggerFactory.getLogger("io.herald.access");
    Level level = access.getLevel();
    access.setLevel(Level.INFO);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    access.addAppender(lines);
    try {
      http.post(OpsServers.API_KEY, "check-online", Map.of("user_id", 1));
      http.post(OpsServers.API_KEY, "no-such-thing", Map.of());
      await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() >= 2);
      assertThat(lines.list.get(0).getFormattedMessage()).matches(
          "admin endpoint=check-online method=POST status=200 remote=127\\.0\\.0\\.1:\\d+ latency_ms=\\d+\\.\\d");
      assertThat(lines.list.get(1).getFormattedMessage()).startsWith("admin endpoint=no-such-thing method=POST status=404 ");
      assertThat(lines.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(OpsServers.API_KEY));
    } finally {
      access.detachAppender(lines);
      access.setLevel(level);
    }
  }
}
