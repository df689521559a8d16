package io.herald.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.RateLimitedJWKSetSource;
import com.nimbusds.jose.jwk.source.RefreshAheadCachingJWKSetSource;
import com.nimbusds.jose.jwk.source.RetryingJWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.IOException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of {@code jwt.jwks_url}, fetched and cached by nimbus: cached for 5 minutes and
 * refreshed ahead of expiry, fetched again when a token names a key the cached set lacks, each
 * fetch retried once, at most two fetches every 30 s.
 *
 * <p>A lookup can come up empty in two ways, and the client must hear which: the JWKS was fetched
 * and has no key for the token (the token is bad: {@link AuthException}, close 4001), or the JWKS
 * cannot be fetched (refused connection, timeout, HTTP error, a body that is not a JWKS: the token
 * may be fine, {@link AuthUnavailableException}, close 1013). nimbus's rate limit blurs the two (a
 * lookup it turns away gets {@link RateLimitReachedException} either way), so the outcome of the
 * last real fetch decides. Called on the JWKS executor, never on an event loop: a fetch blocks.
 *
 * <p>While the JWKS cannot be fetched, nimbus's outage cache keeps the set of the last fetch that
 * worked for {@code jwt.jwks_outage_tolerance} after that fetch, and the cache above hands a copy
 * out for up to 5 minutes more: tokens whose key it holds still verify. A token whose key it lacks
 * may be fine (the JWKS may have a new key Herald cannot see), so that lookup is unavailable too,
 * not refused.
 *
 * <p>The chain is nimbus's ({@link JWKSourceBuilder}'s defaults), put together here for two
 * reasons: it reads the time from Herald's clock, and its refresh ahead of expiry runs on a
 * thread of ours (a daemon, {@value #REFRESH_THREAD}) that {@link #close()} stops. nimbus's own
 * is a JDK default thread, not a daemon, that lives until the source is closed or the garbage
 * collector happens to finalize its executor: each reload left one behind, and the last one kept
 * a JVM that embeds Herald from exiting after the server was closed.
 */
final class JwksKeys implements AutoCloseable {
  static final String REFRESH_THREAD = "herald-jwks-refresh";

  private static final Logger log = LoggerFactory.getLogger("io.herald.auth.jwks");

  private final Fetches fetches;
  private final JWKSetSource<SecurityContext> cache;
  private final ExecutorService refresher;
  private final Clock clock;

  JwksKeys(URL url, Duration outageTolerance, Clock clock) {
    this.clock = clock;
    this.fetches = new Fetches(url, outageTolerance);
    this.refresher = refresher();
    // Retrying is done inside Fetches, so that it sees (and logs) a fetch's outcome after the retry.
    JWKSetSource<SecurityContext> held = outageTolerance.isZero()
        ? fetches : new OutageTolerantJWKSetSource<>(fetches, outageTolerance.toMillis(), null);
    JWKSetSource<SecurityContext> limited =
        new RateLimitedJWKSetSource<>(held, JWKSourceBuilder.DEFAULT_RATE_LIMIT_MIN_INTERVAL, null);
    this.cache = new RefreshAheadCachingJWKSetSource<>(limited, JWKSourceBuilder.DEFAULT_CACHE_TIME_TO_LIVE,
        JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT, JWKSourceBuilder.DEFAULT_REFRESH_AHEAD_TIME,
        refresher, false, null, null, false);
  }

  /**
   * One thread, started by the first refresh ahead of expiry. A refresh asked for after
   * {@link #close()} (by a lookup that began before a reload replaced these keys) is dropped: that
   * lookup uses the cached set, or fetches on its own thread once the set has expired.
   */
  private static ExecutorService refresher() {
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, REFRESH_THREAD);
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.DiscardPolicy());
  }

  /** The keys for a token with this header: its algorithm, and its {@code kid} when it has one. */
  List<JWK> select(JWSHeader header) throws AuthException, AuthUnavailableException {
    JWKMatcher.Builder matcher = new JWKMatcher.Builder().algorithms(header.getAlgorithm(), null);
    if (header.getKeyID() != null) {
      matcher.keyID(header.getKeyID());
    }
    JWKSelector selector = new JWKSelector(matcher.build());
    long now = clock.millis();
    try {
      // What nimbus's JWKSetBasedJWKSource does, at Herald's time: a set without the key is fetched again.
      JWKSet set = cache.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, null);
      List<JWK> keys = selector.select(set);
      if (keys.isEmpty()) {
        keys = selector.select(cache.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(set), now, null));
      }
      if (keys.isEmpty() && !fetches.lastFetchWorked()) {
        // The set at hand is one kept through an outage: the JWKS may have the key by now.
        throw unavailable();
      }
      return keys;
    } catch (RateLimitReachedException e) {
      // Turned away before fetching: after a good fetch only a token whose key the set lacks asks again.
      if (fetches.lastFetchWorked()) {
        throw new AuthException(AuthException.Reason.BAD_SIGNATURE, "no JWKS key matches the token");
      }
      throw unavailable();
    } catch (KeySourceException e) {
      throw unavailable();
    }
  }

  private static AuthUnavailableException unavailable() {
    return new AuthUnavailableException("the JWKS cannot be fetched");
  }

  /**
   * Stops the refresh thread (a refresh under way finishes first). Lookups still work: they use
   * the cached set or fetch on their own thread. Idempotent.
   */
  @Override
  public void close() {
    refresher.shutdown();
    try {
      cache.close();
    } catch (IOException e) {
      // nimbus's sources under the cache hold nothing that can fail to close; say so if one ever does.
      log.warn("closing the JWKS source of {} failed", fetches.url, e);
    }
  }

  /**
   * The real fetches, underneath nimbus's caches and rate limit: remembers whether the last one
   * worked, and logs the failed ones (a warning without stack trace; the rate limit above keeps
   * that to a few lines a minute however many clients connect).
   */
  private static final class Fetches implements JWKSetSource<SecurityContext> {
    private final URL url;
    private final Duration outageTolerance;
    private final JWKSetSource<SecurityContext> http;
    // null until the first fetch; written by whichever thread fetched
    private volatile Boolean lastWorked;
    // the time (the clock's millis) of the last fetch that worked, or -1 before one did
    private volatile long lastGoodAt = -1;

    Fetches(URL url, Duration outageTolerance) {
      this.url = url;
      this.outageTolerance = outageTolerance;
      this.http = new RetryingJWKSetSource<>(new URLBasedJWKSetSource<>(url, new DefaultResourceRetriever(
          JWKSourceBuilder.DEFAULT_HTTP_CONNECT_TIMEOUT, JWKSourceBuilder.DEFAULT_HTTP_READ_TIMEOUT,
          JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT)), null);
    }

    boolean lastFetchWorked() {
      return Boolean.TRUE.equals(lastWorked);
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long currentTime, SecurityContext context)
        throws KeySourceException {
      JWKSet set;
      try {
        set = http.getJWKSet(refresh, currentTime, context);
      } catch (KeySourceException e) {
        lastWorked = false;
        long age = currentTime - lastGoodAt;
        if (lastGoodAt >= 0 && age < outageTolerance.toMillis()) {
          log.warn("JWKS {} cannot be fetched ({}); until it can, tokens are verified with the keys fetched {} s ago,"
              + " up to jwt.jwks_outage_tolerance ({} s) after that fetch, and connections whose token needs another"
              + " key are closed with 1013 (try again later)", url, why(e), age / 1000, outageTolerance.toSeconds());
        } else {
          log.warn("JWKS {} cannot be fetched ({}); connections whose token needs it are closed with 1013"
              + " (try again later) until it can", url, why(e));
        }
        throw e;
      }
      if (Boolean.FALSE.equals(lastWorked)) {
        log.info("JWKS {} fetched again", url);
      }
      lastWorked = true;
      lastGoodAt = currentTime;
      return set;
    }

    /** nimbus's message and that of its cause ("HTTP 500", "Connection refused", "Read timed out"). */
    private static String why(Exception e) {
      String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      Throwable cause = e.getCause();
      if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
        text += ": " + cause.getMessage();
      }
      return text;
    }

    @Override
    public void close() throws IOException {
      http.close();
    }
  }
}
