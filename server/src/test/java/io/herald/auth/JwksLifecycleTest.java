package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.hub.UserId;
import io.herald.testing.JwksEndpoint;
import io.herald.testing.ManualClock;
import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JWKS keys of a replaced authenticator (a reload builds new ones) and of a stopped server let
 * go of their refresh thread. nimbus refreshes a cached JWKS ahead of its expiry on a thread of its
 * source; a source nobody closed kept that thread, one per reload, and nimbus's own is not a daemon,
 * so it also kept a JVM that embeds Herald from exiting. Time is a {@link ManualClock}: the refresh
 * happens when a token is checked within 30 s of the cached set's expiry, 5 minutes after the fetch.
 */
@Timeout(60)
class JwksLifecycleTest {
  /** Inside the window where a lookup refreshes the cached set ahead of its expiry (5 min after the fetch). */
  static final Duration REFRESH_AHEAD = Duration.ofMinutes(4).plusSeconds(45);

  JwksEndpoint jwks;
  TestServer server;
  ManualClock clock;
  Set<Thread> before;

  @BeforeEach
  void start() {
    jwks = new JwksEndpoint();
    clock = new ManualClock(Instant.now());
    before = Thread.getAllStackTraces().keySet();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    jwks.close();
  }

  Map<String, Object> settings() {
    return Map.of("jwt.jwks_url", jwks.url());
  }

  @Test
  void reloadStopsTheRefreshThreadOfTheReplacedJwksKeysAndTokensStillVerify() {
    server = TestServer.start(settings(), clock);
    for (int reload = 1; reload <= 3; reload++) {
      refreshAheadOfExpiry();
      assertThat(refreshThreads()).as("before reload %d", reload).hasSize(1);
      server.server().reload(TestServer.config(settings()));
      await().atMost(5, TimeUnit.SECONDS)
          .untilAsserted(() -> assertThat(refreshThreads()).as("after a reload").isEmpty());
    }
    try (WsRecorder ws = connect("31")) {
      assertThat(ws.connected().path("user_id").asLong()).isEqualTo(31);
    }
  }

  @Test
  void stoppedServerLeavesNoJwksRefreshThread() {
    server = TestServer.start(settings(), clock);
    refreshAheadOfExpiry();
    assertThat(refreshThreads()).hasSize(1);
    // The server stays referenced, as an application's field would keep it: a source nobody
    // closed lets go of nimbus's thread only if the garbage collector happens to finalize it.
    server.close();
    await().atMost(5, TimeUnit.SECONDS)
        .untilAsserted(() -> assertThat(refreshThreads()).as("after close").isEmpty());
  }

  /** A check that began on keys a reload has since closed still completes (and fetches if it must). */
  @Test
  void closedJwksKeysStillAnswerTheChecksTheyAreAsked() throws Exception {
    TokenAuthenticator tokens = new TokenAuthenticator(new JwtSettings(null, null, URI.create(jwks.url()),
        Duration.ofHours(1), null, null, Duration.ZERO), clock, Runnable::run);
    String token = JwksEndpoint.token("32");
    assertThat(tokens.authenticate(null, token).toCompletableFuture().get().userId()).isEqualTo(UserId.of(32));
    tokens.close();
    clock.advance(REFRESH_AHEAD);
    assertThat(tokens.authenticate(null, token).toCompletableFuture().get().userId())
        .as("in the window where it would refresh ahead of expiry").isEqualTo(UserId.of(32));
    clock.advance(Duration.ofMinutes(1));
    assertThat(tokens.authenticate(null, token).toCompletableFuture().get().userId())
        .as("once the cached set has expired").isEqualTo(UserId.of(32));
    assertThat(jwks.fetches()).isEqualTo(2);
    assertThat(refreshThreads()).isEmpty();
  }

  /** One fetch by a token check, then a check 4m45s later that has the set refreshed ahead of expiry. */
  private void refreshAheadOfExpiry() {
    int fetched = jwks.fetches();
    try (WsRecorder ws = connect("30")) {
      ws.connected();
    }
    assertThat(jwks.fetches()).isEqualTo(fetched + 1);
    clock.advance(REFRESH_AHEAD);
    try (WsRecorder ws = connect("30")) {
      ws.connected();
    }
    await().atMost(10, TimeUnit.SECONDS).until(() -> jwks.fetches() == fetched + 2);
  }

  private WsRecorder connect(String user) {
    return server.connectRaw("user_id=" + user + "&token=" + JwksEndpoint.token(user));
  }

  /** Live threads started during the test that refresh a JWKS: Herald's, or nimbus's own (JDK default names). */
  private List<String> refreshThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t))
        .filter(t -> t.getName().equals(JwksKeys.REFRESH_THREAD) || t.getName().matches("pool-\\d+-thread-\\d+"))
        .map(t -> t.getName() + (t.isDaemon() ? "" : " (not a daemon: it keeps the JVM from exiting)"))
        .toList();
  }
}
