package io.herald.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.herald.hub.UserId;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The {@link ChannelAuthorizer} Herald runs: a subscription token, when the {@code subscribe}
 * carries one, decides alone (docs/protocol.md, "Subscription tokens"); without one the
 * application decides through {@code auth.proxy.subscribe_url} when that is set; otherwise the
 * subscription is refused.
 */
public final class ChannelAuthorizers implements ChannelAuthorizer {
  private final TokenAuthenticator tokens;
  private final ProxySubscriptions proxy;

  public ChannelAuthorizers(TokenAuthenticator tokens, ProxySettings settings, Clock clock, Executor executor) {
    this.tokens = tokens;
    this.proxy = settings != null && settings.subscribeEnabled()
        ? new ProxySubscriptions(settings, clock, executor, Ticker.systemTicker()) : null;
  }

  @Override
  public CompletionStage<Void> authorize(UserId user, String channel, String token) {
    if (token != null) {
      if (tokens == null) {
        return refused("subscription tokens need jwt keys (jwt.secret, jwt.public_key or jwt.jwks_url)");
      }
      return tokens.verifySubscription(user, channel, token);
    }
    if (proxy != null) {
      return proxy.authorize(user, channel);
    }
    return refused("not allowed to join " + channel);
  }

  @Override
  public void close() {
    if (tokens != null) {
      tokens.close();
    }
  }

  private static CompletionStage<Void> refused(String message) {
    return CompletableFuture.failedFuture(new AuthException(AuthException.Reason.REFUSED, message));
  }

  /** {@code auth.proxy.subscribe_url}: POST {@code {"user_id","channel"}}; 200 allows, 401/403 refuses. */
  static final class ProxySubscriptions {
    private record Key(UserId user, String channel) {
    }

    private final ProxySettings settings;
    private final ProxyClient client;
    private final ProxyAnswers<Key> answers;

    ProxySubscriptions(ProxySettings settings, Clock clock, Executor executor, Ticker ticker) {
      this.settings = settings;
      this.client = new ProxyClient(settings, executor);
      this.answers = new ProxyAnswers<>(settings, clock, executor, ticker,
          "the subscribe is answered error unavailable");
    }

    CompletionStage<Void> authorize(UserId user, String channel) {
      return answers.<Boolean>get(new Key(user, channel), () -> ask(user, channel)).thenApply(x -> null);
    }

    private CompletionStage<ProxyAnswers.Outcome<Boolean>> ask(UserId user, String channel) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("user_id", user.json());
      body.put("channel", channel);
      return client.post(settings.subscribeUrl(), body).thenApply(answer -> {
        int status = answer.status();
        if (status == 200) {
          return new ProxyAnswers.Outcome<>(Boolean.TRUE, null, null);
        }
        if (status == 401 || status == 403) {
          return new ProxyAnswers.Outcome<>(null, new AuthException(AuthException.Reason.REFUSED,
              "the application does not allow joining " + channel + reason(answer.json())), null);
        }
        throw new CompletionException(new AuthUnavailableException("auth proxy " + settings.subscribeUrl()
            + " answered HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "")));
      });
    }

    /** The application's own short reason ({@code {"error": "…"}}), up to 100 characters. */
    private static String reason(JsonNode json) {
      if (json == null || !json.path("error").isTextual()) {
        return "";
      }
      String text = json.path("error").textValue().replaceAll("\\p{Cntrl}", " ");
      return ": " + (text.length() > 100 ? text.substring(0, 100) : text);
    }
  }
}
