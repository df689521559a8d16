package io.herald.pusher;

import io.herald.protocol.Message;

/**
 * The network side of one Pusher connection, as {@link PusherSession} writes to it. Every method
 * is called on the connection's event loop and must not block; flushes are coalesced per loop.
 */
public interface PusherWire {

  /** Joins the hub as {@code s}, whose connection is this wire's. */
  void join(io.herald.hub.Session s);

  /** Queues a frame made for this connection alone (a reply). */
  void write(byte[] json);

  /**
   * Queues a hub message's Pusher frame, encoded once for all recipients. False when the
   * connection is closing or was just closed for being too slow.
   */
  boolean write(Message m);

  /** Sends a close frame with the code and closes. Idempotent. */
  void close(int code, String reason);
}
