package io.herald.idempotency;

import java.util.concurrent.CompletionStage;

/**
 * Remembers the answers of requests by their {@code Idempotency-Key}, for a time to live.
 * {@link MemoryIdempotencyStore} serves one node; {@link io.herald.idempotency.redis.RedisIdempotencyStore} a cluster, where
 * {@link #claim} is atomic across nodes ({@code SET NX}).
 *
 * <p>Every method may be called from any thread and none blocks.
 */
public interface IdempotencyStore extends AutoCloseable {

  /**
   * Claims a key for a request about to run. Completes with {@link Claim.First} when no request
   * holds it (the caller then runs and calls {@link #complete} or {@link #release}), with
   * {@link Claim.Done} when a request already finished, {@link Claim.Busy} while one runs.
   */
  CompletionStage<Claim> claim(String key);

  /** Stores the answer of the request that claimed the key, for the time to live. */
  CompletionStage<Void> complete(String key, Answer answer);

  /** Forgets a claim whose request failed in a way worth retrying (5xx). */
  CompletionStage<Void> release(String key);

  @Override
  void close();

  /** The first answer to a key: HTTP status, the request path, the response body. */
  record Answer(int status, String path, byte[] body) {
  }

  /** The outcome of {@link #claim}. */
  sealed interface Claim {
    record First() implements Claim {
    }

    record Busy() implements Claim {
    }

    record Done(Answer answer) implements Claim {
    }
  }
}
