package io.herald.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.herald.hub.UserId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Authentication through the application ({@code auth.proxy.connect_url}): Herald POSTs
 * {@code {"token","user_id","remote_addr"}} and the application answers. {@code 200}
 * {@code {"user_id", "channels"?, "expires_at"?}} accepts; {@code 401}/{@code 403} refuses (close
 * 4001); anything else, no answer in time, or a 200 whose body is not that shape fails with
 * {@link AuthUnavailableException} (close 1013, try again later). Answers are cached per token and
 * {@code user_id} parameter ({@link ProxyAnswers}); the call runs on {@code executor}, never on an
 * event loop.
 */
public final class ProxyAuthenticator implements Authenticator {
  /** How long a channel glob or user id in the answer may be; longer answers are garbage. */
  private static final int MAX_GLOBS = 1000;

  private record Key(String token, String userIdParam) {
  }

  private final ProxySettings settings;
  private final ProxyClient client;
  private final ProxyAnswers<Key> answers;
  private final Clock clock;

  public ProxyAuthenticator(ProxySettings settings, Clock clock, Executor executor) {
    this(settings, clock, executor, Ticker.systemTicker());
  }

  ProxyAuthenticator(ProxySettings settings, Clock clock, Executor executor, Ticker ticker) {
    this.settings = settings;
    this.clock = clock;
    this.client = new ProxyClient(settings, executor);
    this.answers = new ProxyAnswers<>(settings, clock, executor, ticker,
        "the connection is closed with 1013 (try again later)");
  }

  @Override
  public CompletionStage<Principal> authenticate(String userIdParam, String token) {
    return authenticate(userIdParam, token, null);
  }

  @Override
  public CompletionStage<Principal> authenticate(String userIdParam, String token, String remoteAddress) {
    if (token == null || token.isBlank()) {
      return CompletableFuture.failedFuture(new AuthException(AuthException.Reason.MISSING_TOKEN, "token is missing"));
    }
    String param = userIdParam == null || userIdParam.isEmpty() ? null : userIdParam;
    return answers.<Principal>get(new Key(token, param), () -> ask(param, token, remoteAddress))
        .thenApply(this::stillValid);
  }

  private CompletionStage<ProxyAnswers.Outcome<Principal>> ask(String userIdParam, String token, String remote) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", token);
    body.put("user_id", userIdParam == null ? null : UserId.parse(userIdParam).map(UserId::json).orElse(userIdParam));
    body.put("remote_addr", remote);
    return client.post(settings.connectUrl(), body).thenApply(answer -> {
      try {
        return outcome(answer, userIdParam);
      } catch (AuthUnavailableException e) {
        throw new CompletionException(e);
      }
    });
  }

  private ProxyAnswers.Outcome<Principal> outcome(ProxyClient.Answer answer, String userIdParam)
      throws AuthUnavailableException {
    int status = answer.status();
    if (status == 401 || status == 403) {
      return new ProxyAnswers.Outcome<>(null, new AuthException(AuthException.Reason.REFUSED,
          "the application refused the token"), null);
    }
    if (status != 200) {
      throw new AuthUnavailableException("auth proxy " + settings.connectUrl() + " answered HTTP " + status
          + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
    }
    Principal principal = principal(answer.json());
    if (userIdParam != null && !UserId.parse(userIdParam).map(principal.userId()::equals).orElse(false)) {
      return new ProxyAnswers.Outcome<>(null, new AuthException(AuthException.Reason.WRONG_USER,
          "user_id does not match the user the application named"), null);
    }
    return new ProxyAnswers.Outcome<>(principal, null, principal.expiresAt());
  }

  /** Reads {@code {"user_id", "channels"?, "expires_at"?}}; anything else is garbage. */
  private Principal principal(JsonNode json) throws AuthUnavailableException {
    if (json == null) {
      throw garbage("the body is not a JSON object");
    }
    Optional<UserId> user = UserId.fromJson(json.get("user_id"));
    if (user.isEmpty()) {
      throw garbage("user_id must be a non-negative integer or a non-empty string of at most "
          + UserId.MAX_LENGTH + " characters");
    }
    List<String> globs = new ArrayList<>();
    JsonNode channels = json.get("channels");
    if (channels != null && !channels.isNull()) {
      if (!channels.isArray() || channels.size() > MAX_GLOBS) {
        throw garbage("channels must be an array of at most " + MAX_GLOBS + " strings");
      }
      for (JsonNode c : channels) {
        if (!c.isTextual()) {
          throw garbage("channels must hold strings only");
        }
        globs.add(c.textValue());
      }
    }
    JsonNode exp = json.get("expires_at");
    Instant expiresAt = null;
    if (exp != null && !exp.isNull()) {
      if (!exp.isNumber() || exp.asDouble() <= 0) {
        throw garbage("expires_at must be a positive Unix time in seconds");
      }
      expiresAt = Instant.ofEpochSecond(exp.asLong());
    }
    return new Principal(user.get(), globs, expiresAt);
  }

  private AuthUnavailableException garbage(String why) {
    return new AuthUnavailableException("auth proxy " + settings.connectUrl() + " answered 200 with an unusable body: "
        + why);
  }

  private Principal stillValid(Principal p) {
    if (p.expiresAt() != null && !clock.instant().isBefore(p.expiresAt())) {
      throw new CompletionException(new AuthException(AuthException.Reason.EXPIRED,
          "the application's answer has expired"));
    }
    return p;
  }
}
