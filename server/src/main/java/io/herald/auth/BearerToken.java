package io.herald.auth;

/** Reads {@code Authorization: Bearer <token>} headers: the WebSocket upgrade and the admin API share it. */
public final class BearerToken {
  private static final String SCHEME = "Bearer ";

  private BearerToken() {
  }

  /** The token of a Bearer {@code Authorization} header (scheme case-insensitive, trimmed), or null. */
  public static String from(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    return authorization.substring(SCHEME.length()).trim();
  }
}
