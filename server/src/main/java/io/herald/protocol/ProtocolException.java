package io.herald.protocol;

/** A client frame Herald cannot act on. Rendered as an {@code error} frame; the connection stays open. */
public final class ProtocolException extends RuntimeException {
  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
