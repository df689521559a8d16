package io.herald.auth;

import io.herald.util.Failures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code auth.proxy.jwt_first}: a token that verifies as a JWT (Herald's keys) is accepted without
 * asking the application; any other token (opaque, or a JWT Herald cannot verify) goes to the
 * application through the auth proxy (also while the JWKS cannot be fetched, but then a refusal
 * becomes "try again later"). Lets JWT-holding clients and session-token clients share one
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
      Throwable cause = Failures.cause(err);
      if (cause instanceof AuthException) {
        return proxy.authenticate(userIdParam, token, remoteAddress);
      }
      if (cause instanceof AuthUnavailableException) {
        return askWhileJwksIsDown(userIdParam, token, remoteAddress, cause);
      }
      return CompletableFuture.<Principal>failedFuture(cause);
    }).thenCompose(stage -> stage);
  }

  @Override
  public void close() {
    jwt.close();
    proxy.close();
  }

  /**
   * The JWKS cannot be fetched, so the token may be a good JWT: the application may accept it,
   * but its refusal must not close with 4001 a client whose token the JWKS would accept; that
   * client hears "try again later" (the JWKS failure) instead.
   */
  private CompletionStage<Principal> askWhileJwksIsDown(String userIdParam, String token, String remoteAddress,
                                                        Throwable jwksDown) {
    return proxy.authenticate(userIdParam, token, remoteAddress).handle((principal, err) -> {
      if (err == null) {
        return principal;
      }
      throw new CompletionException(Failures.cause(err) instanceof AuthException ? jwksDown : Failures.cause(err));
    });
  }
}
