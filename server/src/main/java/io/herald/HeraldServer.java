package io.herald;

import io.herald.admin.AdminApi;
import io.herald.auth.Authenticator;
import io.herald.auth.JwtSettings;
import io.herald.auth.PemKeys;
import io.herald.auth.TokenAuthenticator;
import io.herald.auth.TrustingAuthenticator;
import io.herald.broker.Broker;
import io.herald.broker.InMemoryBroker;
import io.herald.config.ServerConfig;
import io.herald.hub.Hub;
import io.herald.hub.HubSettings;
import io.herald.hub.PushService;
import io.herald.metrics.Metrics;
import io.herald.protocol.CloseCode;
import io.herald.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Herald server: the entry point for embedding. {@code HeraldServer.start(config)}
 * binds the port and returns; {@link #service()} pushes to users and channels; {@link #close()}
 * tells every client to reconnect elsewhere (1001) and stops.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder().set("port", 5200).set("jwt.secret", secret).build();
 * try (HeraldServer herald = HeraldServer.start(config)) {
 *   herald.service().sendToUser(UserId.of(42), "notification", Map.of("title", "Hello"));
 * }
 * }</pre>
 */
public final class HeraldServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeraldServer.class);

  private final ServerConfig config;
  private final Hub hub;
  private final Metrics metrics;
  private final Transport transport;
  private final ExecutorService authExecutor;
  private final Instant startedAt;
  private volatile boolean draining;

  private HeraldServer(ServerConfig config, Broker broker, Clock clock) {
    this.config = config;
    this.startedAt = clock.instant();
    this.metrics = new Metrics();
    this.hub = new Hub(new HubSettings(config.limits().maxChannelsPerConnection(), config.limits().clientBroadcast()),
        broker, clock);
    this.authExecutor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "herald-auth");
      t.setDaemon(true);
      return t;
    });
    Authenticator authenticator = authenticator(config, clock, authExecutor);
    AdminApi admin = new AdminApi(hub, () -> config.api().key(), config.api().maxUserIds(), metrics);
    hub.start();
    metrics.bind(hub);
    this.transport = new Transport(config, hub, () -> authenticator, admin, metrics, this::health,
        () -> !draining && hub.broker().healthy(), clock);
  }

  /** Starts a server with the in-memory broker (single node). */
  public static HeraldServer start(ServerConfig config) {
    return start(config, new InMemoryBroker(), Clock.systemUTC());
  }

  /** Starts a server on the given broker and clock. */
  public static HeraldServer start(ServerConfig config, Broker broker, Clock clock) {
    HeraldServer server = new HeraldServer(config, broker, clock);
    try {
      server.transport.bind();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    if (config.auth().mode() == ServerConfig.AuthMode.NONE) {
      log.warn("auth.mode is none: any client can connect as any user_id. Never run this in production.");
    }
    if (config.auth().jwtSecret() != null && config.auth().jwtSecret().length < 32) {
      log.warn("jwt.secret is shorter than 32 bytes; HS256 wants at least 256 bits of secret");
    }
    return server;
  }

  static Authenticator authenticator(ServerConfig config, Clock clock, ExecutorService executor) {
    ServerConfig.Auth a = config.auth();
    if (a.mode() == ServerConfig.AuthMode.NONE) {
      return new TrustingAuthenticator();
    }
    JwtSettings jwt = new JwtSettings(a.jwtSecret(),
        a.publicKeyPem() == null ? null : PemKeys.parsePublicKey(a.publicKeyPem()),
        a.jwksUrl(), a.issuer(), a.audience(), a.clockSkew());
    return new TokenAuthenticator(jwt, clock, executor);
  }

  /** The push API (the same one the admin HTTP API uses). */
  public PushService service() {
    return hub;
  }

  public Hub hub() {
    return hub;
  }

  public Metrics metrics() {
    return metrics;
  }

  public ServerConfig config() {
    return config;
  }

  /** The bound WebSocket port (useful with port 0). */
  public int port() {
    return transport.port();
  }

  /** The bound admin API port: the main port unless {@code api.port} is set. */
  public int apiPort() {
    return transport.apiPort();
  }

  public Duration uptime() {
    return Duration.between(startedAt, Instant.now());
  }

  private Map<String, Object> health() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", hub.broker().healthy() ? "up" : "degraded");
    h.put("node_id", config.cluster().nodeId());
    h.put("version", Version.current());
    h.put("uptime_seconds", uptime().toSeconds());
    h.put("connections", hub.connectionCount());
    h.put("users", hub.localUserCount());
    h.put("broker", Map.of("kind", hub.broker().kind(), "healthy", hub.broker().healthy()));
    h.put("draining", draining);
    return h;
  }

  /** Stops accepting, closes every connection with 1001 (reconnect elsewhere), then stops. */
  @Override
  public void close() {
    draining = true;
    if (transport != null) {
      transport.stopAccepting();
      hub.closeAll(CloseCode.GOING_AWAY);
      transport.close();
    }
    hub.broker().close();
    authExecutor.shutdownNow();
    metrics.close();
  }
}
