package io.herald.auth;

/** A connection attempt that is refused; the transport closes it with 4001. */
public final class AuthException extends Exception {

  /** Why, as a short label for metrics and logs (never the token itself). */
  public enum Reason {
    MISSING_TOKEN("missing_token"),
    MALFORMED("malformed"),
    AMBIGUOUS("ambiguous"),
    UNSUPPORTED_ALGORITHM("unsupported_algorithm"),
    BAD_SIGNATURE("bad_signature"),
    EXPIRED("expired"),
    NOT_YET_VALID("not_yet_valid"),
    MISSING_SUBJECT("missing_subject"),
    WRONG_USER("wrong_user"),
    BAD_ISSUER("bad_issuer"),
    BAD_AUDIENCE("bad_audience"),
    KEY_UNAVAILABLE("key_unavailable");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Reason reason;

  public AuthException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
