package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.AuthException;
import io.herald.auth.Principal;
import io.herald.hub.UserId;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import io.herald.testing.ManualClock;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When a connection's credentials ask to be checked, and what each check does: the sweep's side
 * of token expiry, with the wall clock held still and {@code nanoTime} given by hand (the
 * end-to-end behaviour is TokenExpiryTest's).
 */
@Timeout(10)
class SessionAuthTest {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  static final Duration WARNING = Duration.ofSeconds(60);
  static final long START = 1_000;

  final ManualClock clock = new ManualClock(T0);
  final EmbeddedChannel channel = new EmbeddedChannel();
  final Recorder listener = new Recorder();
  /** What the next {@code refresh} completes with. */
  CompletableFuture<Principal> nextRefresh = new CompletableFuture<>();
  final SessionAuth auth = new SessionAuth(channel.eventLoop(), () -> (user, token) -> nextRefresh, WARNING, clock,
      listener);

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  static Principal endingAt(Instant end) {
    return new Principal(UserId.of(7), List.of(), end);
  }

  @Test
  void credentialsWithoutExpiryAskForNoCheck() {
    auth.start(endingAt(null), START);
    assertThat(listener.due).isEqualTo(SessionAuth.NEVER);
    auth.check(START + Duration.ofDays(1).toNanos());
    assertThat(listener.events).isEmpty();
  }

  @Test
  void warnedTheWarningBeforeTheEndThenExpiredAtTheEnd() {
    auth.start(endingAt(T0.plusSeconds(120)), START);
    assertThat(listener.due).isEqualTo(START + Duration.ofSeconds(60).toNanos());

    clock.advance(Duration.ofSeconds(60));
    auth.check(listener.due);
    assertThat(listener.events).containsExactly(
        "send {\"type\":\"token_expiring\",\"data\":{\"expires_at\":" + T0.plusSeconds(120).getEpochSecond()
            + ",\"expires_in\":60}}");
    assertThat(listener.due).isEqualTo(START + Duration.ofSeconds(120).toNanos());

    clock.advance(Duration.ofSeconds(60));
    auth.check(listener.due);
    auth.check(listener.due + 1);
    assertThat(listener.events).hasSize(2).endsWith("expired");
  }

  @Test
  void lessTimeLeftThanTheWarningAsksForACheckAtOnce() {
    auth.start(endingAt(T0.plusSeconds(10)), START);
    assertThat(listener.due).isEqualTo(START);
    auth.check(START);
    assertThat(listener.events).singleElement().asString().contains("\"expires_in\":10");
    assertThat(listener.due).isEqualTo(START + Duration.ofSeconds(10).toNanos());
  }

  @Test
  void anEndPassedBeforeTheWarningWentOutWarnsAndExpiresInOneCheck() {
    auth.start(endingAt(T0.plusSeconds(120)), START);
    long due = listener.due;
    clock.advance(Duration.ofSeconds(121));
    auth.check(START + Duration.ofSeconds(121).toNanos());
    assertThat(listener.events).hasSize(2).endsWith("expired");
    assertThat(listener.events.get(0)).contains("\"expires_in\":0");
    assertThat(listener.due).as("no check asked after the warning").isEqualTo(due);
  }

  @Test
  void aRefreshAfterTheWarningStartsOverWithTheNewEnd() {
    auth.start(endingAt(T0.plusSeconds(120)), START);
    clock.advance(Duration.ofSeconds(60));
    auth.check(listener.due);

    auth.refresh("fresh", null);
    nextRefresh.complete(endingAt(clock.instant().plus(Duration.ofHours(1))));
    long before = System.nanoTime();
    channel.runPendingTasks();
    long after = System.nanoTime();
    assertThat(listener.events).hasSize(2).last().asString().startsWith("send {\"type\":\"refreshed\"");
    long untilWarning = Duration.ofHours(1).minus(WARNING).toNanos();
    assertThat(listener.due).isBetween(before + untilWarning, after + untilWarning);

    clock.advance(Duration.ofHours(1).minus(WARNING));
    auth.check(listener.due);
    assertThat(listener.events).hasSize(3).last().asString().contains("token_expiring").contains("\"expires_in\":60");
  }

  @Test
  void aRefusedRefreshLeavesTheEndAsItWas() {
    auth.start(endingAt(T0.plusSeconds(120)), START);
    clock.advance(Duration.ofSeconds(60));
    auth.check(listener.due);
    long end = listener.due;

    auth.refresh("bad", null);
    nextRefresh.completeExceptionally(new AuthException(AuthException.Reason.BAD_SIGNATURE, "bad signature"));
    channel.runPendingTasks();
    assertThat(listener.events).hasSize(2).last().isEqualTo("error " + ErrorCode.INVALID_TOKEN);
    assertThat(listener.due).isEqualTo(end);
    auth.check(end);
    assertThat(listener.events).hasSize(3).last().isEqualTo("expired");
  }

  @Test
  void aRefreshAnsweredAfterTheEndIsIgnored() {
    auth.start(endingAt(T0.plusSeconds(120)), START);
    auth.refresh("late", null);
    clock.advance(Duration.ofSeconds(60));
    auth.check(listener.due);
    clock.advance(Duration.ofSeconds(60));
    auth.check(listener.due);
    long end = listener.due;

    nextRefresh.complete(endingAt(clock.instant().plus(Duration.ofHours(1))));
    channel.runPendingTasks();
    assertThat(listener.events).hasSize(2).last().isEqualTo("expired");
    assertThat(listener.due).isEqualTo(end);
  }

  @Test
  void stopAsksForNoMoreChecks() {
    auth.start(endingAt(T0.plusSeconds(120)), START);
    long due = listener.due;
    auth.stop();
    assertThat(listener.due).isEqualTo(SessionAuth.NEVER);
    clock.advance(Duration.ofSeconds(120));
    auth.check(due);
    assertThat(listener.events).isEmpty();
  }

  @Test
  void anEndCenturiesAwayAsksForNoCheck() {
    auth.start(endingAt(T0.plus(Duration.ofDays(365L * 1000))), START);
    assertThat(listener.due).isEqualTo(SessionAuth.NEVER);
  }

  /** Records what the credentials ask of the connection. */
  static final class Recorder implements SessionAuth.Listener {
    final List<String> events = new ArrayList<>();
    long due = -1;

    @Override
    public void send(Message message) {
      events.add("send " + new String(message.json(), StandardCharsets.UTF_8));
    }

    @Override
    public void error(ErrorCode code, String message, String channel) {
      events.add("error " + code);
    }

    @Override
    public void expired() {
      events.add("expired");
    }

    @Override
    public void checkAt(long nanoTime) {
      due = nanoTime;
    }
  }
}
