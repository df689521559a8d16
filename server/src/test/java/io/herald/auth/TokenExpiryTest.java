package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.AppEndpoint;
import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Credentials that expire while connected: warned, refreshable without reconnecting, else 4001. */
@Timeout(120)
class TokenExpiryTest {
  /**
   * How long the 4001 close may take after the last frame: up to the warning's 5 s, plus the
   * heartbeat sweep that checks the end (at most 1 s late), plus room for a busy machine.
   */
  static final Duration CLOSE_WITHIN = Duration.ofSeconds(10);

  static TestServer server;

  @BeforeAll
  static void start() {
    // Warned 5 s before the end: room for the refresh round trip on a busy machine.
    server = TestServer.start(Map.of("auth.expiry_warning", "5s"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String token(String sub, Duration ttl) {
    return Tokens.hs256(Tokens.SECRET, b -> b.subject(sub).expirationTime(Date.from(Instant.now().plus(ttl))));
  }

  @Test
  void warnedThenClosedWith4001WithoutARefresh() {
    try (WsRecorder ws = server.connectRaw("user_id=601&token=" + token("601", Duration.ofSeconds(4)))) {
      ws.connected();
      JsonNode warning = ws.next("token_expiring").path("data");
      long expiresAt = warning.path("expires_at").asLong();
      assertThat(expiresAt).isBetween(Instant.now().getEpochSecond(), Instant.now().getEpochSecond() + 5);
      assertThat(warning.path("expires_in").asLong()).isBetween(0L, 5L);
      assertThat(ws.expectCloseOnly(4001, CLOSE_WITHIN).reason()).isEqualTo("token expired");
      assertThat(Instant.now().getEpochSecond()).as("closed at the end, not before").isGreaterThanOrEqualTo(expiresAt);
    }
  }

  @Test
  void aRefreshKeepsTheConnectionOpen() {
    try (WsRecorder ws = server.connectRaw("user_id=602&token=" + token("602", Duration.ofSeconds(8)))) {
      ws.connected();
      long firstEnd = ws.next("token_expiring").path("data").path("expires_at").asLong();
      assertThat(Instant.now().getEpochSecond()).as("warned 5 s before the end, not earlier")
          .isGreaterThanOrEqualTo(firstEnd - 5);
      ws.send("refresh", Map.of("token", token("602", Duration.ofHours(1))));
      JsonNode refreshed = ws.next("refreshed").path("data");
      assertThat(refreshed.path("expires_at").asLong()).isGreaterThan(Instant.now().getEpochSecond() + 3000);
      // Past the old end and the sweep that would have closed at it (at most 1 s later).
      await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().getEpochSecond() > firstEnd + 2);
      ws.assertExhausted();
    }
  }

  @Test
  void aRefreshWithAnotherUsersOrABadTokenIsRefusedAndTheEndStays() {
    try (WsRecorder ws = server.connectRaw("user_id=603&token=" + token("603", Duration.ofSeconds(8)))) {
      ws.connected();
      long end = ws.next("token_expiring").path("data").path("expires_at").asLong();
      ws.send("refresh", Map.of("token", token("604", Duration.ofHours(1))));
      JsonNode other = ws.next("error").path("data");
      assertThat(other.path("code").asText()).isEqualTo("invalid_token");
      ws.send("refresh", Map.of("token", "garbage"));
      assertThat(ws.next("error").path("data").path("code").asText()).isEqualTo("invalid_token");
      ws.expectCloseOnly(4001, CLOSE_WITHIN);
      assertThat(Instant.now().getEpochSecond()).as("closed at the end, not before").isGreaterThanOrEqualTo(end);
    }
  }

  @Test
  void tokensWithoutExpiryAreNeverWarned() {
    String forever = Tokens.hs256(Tokens.SECRET, b -> b.subject("605"));
    try (WsRecorder ws = server.connectRaw("user_id=605&token=" + forever)) {
      ws.connected();
      ws.send("refresh", Map.of("token", forever));
      assertThat(ws.next("refreshed").path("data").get("expires_at").isNull()).isTrue();
      ws.assertExhausted();
    }
  }

  @Test
  void theProxysExpiryIsWatchedAndRefreshedThroughTheProxy() throws Exception {
    try (AppEndpoint app = new AppEndpoint();
         TestServer proxied = TestServer.start(Map.of("auth.expiry_warning", "5s",
             "auth.proxy.connect_url", app.url("/connect")));
         WsRecorder ws = proxied.connectRaw("token=exp-8-alice")) {
      assertThat(ws.connected().path("user_id").asText()).isEqualTo("alice");
      ws.next("token_expiring");
      ws.send("refresh", Map.of("token", "exp-3600-alice"));
      assertThat(ws.next("refreshed").path("data").path("expires_at").asLong())
          .isGreaterThan(Instant.now().getEpochSecond() + 3000);
      ws.send("refresh", Map.of("token", "exp-3600-bob"));
      assertThat(ws.next("error").path("data").path("code").asText()).isEqualTo("invalid_token");
    }
  }
}
