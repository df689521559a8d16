package io.herald.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One admin API call: the request, its retries, and the envelope. A call is retried (up to
 * {@link ClientSettings#maxAttempts()}) when no answer arrived or the answer was 502/503/504, and only
 * when retrying is safe: GETs always; POSTs when they carry an {@code Idempotency-Key} (the same key
 * on every attempt, so a Herald that supports the header delivers once), or when the connection
 * could not even be opened (then the request never left).
 */
final class AdminCalls {
  /** Bodies of non-envelope answers (a proxy's HTML page) are quoted up to this many characters. */
  private static final int MAX_QUOTED_CHARS = 200;

  private final ClientSettings settings;
  private final HttpClient http;
  private final ObjectMapper json;

  AdminCalls(ClientSettings settings, HttpClient http, ObjectMapper json) {
    this.settings = settings;
    this.http = http;
    this.json = json;
  }

  CompletableFuture<JsonNode> get(String endpoint) {
    HttpRequest request = base(endpoint).GET().build();
    return attempt(request, true, 1);
  }

  CompletableFuture<JsonNode> post(String endpoint, Object body) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e));
    }
    HttpRequest.Builder b = base(endpoint).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (settings.idempotencyKeys()) {
      b.header("Idempotency-Key", UUID.randomUUID().toString());
    }
    return attempt(b.build(), settings.idempotencyKeys(), 1);
  }

  private HttpRequest.Builder base(String endpoint) {
    return HttpRequest.newBuilder(settings.endpoint(endpoint))
        .timeout(settings.requestTimeout())
        .header("Authorization", "Bearer " + settings.apiKey())
        .header("Accept", "application/json");
  }

  private CompletableFuture<JsonNode> attempt(HttpRequest request, boolean retrySafe, int attempt) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, error) -> {
          Throwable failure = error != null ? failure(request, unwrap(error)) : null;
          boolean retryable = failure instanceof HeraldException || (error == null && retryableStatus(response.statusCode()));
          if (retryable && attempt < settings.maxAttempts() && (retrySafe || neverSent(error))) {
            return retryLater(request, retrySafe, attempt);
          }
          if (failure != null) {
            return CompletableFuture.<JsonNode>failedFuture(failure);
          }
          return answer(response);
        })
        .thenCompose(f -> f);
  }

  private CompletableFuture<JsonNode> retryLater(HttpRequest request, boolean retrySafe, int attempt) {
    long base = settings.retryBackoff().toMillis() << (attempt - 1);
    long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
        .thenCompose(x -> attempt(request, retrySafe, attempt + 1));
  }

  private static boolean retryableStatus(int status) {
    return status == 502 || status == 503 || status == 504;
  }

  /** A refused or timed-out connect: the request never reached Herald. */
  private static boolean neverSent(Throwable error) {
    Throwable e = error == null ? null : unwrap(error);
    return e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private Throwable failure(HttpRequest request, Throwable e) {
    String target = request.method() + " " + request.uri();
    if (e instanceof HttpTimeoutException) {
      return new HeraldTimeoutException(target + ": no answer within " + settings.requestTimeout().toMillis() + " ms", e);
    }
    if (e instanceof IOException) {
      return new HeraldConnectionException(target + ": " + e, e);
    }
    return e;
  }

  private CompletableFuture<JsonNode> answer(HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) {
      return CompletableFuture.failedFuture(envelopeError(response));
    }
    JsonNode envelope = envelope(response);
    if (envelope == null) {
      return CompletableFuture.failedFuture(
          new HeraldException(200, "answer is not a Herald envelope: " + quote(response.body())));
    }
    return CompletableFuture.completedFuture(envelope.path("data"));
  }

  private HeraldException envelopeError(HttpResponse<byte[]> response) {
    JsonNode envelope = envelope(response);
    String message = envelope != null && envelope.path("message").isTextual()
        ? envelope.path("message").textValue()
        : "HTTP " + response.statusCode() + " without a Herald envelope: " + quote(response.body());
    return HeraldException.of(response.statusCode(), message);
  }

  private JsonNode envelope(HttpResponse<byte[]> response) {
    try {
      JsonNode node = json.readTree(response.body());
      return node != null && node.isObject() && node.has("code") ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String quote(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    return '"' + (s.length() > MAX_QUOTED_CHARS ? s.substring(0, MAX_QUOTED_CHARS) + "…" : s) + '"';
  }
}
