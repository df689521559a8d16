package io.herald.auth;

import io.herald.hub.UserId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides a {@code private-} subscription that the connection's own credentials (its token's
 * {@code channels} claim) do not allow. Called on the session's event loop; an implementation that
 * needs I/O (the auth proxy) runs it on its own executor. The stage completes normally when the
 * subscription is allowed; it fails with {@link AuthException} when it is refused ({@code error}
 * {@code forbidden}) and with {@link AuthUnavailableException} when it cannot be decided now
 * ({@code error} {@code unavailable}; the client may try again).
 */
public interface ChannelAuthorizer extends AutoCloseable {
  ChannelAuthorizer NONE = (user, channel, token) -> CompletableFuture.failedFuture(
      new AuthException(AuthException.Reason.REFUSED, "not allowed to join " + channel));

  /**
   * @param token the subscription token sent with this {@code subscribe}, or null
   */
  CompletionStage<Void> authorize(UserId user, String channel, String token);

  /** As {@link Authenticator#close()}: releases what this holds; idempotent; nothing by default. */
  @Override
  default void close() {
  }
}
