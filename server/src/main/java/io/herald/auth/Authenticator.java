package io.herald.auth;

import java.util.concurrent.CompletionStage;

/**
 * Checks who is connecting. Called on a transport event loop once per WebSocket upgrade; an
 * implementation must not block it: work that needs I/O (fetching a JWKS) runs on its own
 * executor and completes the stage there. A failed stage carries an {@link AuthException} (refused)
 * or an {@link AuthUnavailableException} (could not be checked now).
 *
 * <p>Built from the configuration and replaced as a whole on reload; the server then calls
 * {@link #close()} on the one it replaced, and on the running one when it stops.
 */
public interface Authenticator extends AutoCloseable {

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

  /**
   * Releases what this authenticator holds (the JWKS refresh thread). Called once it takes no new
   * checks, on the thread that reloads or stops the server; checks it has begun must still complete
   * (or fail with one of the exceptions above), and it may be called more than once, as parts are
   * shared (one token authenticator checks both connection and subscription tokens). Nothing by
   * default.
   */
  @Override
  default void close() {
  }
}
