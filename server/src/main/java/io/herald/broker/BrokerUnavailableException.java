package io.herald.broker;

/**
 * A broker cannot reach its engine right now, so a cross-node operation was not carried out. The
 * hub has already delivered to this node's connections; the admin API answers 503 and a
 * WebSocket sender gets an {@code unavailable} error frame. Callers may retry later.
 */
public final class BrokerUnavailableException extends IllegalStateException {

  public BrokerUnavailableException(String message) {
    super(message);
  }

  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
