package io.herald.pusher;

import io.herald.protocol.CloseCode;

/**
 * The Pusher protocol's close codes and how Herald's own reasons map to them, chosen for how
 * pusher-js reacts: 4000–4099 it stops, 4100–4199 it reconnects after a backoff, 4200–4299 it
 * reconnects at once.
 */
public final class CloseCodes {
  public static final int APP_NOT_FOUND = 4001;
  public static final int APP_DISABLED = 4003;
  public static final int OVER_CONNECTION_QUOTA = 4004;
  public static final int UNSUPPORTED_PROTOCOL = 4007;
  public static final int NO_PROTOCOL = 4008;
  public static final int UNAUTHORIZED = 4009;
  public static final int OVER_CAPACITY = 4100;
  public static final int RECONNECT = 4200;
  public static final int PONG_TIMEOUT = 4201;
  public static final int CLIENT_EVENT_RATE = 4301;
  public static final int WATCHLIST_LIMIT = 4302;

  private CloseCodes() {
  }

  /** The Pusher code for a close the hub or the server asks for. */
  public static int of(CloseCode code) {
    return switch (code) {
      case GOING_AWAY -> RECONNECT;          // draining: come back at once (to another node)
      case HEARTBEAT_TIMEOUT -> PONG_TIMEOUT;
      case KICKED, UNAUTHORIZED -> UNAUTHORIZED;
      case POLICY -> OVER_CAPACITY;           // too slow / flooding: reconnect after a backoff
      case TOO_BIG -> CloseCode.TOO_BIG.code();
      default -> RECONNECT;
    };
  }
}
