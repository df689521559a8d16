package io.herald.idempotency;

import io.herald.idempotency.IdempotencyStore.Answer;
import io.herald.idempotency.IdempotencyStore.Claim;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs each keyed request once. A key seen again while its first request runs waits for that
 * answer (polling the store every {@link #POLL_INTERVAL}, at most {@code wait}); a key seen
 * after returns the stored answer. Answers with a 5xx status are not kept, so a retry runs
 * again. The same key on another path fails with {@link KeyConflictException}: a key names one
 * request.
 */
public final class Idempotency implements AutoCloseable {
  public static final int MAX_KEY_LENGTH = 128;
  static final Duration POLL_INTERVAL = Duration.ofMillis(20);

  private final IdempotencyStore store;
  private final Duration wait;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "herald-idempotency");
    t.setDaemon(true);
    return t;
  });

  public Idempotency(IdempotencyStore store, Duration wait) {
    this.store = store;
    this.wait = wait;
  }

  /** Checks a header value: 1–128 printable ASCII characters. Throws naming the rule. */
  public static String requireKey(String key) {
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw new IllegalArgumentException("Idempotency-Key must be 1-" + MAX_KEY_LENGTH
          + " printable ASCII characters without spaces");
    }
    return key;
  }

  /** The answer of the first request with this key on this path, running {@code action} if none. */
  public CompletionStage<Answer> run(String key, String path, Supplier<CompletionStage<Answer>> action) {
    CompletableFuture<Answer> result = new CompletableFuture<>();
    attempt(key, path, action, System.nanoTime() + wait.toNanos(), result);
    return result;
  }

  private void attempt(String key, String path, Supplier<CompletionStage<Answer>> action, long deadline,
                       CompletableFuture<Answer> result) {
    store.claim(key).whenComplete((claim, err) -> {
      if (err != null) {
        result.completeExceptionally(err);
      } else if (claim instanceof Claim.First) {
        runFirst(key, action, result);
      } else if (claim instanceof Claim.Done d) {
        if (d.answer().path().equals(path)) {
          result.complete(d.answer());
        } else {
          result.completeExceptionally(new KeyConflictException(KeyConflictException.OTHER_REQUEST,
              "Idempotency-Key was already used for another request (" + d.answer().path() + ")"));
        }
      } else if (System.nanoTime() > deadline) {
        result.completeExceptionally(new KeyConflictException(KeyConflictException.BUSY,
            "a request with this Idempotency-Key is still running; retry later"));
      } else {
        timer.schedule(() -> attempt(key, path, action, deadline, result), POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      }
    });
  }

  private void runFirst(String key, Supplier<CompletionStage<Answer>> action, CompletableFuture<Answer> result) {
    CompletionStage<Answer> ran;
    try {
      ran = action.get();
    } catch (RuntimeException e) {
      store.release(key);
      result.completeExceptionally(e);
      return;
    }
    ran.whenComplete((answer, err) -> {
      if (err != null || answer.status() >= 500) {
        store.release(key);
      } else {
        store.complete(key, answer);
      }
      if (err != null) {
        result.completeExceptionally(err);
      } else {
        result.complete(answer);
      }
    });
  }

  @Override
  public void close() {
    timer.shutdownNow();
    store.close();
  }
}
