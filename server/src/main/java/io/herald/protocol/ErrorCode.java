package io.herald.protocol;

/** The {@code data.code} values of {@code {"type":"error"}} frames. The connection stays open. */
public enum ErrorCode {
  INVALID_JSON("invalid_json"),
  INVALID_MESSAGE("invalid_message"),
  UNKNOWN_TYPE("unknown_type"),
  MISSING_FIELD("missing_field"),
  INVALID_FIELD("invalid_field"),
  INVALID_CHANNEL("invalid_channel"),
  FORBIDDEN("forbidden"),
  INVALID_TOKEN("invalid_token"),
  TOO_MANY_CHANNELS("too_many_channels"),
  RATE_LIMITED("rate_limited"),
  UNSUPPORTED_FRAME("unsupported_frame"),
  UNAVAILABLE("unavailable"),
  INTERNAL("internal_error");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
