package io.herald.auth;

import io.herald.hub.UserId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code auth.mode: none}: believes the {@code user_id} parameter, for local development only.
 * Private channels stay closed.
 */
public final class TrustingAuthenticator implements Authenticator {
  @Override
  public CompletionStage<Principal> authenticate(String userIdParam, String token) {
    Optional<UserId> id = UserId.parse(userIdParam);
    if (id.isEmpty()) {
      return CompletableFuture.failedFuture(new AuthException(AuthException.Reason.WRONG_USER,
          "user_id parameter is required when auth.mode is none"));
    }
    return CompletableFuture.completedFuture(new Principal(id.get(), List.of()));
  }
}
