package io.herald.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's answers, cached: a yes or a no is reused for {@code cache_ttl} (never past the
 * answer's own expiry), and concurrent lookups of one key share a single call, so a connect storm
 * makes at most one call per distinct token. Failures (the application down, slow or answering
 * garbage) are not cached: the next lookup asks again. Failures are logged here, at most once a
 * second with a count of those left out, so an outage does not flood the log.
 *
 * @param <K> what identifies a question (a token, a user and a channel)
 */
final class ProxyAnswers<K> {
  private static final Logger log = LoggerFactory.getLogger("io.herald.auth.proxy");
  private static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

  /** A cached answer: a grant that may expire, or a refusal. */
  record Outcome<V>(V value, AuthException refusal, Instant expiresAt, Throwable failure) {
    Outcome(V value, AuthException refusal, Instant expiresAt) {
      this(value, refusal, expiresAt, null);
    }
  }

  private final AsyncCache<K, Outcome<?>> cache;
  private final Clock clock;
  private final String consequence;
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
  private final AtomicLong suppressed = new AtomicLong();

  /** @param consequence what a failure means for the client, for the log line */
  ProxyAnswers(ProxySettings settings, Clock clock, Executor executor, Ticker ticker, String consequence) {
    this.clock = clock;
    this.consequence = consequence;
    long ttlNanos = settings.cacheTtl().toNanos();
    this.cache = Caffeine.newBuilder()
        .maximumSize(settings.cacheSize())
        .executor(executor)
        .ticker(ticker)
        .expireAfter(Expiry.<K, Outcome<?>>creating((key, outcome) -> lifetime(outcome, ttlNanos)))
        .buildAsync();
  }

  private Duration lifetime(Outcome<?> outcome, long ttlNanos) {
    if (outcome.failure() != null) {
      return Duration.ZERO; // shared by the lookups already waiting, then asked again
    }
    if (outcome.expiresAt() == null) {
      return Duration.ofNanos(ttlNanos);
    }
    long untilExpiry = Duration.between(clock.instant(), outcome.expiresAt()).toNanos();
    return Duration.ofNanos(Math.max(0, Math.min(ttlNanos, untilExpiry)));
  }

  /** The cached or freshly asked answer; a refusal fails the stage with its {@link AuthException}. */
  @SuppressWarnings("unchecked")
  <V> CompletionStage<V> get(K key, Supplier<CompletionStage<Outcome<V>>> ask) {
    // Failures complete the shared future normally (as an outcome that expires at once), so the
    // cache neither keeps nor logs them; they are logged once here.
    CompletableFuture<Outcome<?>> answer = cache.get(key, (k, executor) ->
        ask.get().toCompletableFuture().handle((o, err) -> {
          if (err == null) {
            return (Outcome<?>) o;
          }
          Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
              ? err.getCause() : err;
          logFailure(cause);
          return new Outcome<>(null, null, null, cause);
        }));
    return answer.thenCompose(o -> o.failure() != null ? CompletableFuture.failedFuture(o.failure())
        : o.refusal() != null ? CompletableFuture.failedFuture(o.refusal())
        : CompletableFuture.completedFuture((V) o.value()));
  }

  private void logFailure(Throwable cause) {
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last < LOG_INTERVAL_NANOS || !lastLog.compareAndSet(last, now)) {
      suppressed.incrementAndGet();
      return;
    }
    long left = suppressed.getAndSet(0);
    String more = left == 0 ? "" : " (" + left + " more failures in the last second not logged)";
    if (cause instanceof AuthUnavailableException) {
      log.warn("{}; {}{}", cause.getMessage(), consequence, more);
    } else {
      log.error("auth proxy call failed; {}{}", consequence, more, cause);
    }
  }

  long size() {
    return cache.synchronous().estimatedSize();
  }
}
