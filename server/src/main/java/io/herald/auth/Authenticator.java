package io.herald.auth;

import java.util.concurrent.CompletionStage;

/**
 * Checks who is connecting. Called on a transport event loop once per WebSocket upgrade; an
 * implementation must not block it: work that needs I/O (fetching a JWKS) runs on its own
 * executor and completes the stage there. A failed stage carries an {@link AuthException} (refused)
 * or an {@link AuthUnavailableException} (could not be checked now).
 */
public interface Authenticator {

  /**
   * @param userIdParam the {@code user_id} query parameter, or null
   * @param token the token from the query or the {@code Authorization: Bearer} header, or null
   */
  CompletionStage<Principal> authenticate(String userIdParam, String token);

  /**
   * As {@link #authenticate(String, String)}, knowing the client's address (the auth proxy passes
   * it to the application). A stage failed with {@link AuthUnavailableException} means "could not
   * check now": the client is told to retry later, not that its token is bad.
   */
  default CompletionStage<Principal> authenticate(String userIdParam, String token, String remoteAddress) {
    return authenticate(userIdParam, token);
  }

  /**
   * Decides the {@code private-} subscriptions a connection's own credentials do not grant
   * (subscription tokens, the auth proxy's subscribe URL); none by default.
   */
  default ChannelAuthorizer channels() {
    return ChannelAuthorizer.NONE;
  }
}
