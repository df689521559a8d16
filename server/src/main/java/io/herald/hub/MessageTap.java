package io.herald.hub;

import io.herald.broker.Route;
import io.herald.protocol.Message;

/**
 * Sees every message this node delivers (published here, or arriving from another node), after
 * its local delivery was queued: the admin inspector. Called on the publishing thread (an event
 * loop, an admin request's thread or a broker thread), so it must be quick and must not block.
 */
public interface MessageTap {
  /** {@code local} is what this node queued: users (-1 when not counted) and connections. */
  void delivered(Route route, Message message, Delivery local);
}
