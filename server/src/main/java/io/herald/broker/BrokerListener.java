package io.herald.broker;

import java.util.Collection;

/**
 * The hub, as a broker sees it. Implemented by the hub; every method is thread-safe and
 * non-blocking, so a broker may call it from its own I/O threads.
 */
public interface BrokerListener {

  /**
   * A message that another node published. Called on a broker thread; it must not block. The
   * payload is the complete JSON text frame, serialized once by the publishing node; type and
   * payload are null for {@link Route.Disconnect}.
   */
  void onMessage(Route route, String type, byte[] payload);

  /** Users with at least one connection on this node: a live, weakly consistent view. */
  Collection<String> localUsers();

  /** Channels with at least one subscriber on this node: a live, weakly consistent view. */
  Collection<String> localChannels();

  /** Whether the user has a connection on this node. */
  boolean isLocal(String userId);
}
