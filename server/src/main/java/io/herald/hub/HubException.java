package io.herald.hub;

import io.herald.protocol.ErrorCode;

/** A client request the hub refuses; the transport renders it as an {@code error} frame. */
public final class HubException extends RuntimeException {
  private final ErrorCode code;

  public HubException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
