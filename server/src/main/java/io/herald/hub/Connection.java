package io.herald.hub;

import io.herald.protocol.Message;
import io.herald.protocol.CloseCode;

/** The transport side of one connection. Implemented by the transport; the hub holds one per session. */
public interface Connection {

  /**
   * Queues a frame for this connection. Called only on the session's lane thread. Must not block;
   * flushes may be coalesced until the end of the lane's current work. Returns false when the
   * connection is closed or was just closed for being too slow to keep up.
   */
  boolean send(Message message);

  /** Closes the connection with the code. Any thread; idempotent. */
  void close(CloseCode code);
}
