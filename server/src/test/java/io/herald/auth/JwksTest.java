package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.AppEndpoint;
import io.herald.testing.JwksEndpoint;
import io.herald.testing.JwksEndpoint.Answer;
import io.herald.testing.ManualClock;
import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Tokens verified with {@code jwt.jwks_url}, the JWKS served by a real HTTP server that fails on
 * demand. A JWKS that cannot be fetched is Herald's problem, not the token's: close 1013 (try again
 * later) and {@code error} {@code unavailable}, never 4001 / {@code invalid_token}; a token whose key
 * a fetched JWKS lacks is refused (4001).
 *
 * <p>nimbus fetches a failing JWKS at most twice every 30 s, so each test fails a fetch at most
 * once before the JWKS must answer again (a new Herald per test), or moves a {@link ManualClock}
 * past that limit. While it cannot be fetched, the keys of the last good fetch keep verifying for
 * {@code jwt.jwks_outage_tolerance}; the tests that reach past the 5 minutes a fetched set is
 * cached run Herald on a {@link ManualClock}.
 */
@Timeout(60)
class JwksTest {
  JwksEndpoint jwks;
  TestServer server;

  @BeforeEach
  void start() {
    jwks = new JwksEndpoint();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    jwks.close();
  }

  /** How long Herald caches a fetched JWKS (nimbus's default). */
  static final Duration CACHED = Duration.ofMinutes(5);

  /** Herald with the JWKS and the test HS256 secret (so a connection can be made without the JWKS). */
  TestServer herald() {
    server = TestServer.start(Map.of("jwt.jwks_url", jwks.url()));
    return server;
  }

  /** As {@link #herald()}, on a clock the test moves, with this {@code jwt.jwks_outage_tolerance}. */
  TestServer herald(ManualClock clock, String outageTolerance) {
    server = TestServer.start(Map.of("jwt.jwks_url", jwks.url(), "jwt.jwks_outage_tolerance", outageTolerance), clock);
    return server;
  }

  WsRecorder connectWithJwksToken(String user) {
    return server.connectRaw("user_id=" + user + "&token=" + JwksEndpoint.token(user));
  }

  @Test
  void jwksAnswering500ClosesWith1013UntilItAnswersAgain() {
    herald();
    jwks.answer(Answer.ERROR_500);
    try (WsRecorder ws = connectWithJwksToken("11")) {
      assertThat(ws.expectCloseOnly(1013).reason()).isEqualTo("try again later");
    }
    jwks.answer(Answer.JWKS);
    try (WsRecorder ws = connectWithJwksToken("11")) {
      assertThat(ws.connected().path("user_id").asLong()).isEqualTo(11);
    }
  }

  @Test
  void jwksThatIsStoppedClosesWith1013UntilItIsStartedAgain() {
    jwks.stop();
    herald();
    try (WsRecorder ws = connectWithJwksToken("12")) {
      assertThat(ws.expectCloseOnly(1013).reason()).isEqualTo("try again later");
    }
    jwks.start();
    try (WsRecorder ws = connectWithJwksToken("12")) {
      assertThat(ws.connected().path("user_id").asLong()).isEqualTo(12);
    }
  }

  @Test
  void jwksAnsweringSomethingElseClosesWith1013() {
    herald();
    jwks.answer(Answer.NOT_A_JWKS);
    try (WsRecorder ws = connectWithJwksToken("13")) {
      assertThat(ws.expectCloseOnly(1013).reason()).isEqualTo("try again later");
    }
  }

  @Test
  void jwksAnsweringTooLateClosesWith1013() {
    herald();
    jwks.answer(Answer.NEVER);
    try (WsRecorder ws = connectWithJwksToken("14")) {
      assertThat(ws.expectCloseOnly(1013).reason()).isEqualTo("try again later");
    }
  }

  @Test
  void duringAnOutageTheLastGoodKeysVerifyUntilTheToleranceIsOverAndUnknownKeysGet1013() {
    ManualClock clock = new ManualClock(Instant.now());
    herald(clock, "10m");
    try (WsRecorder ws = connectWithJwksToken("21")) {
      ws.connected();
    }
    jwks.answer(Answer.ERROR_500);
    clock.advance(CACHED.plusSeconds(1));
    // The cached set has expired and the JWKS answers 500: the set of the last good fetch is kept.
    List<ILoggingEvent> warnings = warningsDuring(() -> {
      try (WsRecorder ws = connectWithJwksToken("21")) {
        assertThat(ws.connected().path("user_id").asLong()).isEqualTo(21);
      }
    });
    assertThat(warnings).singleElement().satisfies(e -> {
      assertThat(e.getThrowableProxy()).isNull();
      assertThat(e.getFormattedMessage()).contains(jwks.url()).contains("500")
          .contains("the keys fetched 301 s ago, up to jwt.jwks_outage_tolerance (600 s) after that fetch");
    });
    // A key that set lacks may be in the JWKS Herald cannot see: try again later, not 4001.
    try (WsRecorder ws = server.connectRaw("token=" + JwksEndpoint.tokenOfAnUnpublishedKey("22"))) {
      assertThat(ws.expectCloseOnly(1013).reason()).isEqualTo("try again later");
    }
    // Past the tolerance, 10 minutes after the good fetch, and the 5 minutes a kept copy may stay cached.
    clock.advance(Duration.ofMinutes(10));
    try (WsRecorder ws = connectWithJwksToken("21")) {
      assertThat(ws.expectCloseOnly(1013).reason()).isEqualTo("try again later");
    }
    jwks.answer(Answer.JWKS);
    clock.advance(Duration.ofSeconds(31));
    try (WsRecorder ws = connectWithJwksToken("21")) {
      assertThat(ws.connected().path("user_id").asLong()).isEqualTo(21);
    }
  }

