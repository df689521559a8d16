package io.herald.idempotency;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Single-node keys in a map. Expired keys are dropped on the way: every
 * {@link #SWEEP_EVERY_CLAIMS}th claim walks the map.
 */
public final class MemoryIdempotencyStore implements IdempotencyStore {
  static final int SWEEP_EVERY_CLAIMS = 1024;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final long ttlMillis;
  private final LongSupplier millis;
  private final ConcurrentHashMap<String, Kept> keys = new ConcurrentHashMap<>();
  private final AtomicInteger claims = new AtomicInteger();

  public MemoryIdempotencyStore(Duration ttl) {
    this(ttl, System::currentTimeMillis);
  }

  MemoryIdempotencyStore(Duration ttl, LongSupplier millis) {
    this.ttlMillis = ttl.toMillis();
    this.millis = millis;
  }

  @Override
  public CompletionStage<Claim> claim(String key) {
    long now = millis.getAsLong();
    if (claims.incrementAndGet() % SWEEP_EVERY_CLAIMS == 0) {
      sweep(now);
    }
    Kept mine = new Kept(null, now + ttlMillis);
    Kept held = keys.compute(key, (k, v) -> v == null || v.expires <= now ? mine : v);
    if (held == mine) {
      return CompletableFuture.completedFuture(new Claim.First());
    }
    return CompletableFuture.completedFuture(held.answer == null ? new Claim.Busy() : new Claim.Done(held.answer));
  }

  @Override
  public CompletionStage<Void> complete(String key, Answer answer) {
    keys.put(key, new Kept(answer, millis.getAsLong() + ttlMillis));
    return DONE;
  }

  @Override
  public CompletionStage<Void> release(String key) {
    keys.remove(key);
    return DONE;
  }

  int size() {
    return keys.size();
  }

  private void sweep(long now) {
    for (Iterator<Map.Entry<String, Kept>> it = keys.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue().expires <= now) {
        it.remove();
      }
    }
  }

  @Override
  public void close() {
    keys.clear();
  }

  private record Kept(Answer answer, long expires) {
  }
}
