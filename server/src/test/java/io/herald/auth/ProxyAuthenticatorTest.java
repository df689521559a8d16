package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.hub.UserId;
import io.herald.testing.AppEndpoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The auth proxy against a real HTTP endpoint on loopback: every kind of answer, and the cache. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyAuthenticatorTest {
  AppEndpoint app;
  ExecutorService executor = Executors.newFixedThreadPool(4);

  @BeforeEach
  void start() throws Exception {
    app = new AppEndpoint();
  }

  @AfterEach
  void stop() {
    app.close();
    executor.shutdownNow();
  }

  ProxySettings settings(String connectUrl, Duration timeout, Duration ttl) {
    return new ProxySettings(URI.create(connectUrl), URI.create(app.url("/subscribe")), timeout, ttl, 1000, 64 * 1024,
        "proxy-key");
  }

  ProxyAuthenticator proxy() {
    return new ProxyAuthenticator(settings(app.url("/connect"), Duration.ofSeconds(5), Duration.ofSeconds(30)),
        Clock.systemUTC(), executor);
  }

  static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  static Throwable failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void validTokenNamesTheUserAndChannelsAndSendsTheRequestShape() {
    Principal p = join(proxy().authenticate("42", "user-42", "10.0.0.1:5555"));
    assertThat(p.userId()).isEqualTo(UserId.of(42));
    assertThat(p.mayJoinPrivate("private-team-7")).isTrue();
    assertThat(p.mayJoinPrivate("private-other")).isFalse();
    assertThat(app.bodies().get(0).toString())
        .isEqualTo("{\"token\":\"user-42\",\"user_id\":42,\"remote_addr\":\"10.0.0.1:5555\"}");
    assertThat(app.authorizations()).containsExactly("Bearer proxy-key");
  }

  @Test
  void refusalsAreAuthExceptions() {
    ProxyAuthenticator proxy = proxy();
    assertThat(failure(proxy.authenticate(null, "bad", null))).isInstanceOf(AuthException.class)
        .hasMessage("the application refused the token");
    assertThat(failure(proxy.authenticate(null, "banned", null))).isInstanceOf(AuthException.class);
    assertThat(failure(proxy.authenticate("7", "user-42", null))).isInstanceOf(AuthException.class)
        .hasMessageContaining("user_id does not match");
    assertThat(failure(proxy.authenticate(null, null, null))).isInstanceOf(AuthException.class);
    assertThat(app.totalCalls()).isEqualTo(3);
  }

  @Test
  void failuresAreUnavailableNeverRefusalsAndNeverCached() {
    ProxyAuthenticator proxy = proxy();
    assertThat(failure(proxy.authenticate(null, "error", null))).isInstanceOf(AuthUnavailableException.class)
        .hasMessageEndingWith("answered HTTP 500");
    assertThat(failure(proxy.authenticate(null, "garbage", null))).isInstanceOf(AuthUnavailableException.class)
        .hasMessageContaining("unusable body: the body is not a JSON object");
    assertThat(failure(proxy.authenticate(null, "shape", null))).isInstanceOf(AuthUnavailableException.class)
        .hasMessageContaining("user_id must be");
    assertThat(failure(proxy.authenticate(null, "huge", null))).isInstanceOf(AuthUnavailableException.class)
        .hasMessageContaining("larger than 65536 bytes");
    assertThat(failure(proxy.authenticate(null, "redirect", null))).isInstanceOf(AuthUnavailableException.class)
        .hasMessageContaining("HTTP 302 (redirects are not followed)");
    assertThat(failure(proxy.authenticate(null, "error", null))).isInstanceOf(AuthUnavailableException.class);
    assertThat(app.calls("error")).isEqualTo(2);
    assertThat(app.calls("redirect")).isEqualTo(1);
  }

  @Test
  void slowApplicationTimesOutAsUnavailable() {
    ProxyAuthenticator proxy = new ProxyAuthenticator(settings(app.url("/connect"), Duration.ofMillis(300),
        Duration.ofSeconds(30)), Clock.systemUTC(), executor);
    assertThat(failure(proxy.authenticate(null, "slow", null))).isInstanceOf(AuthUnavailableException.class)
        .hasMessageContaining("no answer within 300 ms");
  }

  @Test
  void applicationDownIsUnavailable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ProxyAuthenticator proxy = new ProxyAuthenticator(settings("http://127.0.0.1:" + port + "/connect",
        Duration.ofSeconds(2), Duration.ofSeconds(30)), Clock.systemUTC(), executor);
    assertThat(failure(proxy.authenticate(null, "user-1", null))).isInstanceOf(AuthUnavailableException.class)
        .hasMessageContaining("cannot reach it");
  }

  @Test
  void answersAreCachedAndConcurrentLookupsShareOneCall() {
    ProxyAuthenticator proxy = proxy();
    List<CompletableFuture<Principal>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(proxy.authenticate(null, "user-" + (i % 10), null).toCompletableFuture());
      all.add(proxy.authenticate(null, "bad", null).toCompletableFuture().exceptionally(e -> null));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    for (int i = 0; i < 10; i++) {
      assertThat(app.calls("user-" + i)).isEqualTo(1);
    }
    assertThat(app.calls("bad")).isEqualTo(1);
  }

  @Test
  void zeroTtlAsksEveryTime() {
    ProxyAuthenticator proxy = new ProxyAuthenticator(settings(app.url("/connect"), Duration.ofSeconds(5),
        Duration.ZERO), Clock.systemUTC(), executor);
    join(proxy.authenticate(null, "user-1", null));
    join(proxy.authenticate(null, "user-1", null));
    assertThat(app.calls("user-1")).isEqualTo(2);
  }

  @Test
  void expiryOfTheAnswerIsKeptAndBoundsTheCache() {
    ProxyAuthenticator proxy = proxy();
    Principal p = join(proxy.authenticate(null, "exp-120-alice", null));
    assertThat(p.expiresAt()).isBetween(Instant.now().plusSeconds(100), Instant.now().plusSeconds(130));
    assertThat(p.userId()).isEqualTo(UserId.of("alice"));
    // An answer that has already expired is a refusal.
    assertThat(failure(proxy.authenticate(null, "expired", null))).isInstanceOf(AuthException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void subscribeProxyAllowsRefusesAndFailsOpenNever() {
    ChannelAuthorizers authorizers = new ChannelAuthorizers(null,
        settings(app.url("/connect"), Duration.ofSeconds(5), Duration.ofSeconds(30)), Clock.systemUTC(), executor);
    join(authorizers.authorize(UserId.of(5), "private-allowed-1", null));
    join(authorizers.authorize(UserId.of(5), "private-allowed-1", null));
    assertThat(app.calls("private-allowed-1")).isEqualTo(1);
    assertThat(app.bodies().get(0).toString()).isEqualTo("{\"user_id\":5,\"channel\":\"private-allowed-1\"}");
    assertThat(failure(authorizers.authorize(UserId.of(5), "private-other", null)))
        .isInstanceOf(AuthException.class).hasMessage("the application does not allow joining private-other: not your team");
    assertThat(failure(authorizers.authorize(UserId.of(5), "private-broken", null)))
        .isInstanceOf(AuthUnavailableException.class).hasMessageEndingWith("answered HTTP 500");
    assertThatThrownBy(() -> join(authorizers.authorize(UserId.of(5), "private-x", "not-a-jwt")))
        .hasCauseInstanceOf(AuthException.class);
  }
}
