package io.herald.transport;

import io.herald.admin.AdminApi;
import io.herald.admin.Inspector;
import io.herald.auth.Authenticator;
import io.herald.config.ServerConfig;
import io.herald.hub.Hub;
import io.herald.metrics.Metrics;
import io.herald.pusher.PusherApi;
import io.herald.pusher.PusherContext;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** The transport as the server assembles it: Netty event loops, the ports, and what they serve. */
public final class Transport implements AutoCloseable {
  private final WsServer server;
  private final TransportContext context;
  private final AtomicReference<SslContext> tls;

  /** Throws {@link io.herald.config.ConfigException} when the TLS files do not make a context. */
  public Transport(ServerConfig config, Hub hub, Supplier<Authenticator> authenticator, AdminApi admin,
                   Inspector inspector, Metrics metrics, Supplier<Map<String, Object>> health, Supplier<Boolean> ready,
                   Clock clock, PusherContext pusher) {
    this.tls = new AtomicReference<>(TlsContexts.forServer(config.tls()));
    this.server = new WsServer(config, hub);
    this.context = new TransportContext(hub, authenticator, admin, inspector, metrics,
        new AtomicReference<>(WsSettings.from(config)), server.writers(), server.sweeps(), new StaticPages(), health, ready, clock,
        new AccessGuard(config.guard(), metrics),
        pusher, pusher == null ? null : new PusherApi(pusher));
    for (String type : Metrics.FRAME_OUT_TYPES) {
      int i = Metrics.frameOutIndex(type);
      metrics.counter("herald_frames_out", "Frames queued to connections (deliveries), by type", "type", type,
          server.writers(), writers -> writers.values().stream().mapToLong(w -> w.framesOut[i]).sum());
    }
    metrics.counter("herald_socket_flushes", "Connection flushes (one write system call or io_uring submission each, at most)",
        server.writers(), writers -> writers.values().stream().mapToLong(w -> w.flushes).sum());
    metrics.info("herald_transport", "The socket layer in use (transport key)", "transport", server.transport());
  }

  /** The socket layer in use: io_uring, epoll or nio. */
  public String transport() {
    return server.transport();
  }

  public void bind() {
    server.bind(context, tls::get);
  }

  /**
   * Applies a reloaded configuration to new connections: limits, heartbeat (and the pace of the
   * heartbeat sweep) and the TLS certificate. Open connections keep what they started with. Throws before changing anything
   * when the TLS files do not make a context.
   */
  public void reload(ServerConfig config) {
    SslContext next = TlsContexts.forServer(config.tls());
    tls.set(next);
    context.liveSettings().set(WsSettings.from(config));
    server.sweepFor(config);
    context.guard().reload(config.guard());
  }

  /** Whether new connections are served over TLS. */
  public boolean tls() {
    return tls.get() != null;
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
