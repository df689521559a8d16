package io.herald.transport;

import io.herald.admin.AdminApi;
import io.herald.auth.Authenticator;
import io.herald.config.ServerConfig;
import io.herald.hub.Hub;
import io.herald.metrics.Metrics;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/** The transport as the server assembles it: Netty event loops, the ports, and what they serve. */
public final class Transport implements AutoCloseable {
  private final WsServer server;
  private final TransportContext context;

  public Transport(ServerConfig config, Hub hub, Supplier<Authenticator> authenticator, AdminApi admin,
                   Metrics metrics, Supplier<Map<String, Object>> health, Supplier<Boolean> ready, Clock clock) {
    this.server = new WsServer(config, hub);
    this.context = new TransportContext(hub, authenticator, admin, metrics, WsSettings.from(config),
        server.writers(), new StaticPages(), health, ready, clock);
    metrics.counter("herald_frames_out", "Frames queued to connections", server.writers(),
        writers -> writers.values().stream().mapToLong(w -> w.framesOut).sum());
  }

  public void bind() {
    server.bind(context);
  }

  public int port() {
    return server.port();
  }

  public int apiPort() {
    return server.apiPort();
  }

  public void stopAccepting() {
    server.stopAccepting();
  }

  @Override
  public void close() {
    server.close();
  }
}
