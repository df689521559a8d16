package io.herald.idempotency;

import io.herald.testing.IdempotencyContract;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryIdempotencyContractTest extends IdempotencyContract {
  private MemoryIdempotencyStore shared;

  @Override
  protected IdempotencyStore newStore(Duration ttl) {
    if (shared == null) {
      shared = new MemoryIdempotencyStore(ttl);
    }
    IdempotencyStore store = shared;
    return new IdempotencyStore() { // one node's store seen twice: close only once
      @Override
      public java.util.concurrent.CompletionStage<Claim> claim(String key) {
        return store.claim(key);
      }

      @Override
      public java.util.concurrent.CompletionStage<Void> complete(String key, Answer answer) {
        return store.complete(key, answer);
      }

      @Override
      public java.util.concurrent.CompletionStage<Void> release(String key) {
        return store.release(key);
      }

      @Override
      public void close() {
      }
    };
  }
}
