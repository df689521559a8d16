package io.herald.pusher;

import io.herald.config.ServerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The configured Pusher apps, found by key (WebSocket URL) or id (HTTP API path). */
public final class Apps {
  private final Map<String, ServerConfig.PusherApp> byKey = new HashMap<>();
  private final Map<String, ServerConfig.PusherApp> byId = new HashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> connections = new HashMap<>();

  public Apps(Iterable<ServerConfig.PusherApp> apps) {
    for (ServerConfig.PusherApp a : apps) {
      byKey.put(a.key(), a);
      byId.put(a.id(), a);
      connections.put(a.id(), new java.util.concurrent.atomic.AtomicInteger());
    }
  }

  public Optional<ServerConfig.PusherApp> byKey(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  public Optional<ServerConfig.PusherApp> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Open connections of the app on this node. */
  public int connections(ServerConfig.PusherApp app) {
    return connections.get(app.id()).get();
  }

  void opened(ServerConfig.PusherApp app) {
    connections.get(app.id()).incrementAndGet();
  }

  void closed(ServerConfig.PusherApp app) {
    connections.get(app.id()).decrementAndGet();
  }

  public boolean isEmpty() {
    return byId.isEmpty();
  }
}
