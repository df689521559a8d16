package io.herald.protocol;

/**
 * WebSocket close codes Herald sends (and the two it only records, 1005 and 1006). 4001 and 4002 are terminal: a client must not reconnect
 * (with the same token). 4003, 4008 and 1001 mean "reconnect with backoff". Listed the same way
 * in docs/protocol.md and in the JS client.
 */
public enum CloseCode {
  NORMAL(1000, "normal closure"),
  GOING_AWAY(1001, "server shutting down"),
  PROTOCOL_ERROR(1002, "protocol error"),
  INVALID_PAYLOAD(1007, "invalid UTF-8"),
  TOO_BIG(1009, "frame too big"),
  INTERNAL_ERROR(1011, "internal error"),
  UNAUTHORIZED(4001, "unauthorized"),
  KICKED(4002, "disconnected by administrator"),
  HEARTBEAT_TIMEOUT(4003, "heartbeat timeout"),
  POLICY(4008, "policy violation"),
  /** Never sent: what a close frame without a status code counts as (RFC 6455 §7.1.5). */
  NO_STATUS(1005, "no status received"),
  /** Never sent: what a connection that ended without a close frame counts as (RFC 6455 §7.1.5). */
  ABNORMAL(1006, "closed without a close frame");

  private final int code;
  private final String reason;

  CloseCode(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  public int code() {
    return code;
  }

  /** Default reason text sent in the close frame. */
  public String reason() {
    return reason;
  }

  /**
   * Whether a close frame may carry {@code code} (RFC 6455 §7.4): 1000-1003 and 1007-1014 (IANA
   * registered), 3000-4999 (libraries and applications). 1004-1006 and 1015 are reserved, never
   * sent; everything else is undefined. Autobahn's cases 7.9.x check the same list.
   */
  public static boolean validOnTheWire(int code) {
    return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
  }

  /** True when the client must not reconnect (with the same credentials). */
  public boolean terminal() {
    return this == UNAUTHORIZED || this == KICKED;
  }
}
