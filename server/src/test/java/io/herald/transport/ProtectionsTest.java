package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.testing.RawHttp;
import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The protections of a public endpoint, over real sockets: origin allowlist (403), connections
 * and handshake rate per client address (429), X-Forwarded-For only from trusted proxies.
 */
@Timeout(60)
class ProtectionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Sends an upgrade request with these extra header lines; the socket stays open with the answer read. */
  private static RawHttp upgrade(TestServer server, String user, String extraHeaders) throws Exception {
    RawHttp http = RawHttp.connect(server.port());
    http.write("GET /ws?token=" + Tokens.hs256(user) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + extraHeaders + "\r\n");
    return http;
  }

  private static int status(TestServer server, String user, String extraHeaders, List<RawHttp> keep) throws Exception {
    RawHttp http = upgrade(server, user, extraHeaders);
    RawHttp.Response r = http.read();
    if (r.status() == 101) {
      keep.add(http);
    } else {
      assertThat(JSON.readTree(r.body()).get("code").asInt()).as("envelope of %s", r).isEqualTo(r.status());
      http.close();
    }
    return r.status();
  }

  private static void closeAll(List<RawHttp> open) {
    open.forEach(RawHttp::close);
  }

  @Test
  void upgradeFromAnOriginNotAllowedIs403AndOneWithoutOriginIsAllowed() throws Exception {
    List<RawHttp> open = new ArrayList<>();
    try (TestServer server = TestServer.start(Map.of("ws.allowed_origins", "https://app.example.com, https://*.example.org"))) {
      assertThat(status(server, "1", "Origin: https://evil.example\r\n", open)).isEqualTo(403);
      assertThat(status(server, "1", "Origin: http://app.example.com\r\n", open)).as("scheme counts").isEqualTo(403);
      assertThat(status(server, "1", "Origin: https://APP.example.com\r\n", open)).isEqualTo(101);
      assertThat(status(server, "1", "Origin: https://shop.example.org\r\n", open)).isEqualTo(101);
      assertThat(status(server, "1", "", open)).as("no Origin: not a browser").isEqualTo(101);
      assertThat(server.get("/metrics").response().body())
          .contains("herald_upgrades_refused_total{reason=\"origin\"} 2.0");
    } finally {
      closeAll(open);
    }
  }

  @Test
  void connectionOverTheLimitPerAddressIs429UntilOneCloses() throws Exception {
    List<RawHttp> open = new ArrayList<>();
    try (TestServer server = TestServer.start(Map.of("limits.max_connections_per_address", 2))) {
      assertThat(status(server, "1", "", open)).isEqualTo(101);
      assertThat(status(server, "2", "", open)).isEqualTo(101);
      assertThat(status(server, "3", "", open)).isEqualTo(429);
      open.remove(0).close();
      await().atMost(Duration.ofSeconds(20)).until(() -> status(server, "3", "", open) == 101);
      assertThat(server.get("/metrics").response().body())
          .contains("herald_upgrades_refused_total{reason=\"connections_per_address\"}");
    } finally {
      closeAll(open);
    }
  }

  @Test
  void handshakesOverTheRatePerAddressAre429() throws Exception {
    List<RawHttp> open = new ArrayList<>();
    try (TestServer server = TestServer.start(Map.of("limits.handshakes_per_second_per_address", 1,
        "limits.handshake_burst_per_address", 3))) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        statuses.add(status(server, "1", "", open));
      }
      assertThat(statuses.subList(0, 3)).containsOnly(101);
      assertThat(statuses).contains(429);
    } finally {
      closeAll(open);
    }
  }

  @Test
  void forwardedForNamesTheClientOnlyWhenTheProxyIsTrusted() throws Exception {
    List<RawHttp> open = new ArrayList<>();
    try (TestServer trusting = TestServer.start(Map.of("limits.max_connections_per_address", 1,
        "trusted_proxies", "127.0.0.1/32"))) {
      assertThat(status(trusting, "1", "X-Forwarded-For: 203.0.113.7\r\n", open)).isEqualTo(101);
      assertThat(status(trusting, "2", "X-Forwarded-For: 198.51.100.9, 127.0.0.1\r\n", open)).isEqualTo(101);
      assertThat(status(trusting, "3", "X-Forwarded-For: 203.0.113.7\r\n", open)).isEqualTo(429);
    } finally {
      closeAll(open);
      open.clear();
    }
    try (TestServer untrusting = TestServer.start(Map.of("limits.max_connections_per_address", 1))) {
      assertThat(status(untrusting, "1", "X-Forwarded-For: 203.0.113.7\r\n", open)).isEqualTo(101);
      assertThat(status(untrusting, "2", "X-Forwarded-For: 198.51.100.9\r\n", open))
          .as("the header of an untrusted peer is ignored").isEqualTo(429);
    } finally {
      closeAll(open);
    }
  }
}
