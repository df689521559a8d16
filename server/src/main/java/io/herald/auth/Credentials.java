package io.herald.auth;

import java.util.List;
import java.util.Map;

/**
 * The credentials of a WebSocket upgrade: {@code user_id} and {@code token} from the query string
 * (the token may also come as {@code Authorization: Bearer}). A parameter given more than once is
 * refused as ambiguous: which of two tokens or user ids is meant must never be a guess.
 *
 * @param userId the {@code user_id} parameter, or null
 * @param token the token from the query or the bearer header, or null
 */
public record Credentials(String userId, String token) {

  /**
   * @param query the decoded query parameters, each with every value it was given
   * @param bearerToken the token of an {@code Authorization: Bearer} header, or null; used when
   *     the query has none
   * @throws AuthException when {@code user_id} or {@code token} is repeated
   */
  public static Credentials from(Map<String, List<String>> query, String bearerToken) throws AuthException {
    String userId = single(query, "user_id");
    String token = single(query, "token");
    return new Credentials(userId, token != null ? token : bearerToken);
  }

  private static String single(Map<String, List<String>> query, String name) throws AuthException {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new AuthException(AuthException.Reason.AMBIGUOUS,
          name + " is given " + values.size() + " times; give it once");
    }
    return values.get(0);
  }
}
