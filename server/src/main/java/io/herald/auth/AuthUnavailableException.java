package io.herald.auth;

/**
 * Credentials could not be checked right now (the application behind the auth proxy is down,
 * slow, or answered something unusable; the JWKS of {@code jwt.jwks_url} cannot be fetched). Not
 * the client's fault: the transport closes with 1013
 * (try again later) instead of 4001, and a subscribe gets {@code error} {@code unavailable}.
 */
public final class AuthUnavailableException extends Exception {
  public AuthUnavailableException(String message) {
    super(message, null, false, false);
  }
}
