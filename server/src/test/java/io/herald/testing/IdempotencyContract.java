package io.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.idempotency.Idempotency;
import io.herald.idempotency.IdempotencyStore;
import io.herald.idempotency.IdempotencyStore.Answer;
import io.herald.idempotency.KeyConflictException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link IdempotencyStore} must do, seen through {@link Idempotency}. */
public abstract class IdempotencyContract {
  private final List<Idempotency> made = new ArrayList<>();

  /** Stores made by one call share their keys (as nodes of one cluster do). */
  protected abstract IdempotencyStore newStore(Duration ttl);

  protected Idempotency idempotency(Duration ttl) {
    Idempotency i = new Idempotency(newStore(ttl), Duration.ofSeconds(5));
    made.add(i);
    return i;
  }

  @AfterEach
  void closeAll() {
    made.forEach(Idempotency::close);
  }

  private static Answer ok(String body) {
    return new Answer(200, "/send-to-user", body.getBytes(StandardCharsets.UTF_8));
  }

  private static <T> T join(CompletionStage<T> s) {
    try {
      return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theSameKeyRunsOnceAndReturnsTheFirstAnswer() {
    Idempotency i = idempotency(Duration.ofMinutes(1));
    AtomicInteger runs = new AtomicInteger();
    Answer first = join(i.run("k1", "/send-to-user", () -> CompletableFuture.completedFuture(ok("first-" + runs.incrementAndGet()))));
    Answer second = join(i.run("k1", "/send-to-user", () -> CompletableFuture.completedFuture(ok("second-" + runs.incrementAndGet()))));
    assertThat(runs).hasValue(1);
    assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo("first-1");
    assertThat(second.status()).isEqualTo(first.status());
  }

  @Test
  void concurrentRequestsWithOneKeyRunOnceAndBothGetTheAnswer() {
    Idempotency a = idempotency(Duration.ofMinutes(1));
    Idempotency b = idempotency(Duration.ofMinutes(1));
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Answer> slow = new CompletableFuture<>();
    CompletionStage<Answer> one = a.run("k2", "/send-to-user", () -> {
      runs.incrementAndGet();
      return slow;
    });
    CompletionStage<Answer> two = b.run("k2", "/send-to-user", () -> {
      runs.incrementAndGet();
      return slow;
    });
    slow.complete(ok("only"));
    assertThat(new String(join(one).body(), StandardCharsets.UTF_8)).isEqualTo("only");
    assertThat(new String(join(two).body(), StandardCharsets.UTF_8)).isEqualTo("only");
    assertThat(runs).hasValue(1);
  }

  @Test
  void aServerErrorIsNotKeptSoARetryRunsAgain() {
    Idempotency i = idempotency(Duration.ofMinutes(1));
    AtomicInteger runs = new AtomicInteger();
    join(i.run("k3", "/broadcast", () -> CompletableFuture.completedFuture(
        new Answer(503, "/broadcast", new byte[0])).whenComplete((x, e) -> runs.incrementAndGet())));
    Answer retry = join(i.run("k3", "/broadcast", () -> {
      runs.incrementAndGet();
      return CompletableFuture.completedFuture(new Answer(200, "/broadcast", new byte[0]));
    }));
    assertThat(retry.status()).isEqualTo(200);
    assertThat(runs).hasValue(2);
  }

  @Test
  void aKeyUsedOnAnotherPathIsRefused() {
    Idempotency i = idempotency(Duration.ofMinutes(1));
    join(i.run("k4", "/send-to-user", () -> CompletableFuture.completedFuture(ok("x"))));
    assertThatThrownBy(() -> join(i.run("k4", "/broadcast", () -> CompletableFuture.completedFuture(ok("y")))))
        .hasRootCauseInstanceOf(KeyConflictException.class)
        .hasStackTraceContaining("/send-to-user");
  }

  @Test
  void keysExpireAfterTheTtl() {
    Idempotency i = idempotency(Duration.ofSeconds(1));
    AtomicInteger runs = new AtomicInteger();
    join(i.run("k5", "/send-to-user", () -> CompletableFuture.completedFuture(ok("" + runs.incrementAndGet()))));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
        new String(join(i.run("k5", "/send-to-user", () -> CompletableFuture.completedFuture(ok("" + runs.incrementAndGet())))).body(),
            StandardCharsets.UTF_8).equals("2") || runs.get() >= 2);
    assertThat(runs.get()).isGreaterThanOrEqualTo(2);
  }
}
