package io.herald.pusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.herald.testing.PusherClient;
import io.herald.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Webhooks against a receiver this test runs: signed, delayed vacated/removed, retried. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PusherWebhooksTest {
  static final String KEY = "app-key";
  static final String SECRET = "app-secret";

  HttpServer receiver;
  final List<JsonNode> events = new CopyOnWriteArrayList<>();
  final AtomicInteger failFirst = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  TestServer server;

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      boolean signed = Signatures.hmac(SECRET, body).equals(exchange.getRequestHeaders().getFirst("X-Pusher-Signature"))
          && KEY.equals(exchange.getRequestHeaders().getFirst("X-Pusher-Key"))
          && exchange.getRequestHeaders().getFirst("Content-Type").startsWith("application/json");
      int status = failFirst.getAndDecrement() > 0 ? 500 : signed ? 200 : 401;
      if (status == 200) {
        for (JsonNode e : PusherClient.JSON.readTree(new String(body, StandardCharsets.UTF_8)).get("events")) {
          events.add(e);
        }
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    server = TestServer.start(Map.of(
        "pusher.apps", "[{\"id\":\"1\",\"key\":\"" + KEY + "\",\"secret\":\"" + SECRET + "\",\"webhooks\":[{\"url\":\"" + url + "\"}]}]",
        "pusher.webhook_delay", "1s"));
  }

  @AfterEach
  void stop() {
    server.close();
    receiver.stop(0);
  }

  private List<String> names() {
    return events.stream().map(e -> e.get("name").asText() + ":" + e.get("channel").asText()
        + (e.has("user_id") ? ":" + e.get("user_id").asText() : "")).toList();
  }

  @Test
  void memberWhoComesBackWithinTheDelayIsNeitherRemovedNorVacated() {
    String data = "{\"user_id\":\"5\"}";
    PusherClient a = PusherClient.connect(server, KEY);
    a.join("presence-w", KEY, SECRET, data);
    await().atMost(Duration.ofSeconds(10)).until(() -> names().containsAll(
        List.of("channel_occupied:presence-w", "member_added:presence-w:5")));
    a.close();
    try (PusherClient back = PusherClient.connect(server, KEY)) {
      back.join("presence-w", KEY, SECRET, data);
      // Proof that the delayed checks ran: a channel that stays vacant does get its webhook.
      PusherClient other = PusherClient.connect(server, KEY);
      other.join("gone", KEY, SECRET, null);
      other.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> names().contains("channel_vacated:gone"));
      assertThat(names()).doesNotContain("member_removed:presence-w:5", "channel_vacated:presence-w");
      assertThat(names().stream().filter(n -> n.equals("member_added:presence-w:5"))).hasSize(1);
    }
  }

  @Test
  void failedDeliveryIsRetried() {
    failFirst.set(2);
    try (PusherClient a = PusherClient.connect(server, KEY)) {
      a.join("retry-me", KEY, SECRET, null);
      await().atMost(Duration.ofSeconds(15)).until(() -> names().contains("channel_occupied:retry-me"));
      assertThat(requests.get()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void clientEventsAndCacheMissesAreReported() {
    try (PusherClient a = PusherClient.connect(server, KEY); PusherClient b = PusherClient.connect(server, KEY)) {
      a.join("private-c", KEY, SECRET, null);
      b.join("private-c", KEY, SECRET, null);
      a.send("client-ping", "private-c", Map.of("n", 1));
      b.next("client-ping");
      a.join("cache-c", KEY, SECRET, null);
      a.next("pusher:cache_miss");
      await().atMost(Duration.ofSeconds(10)).until(() -> names().containsAll(List.of("client_event:private-c", "cache_miss:cache-c")));
      JsonNode ce = events.stream().filter(e -> e.get("name").asText().equals("client_event")).findFirst().orElseThrow();
      assertThat(ce.get("event").asText()).isEqualTo("client-ping");
      assertThat(ce.get("socket_id").asText()).isEqualTo(a.socketId);
    }
  }
}
