package io.herald.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link HeraldClient} reaches Herald. Build it with {@link HeraldClient#builder()}.
 *
 * @param url Herald's base URL, e.g. {@code http://127.0.0.1:5200} (the admin API lives under
 *     {@code /admin/websocket/} of it)
 * @param apiKey the admin API key ({@code HERALD_API_KEY} of the server)
 * @param connectTimeout how long to wait for a TCP (and TLS) connection
 * @param requestTimeout how long to wait for the answer to one attempt
 * @param maxAttempts attempts per call, the first included (1 disables retries)
 * @param retryBackoff the wait before the second attempt; it doubles per attempt, with jitter
 * @param idempotencyKeys send an {@code Idempotency-Key} with every POST, and so retry POSTs;
 *     without it a POST is retried only when the connection could not be opened
 * @param maxBatch requests per {@code POST /batch}; longer batches are split
 */
public record ClientSettings(URI url, String apiKey, Duration connectTimeout, Duration requestTimeout,
                             int maxAttempts, Duration retryBackoff, boolean idempotencyKeys, int maxBatch) {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(100);
  public static final int DEFAULT_MAX_BATCH = 1000;

  public ClientSettings {
    Objects.requireNonNull(url, "url");
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("url must be http:// or https://: " + url);
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("url must name a host: " + url);
    }
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be empty");
    }
    positive("connectTimeout", connectTimeout);
    positive("requestTimeout", requestTimeout);
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    if (retryBackoff.isNegative()) {
      throw new IllegalArgumentException("retryBackoff must not be negative: " + retryBackoff);
    }
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException("maxAttempts must be 1-10: " + maxAttempts);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
    }
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** The admin API endpoint {@code name}, e.g. {@code send-to-user}. */
  URI endpoint(String name) {
    String base = url.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/admin/websocket/" + name);
  }

  @Override
  public String toString() {
    return "ClientSettings[url=" + url + ", apiKey=<hidden>, connectTimeout=" + connectTimeout + ", requestTimeout="
        + requestTimeout + ", maxAttempts=" + maxAttempts + ", retryBackoff=" + retryBackoff + ", idempotencyKeys="
        + idempotencyKeys + ", maxBatch=" + maxBatch + "]";
  }
}
