package io.herald.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * One POST to the application behind the auth proxy, off the event loop (the JDK client runs on
 * {@code executor}). Redirects are not followed; the answer's body is read up to
 * {@link ProxySettings#maxBodyBytes()} and a longer one aborts the call. Everything that is not an
 * answer (timeout, refused connection, oversized body) fails with {@link AuthUnavailableException}.
 */
final class ProxyClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: its status and, when the body is a JSON object, that object (else null). */
  record Answer(int status, JsonNode json) {
  }

  private final ProxySettings settings;
  private final HttpClient http;

  ProxyClient(ProxySettings settings, Executor executor) {
    this.settings = settings;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
  }

  CompletionStage<Answer> post(URI url, Map<String, Object> body) {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(url)
          .timeout(settings.timeout())
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("cannot write the proxy request", e));
    }
    if (settings.key() != null) {
      b.header("Authorization", "Bearer " + settings.key());
    }
    return http.sendAsync(b.build(), info -> new LimitedBody(settings.maxBodyBytes()))
        .handle((response, err) -> {
          if (err != null) {
            throw new CompletionException(unavailable(url, err));
          }
          return new Answer(response.statusCode(), parse(response.body()));
        });
  }

  private AuthUnavailableException unavailable(URI url, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    String why;
    if (cause instanceof HttpTimeoutException) {
      why = "no answer within " + settings.timeout().toMillis() + " ms";
    } else if (cause instanceof BodyTooLarge || cause.getCause() instanceof BodyTooLarge) {
      why = "answer body larger than " + settings.maxBodyBytes() + " bytes";
    } else if (cause instanceof IOException) {
      why = "cannot reach it (" + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
    } else {
      why = "call failed (" + cause + ")";
    }
    return new AuthUnavailableException("auth proxy " + url + ": " + why);
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The body, up to a limit; past it the subscription is cancelled and the call fails. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int max;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private Flow.Subscription subscription;

    LimitedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (bytes.size() + b.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(new BodyTooLarge());
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }

  private static final class BodyTooLarge extends IOException {
    BodyTooLarge() {
      super("body too large", null);
    }
  }
}