  @Test
  void withoutOutageToleranceTheKeysLastOnlyAsLongAsTheyAreCached() {
    ManualClock clock = new ManualClock(Instant.now());
    herald(clock, "0s");
    try (WsRecorder ws = connectWithJwksToken("23")) {
      ws.connected();
    }
    jwks.answer(Answer.ERROR_500);
    clock.advance(CACHED.minusSeconds(31));
    try (WsRecorder ws = connectWithJwksToken("23")) {
      assertThat(ws.connected().path("user_id").asLong()).as("still cached").isEqualTo(23);
    }
    clock.advance(Duration.ofSeconds(32));
    try (WsRecorder ws = connectWithJwksToken("23")) {
      assertThat(ws.expectCloseOnly(1013).reason()).isEqualTo("try again later");
    }
  }

  @Test
  void tokenWhoseKeyTheFetchedJwksLacksClosesWith4001EvenWhenFetchesAreRateLimited() {
    herald();
    // The first two look the key up in a fresh fetch; the next ones are turned away by nimbus's
    // rate limit, and the key is still not in the JWKS that was fetched.
    for (int i = 0; i < 4; i++) {
      try (WsRecorder ws = server.connectRaw("token=" + JwksEndpoint.tokenOfAnUnpublishedKey("15"))) {
        assertThat(ws.expectCloseOnly(4001).reason()).as("attempt %d", i).startsWith("unauthorized: ");
      }
    }
    try (WsRecorder ws = connectWithJwksToken("15")) {
      ws.connected();
    }
  }

  @Test
  void refreshWhileTheJwksIsDownAnswersUnavailableAndKeepsTheConnection() {
    herald();
    jwks.answer(Answer.ERROR_500);
    try (WsRecorder ws = server.connect("16")) {
      ws.send("refresh", Map.of("token", JwksEndpoint.token("16")));
      JsonNode error = ws.next("error").path("data");
      assertThat(error.path("code").asText()).isEqualTo("unavailable");
      jwks.answer(Answer.JWKS);
      ws.send("refresh", Map.of("token", JwksEndpoint.token("16")));
      ws.next("refreshed");
      ws.assertExhausted();
    }
  }

  @Test
  void subscriptionTokenWhileTheJwksIsDownAnswersUnavailable() {
    herald();
    jwks.answer(Answer.ERROR_500);
    String channel = "private-orders.17";
    String token = JwksEndpoint.token("17", b -> b.claim("channel", channel));
    try (WsRecorder ws = server.connect("17")) {
      ws.send("subscribe", Map.of("channel", channel, "token", token));
      JsonNode error = ws.next("error").path("data");
      assertThat(error.path("code").asText()).isEqualTo("unavailable");
      jwks.answer(Answer.JWKS);
      ws.send("subscribe", Map.of("channel", channel, "token", token));
      assertThat(ws.next("subscribed").path("data").path("channel").asText()).isEqualTo(channel);
      ws.assertExhausted();
    }
  }

  @Test
  void withJwtFirstTheApplicationsRefusalWhileTheJwksIsDownClosesWith1013() throws Exception {
    try (AppEndpoint app = new AppEndpoint()) {
      server = TestServer.start(Map.of("jwt.jwks_url", jwks.url(), "auth.proxy.jwt_first", "true",
          "auth.proxy.connect_url", app.url("/connect")));
      jwks.answer(Answer.ERROR_500);
      String token = JwksEndpoint.token("19");
      try (WsRecorder ws = server.connectRaw("token=" + token)) {
        assertThat(ws.expectCloseOnly(1013).reason()).isEqualTo("try again later");
      }
      assertThat(app.calls(token)).as("the application was asked").isEqualTo(1);
      try (WsRecorder ws = server.connectRaw("token=user-20")) {
        assertThat(ws.connected().path("user_id").asLong()).isEqualTo(20);
      }
      jwks.answer(Answer.JWKS);
      try (WsRecorder ws = server.connectRaw("token=" + token)) {
        assertThat(ws.connected().path("user_id").asLong()).isEqualTo(19);
      }
      assertThat(app.calls(token)).isEqualTo(1);
    }
  }

  @Test
  void fetchFailuresAreLoggedAsOneWarningPerFetchNotPerConnection() {
    List<ILoggingEvent> warnings = warningsDuring(() -> {
      herald();
      jwks.answer(Answer.ERROR_500);
      List<WsRecorder> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 6; i++) {
          clients.add(connectWithJwksToken("18"));
        }
        clients.forEach(ws -> assertThat(ws.expectCloseOnly(1013).reason()).isEqualTo("try again later"));
      } finally {
        clients.forEach(WsRecorder::close);
      }
    });
    assertThat(warnings).isNotEmpty().hasSizeLessThan(6)
        .allSatisfy(e -> {
          assertThat(e.getLevel()).isEqualTo(Level.WARN);
          assertThat(e.getThrowableProxy()).isNull();
          assertThat(e.getFormattedMessage()).contains(jwks.url()).contains("500");
        });
    assertThat(jwks.fetches()).isLessThan(12);
  }

  /** The warnings (and worse) logged under {@code io.herald.auth} while {@code action} runs. */
  static List<ILoggingEvent> warningsDuring(Runnable action) {
    Logger logger = (Logger) LoggerFactory.getLogger("io.herald.auth");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      action.run();
    } finally {
      logger.detachAppender(lines);
    }
    return lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
  }
}
