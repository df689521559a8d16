package io.herald.auth;

import io.herald.util.Failures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code auth.proxy.jwt_first}: a token that verifies as a JWT (Herald's keys) is accepted without
 * asking the application; any other token (opaque, or a JWT Herald cannot verify) goes to the
 * application through the auth proxy. Lets JWT-holding clients and session-token clients share one
 * Herald, and keeps the application out of the path for the former.
 */
public final class JwtThenProxy implements Authenticator {
  private final TokenAuthenticator jwt;
  private final ProxyAuthenticator proxy;

  public JwtThenProxy(TokenAuthenticator jwt, ProxyAuthenticator proxy) {
    this.jwt = jwt;
    this.proxy = proxy;
  }

  @Override
  public CompletionStage<Principal> authenticate(String userIdParam, String token) {
    return authenticate(userIdParam, token, null);
  }

  @Override
  public CompletionStage<Principal> authenticate(String userIdParam, String token, String remoteAddress) {
    return jwt.authenticate(userIdParam, token).handle((principal, err) -> {
      if (err == null) {
        return CompletableFuture.completedFuture(principal);
      }
      if (Failures.cause(err) instanceof AuthException) {
        return proxy.authenticate(userIdParam, token, remoteAddress);
      }
      return CompletableFuture.<Principal>failedFuture(Failures.cause(err));
    }).thenCompose(stage -> stage);
  }
}
