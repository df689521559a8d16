package io.herald;

import io.herald.admin.AdminApi;
import io.herald.admin.DashboardEndpoints;
import io.herald.admin.Inspector;
import io.herald.auth.Authenticator;
import io.herald.auth.ChannelAuthorizers;
import io.herald.auth.Gatekeeper;
import io.herald.auth.JwtThenProxy;
import io.herald.auth.ProxyAuthenticator;
import io.herald.auth.ProxySettings;
import io.herald.auth.JwtSettings;
import io.herald.auth.PemKeys;
import io.herald.auth.TokenAuthenticator;
import io.herald.auth.TrustingAuthenticator;
import io.herald.broker.Broker;
import io.herald.broker.InMemoryBroker;
import io.herald.broker.redis.RedisBroker;
import io.herald.broker.redis.RedisSettings;
import io.herald.config.Reloading;
import io.herald.config.ServerConfig;
import io.herald.hub.Hub;
import io.herald.hub.HubSettings;
import io.herald.hub.PushService;
import io.herald.metrics.Metrics;
import io.herald.protocol.CloseCode;
import io.herald.pusher.PusherContext;
import io.herald.stats.NodeIdentity;
import io.herald.stats.StatsRecorder;
import io.herald.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Herald server: the entry point for embedding. {@code HeraldServer.start(config)}
 * binds the port and returns; {@link #service()} pushes to users and channels; {@link #reload}
 * applies a new configuration without dropping a connection; {@link #close()} drains: it tells
 * every client to reconnect elsewhere (1001) after what is already queued for it, and stops.
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

  private static final long DRAIN_POLL_MILLIS = 10;

  // What a reload may swap; everything that serves a request reads through these.
  private final AtomicReference<ServerConfig> config;
  private final AtomicReference<Authenticator> authenticator;
  private final Hub hub;
  private final Stores stores;
  private final Metrics metrics;
  private final StatsRecorder stats;
  private final Inspector inspector;
  private final Transport transport;
  private PusherContext pusher;
  private final ExecutorService authExecutor;
  private final Clock clock;
  private final Instant startedAt;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger reloads = new AtomicInteger();
  private volatile boolean lastReloadOk = true;
  /** Whether SIGHUP reaches {@link #reload} (set by the start command; false when embedded). */
  private volatile boolean reloadBySignal;
  private volatile boolean draining;

  private HeraldServer(ServerConfig config, Broker broker, Clock clock) {
    this.config = new AtomicReference<>(config);
    this.clock = clock;
    this.startedAt = clock.instant();
    this.metrics = new Metrics();
    this.stores = Stores.of(config);
    this.hub = new Hub(hubSettings(config), broker, stores.history(), clock);
    this.stats = new StatsRecorder(hub, metrics, new NodeIdentity(config.cluster().nodeId(),
        "", Version.current(), startedAt), clock,
        () -> this.config.get().dashboard().maxChannels());
    this.inspector = new Inspector(hub, () -> this.config.get().dashboard().inspectorWatchers(),
        () -> this.config.get().dashboard().inspectorEventsPerSecond());
    this.authExecutor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "herald-auth");
      t.setDaemon(true);
      return t;
    });
    Transport t = null;
    Authenticator auth = null;
    try {
      auth = authenticator(config, clock, authExecutor);
      this.authenticator = new AtomicReference<>(auth);
      AdminApi admin = new AdminApi(hub, () -> this.config.get().api().key(), config.api().maxUserIds(), metrics,
          stores.history(), stores.idempotency(), config.api().maxBatch());
      new DashboardEndpoints(hub, stats, () -> this.config.get().dashboard().maxChannels(),
          config.cluster().presenceTtl()).registerOn(admin);
      this.pusher = PusherContext.create(config, hub, metrics, clock);
      t = new Transport(config, hub, authenticator::get, admin, inspector, metrics, this::health,
          () -> !draining && hub.broker().healthy(), clock, pusher);
      hub.start();
      metrics.bind(hub);
    } catch (RuntimeException e) {
      if (auth != null) {
        auth.close();
      }
      authExecutor.shutdownNow();
      stats.close();
      metrics.close();
      stores.close();
      if (t != null) {
        t.close();
      }
      throw e;
    }
    this.transport = t;
  }

  private static HubSettings hubSettings(ServerConfig config) {
    return new HubSettings(config.limits().maxChannelsPerConnection(), config.limits().clientBroadcast());
  }

  /**
   * Starts a server: on Redis when {@code redis.url} is set (cluster mode, see docs/cluster.md),
   * else with the in-memory broker (single node). In cluster mode Redis must be reachable now;
   * later outages are survived.
   */
  public static HeraldServer start(ServerConfig config) {
    Broker broker = config.cluster().enabled()
        ? new RedisBroker(RedisSettings.of(config.cluster()))
        : new InMemoryBroker();
    return start(config, broker, Clock.systemUTC());
  }

  /** Starts a server on the given broker and clock. */
  public static HeraldServer start(ServerConfig config, Broker broker, Clock clock) {
    HeraldServer server;
    try {
      server = new HeraldServer(config, broker, clock);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    try {
      server.transport.bind();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    server.stats.start(NodeIdentity.address(config.host(), server.port()));
    if (config.auth().mode() == ServerConfig.AuthMode.NONE) {
      log.warn("auth.mode is none: any client can connect as any user_id. Never run this in production.");
    }
    if (config.guard().allowedOrigins().isEmpty() && !isLoopback(config.host())) {
      log.warn("ws.allowed_origins is empty: web pages of any site can open WebSockets to Herald in their "
          + "visitors' browsers; list your sites' origins (docs/configuration.md#protecting-a-public-endpoint)");
    }
    if (config.auth().jwtSecret() != null && config.auth().jwtSecret().length < 32) {
      log.warn("jwt.secret is shorter than 32 bytes; HS256 wants at least 256 bits of secret");
    }
    return server;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }

  /**
   * Who may connect and join private channels, from the configuration: the auth proxy when
   * {@code auth.proxy.connect_url} is set, else JWTs (or trust, with {@code auth.mode: none});
   * private channels beyond the credentials' own through subscription tokens (JWTs) and
   * {@code auth.proxy.subscribe_url}. I/O (JWKS, the proxy) runs on {@code executor}.
   */
  static Authenticator authenticator(ServerConfig config, Clock clock, ExecutorService executor) {
    ServerConfig.Auth a = config.auth();
    TokenAuthenticator tokens = null;
    if (a.jwtSecret() != null || a.publicKeyPem() != null || a.jwksUrl() != null) {
      JwtSettings jwt = new JwtSettings(a.jwtSecret(),
          a.publicKeyPem() == null ? null : PemKeys.parsePublicKey(a.publicKeyPem()),
          a.jwksUrl(), a.jwksOutageTolerance(), a.issuer(), a.audience(), a.clockSkew());
      tokens = new TokenAuthenticator(jwt, clock, executor);
    }
    ProxySettings proxy = proxySettings(a.proxy());
    Authenticator connections;
    if (proxy.connectEnabled()) {
      ProxyAuthenticator app = new ProxyAuthenticator(proxy, clock, executor);
      connections = a.proxy().jwtFirst() && tokens != null ? new JwtThenProxy(tokens, app) : app;
    } else if (a.mode() == ServerConfig.AuthMode.NONE) {
      connections = new TrustingAuthenticator();
    } else {
      connections = tokens;
    }
    return new Gatekeeper(connections, new ChannelAuthorizers(tokens, proxy, clock, executor));
  }

  private static ProxySettings proxySettings(ServerConfig.AuthProxy p) {
    return new ProxySettings(p.connectUrl(), p.subscribeUrl(), p.timeout(), p.cacheTtl(), p.cacheSize(),
        p.maxBodyBytes(), p.key());
  }

  /** The push API (the same one the admin HTTP API uses). */
  public PushService service() {
    return hub;
  }

  /**
   * The push API under an idempotency key (1–128 printable ASCII characters, as the admin API's
   * {@code Idempotency-Key}): the first push made with the key runs; the same key again within
   * {@code idempotency.ttl} (cluster-wide in cluster mode) sends nothing and completes with the
   * first result. Use one key per logical push, e.g. {@code service("order-7-paid").sendToUser(…)}.
   */
  public PushService service(String idempotencyKey) {
    return new IdempotentService(hub, stores.idempotency(), idempotencyKey);
  }

  public Hub hub() {
    return hub;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** The running configuration (changes with {@link #reload}). */
  public ServerConfig config() {
    return config.get();
  }

  /**
   * Applies a new configuration without dropping a connection: the API key, the JWT keys and
   * settings, limits and heartbeat for new connections, and the TLS certificate for new
   * connections (see {@link Reloading} for the full list). Either everything reloadable changes
   * or, when {@code next} cannot be used (a bad key or certificate), nothing does and this throws.
   *
   * @return the changed keys that wait for a restart, for the caller to report
   */
  public synchronized List<String> reload(ServerConfig next) {
    ServerConfig running = config.get();
    ServerConfig merged = Reloading.merge(running, next);
    try {
      Authenticator auth = authenticator(merged, clock, authExecutor);
      try {
        transport.reload(merged);
      } catch (RuntimeException e) {
        auth.close();
        throw e;
      }
      // Checks the replaced one has begun still complete: closing only stops its JWKS refresh thread.
      authenticator.getAndSet(auth).close();
      hub.settings(hubSettings(merged));
      config.set(merged);
      lastReloadOk = true;
    } catch (RuntimeException e) {
      lastReloadOk = false;
      throw e;
    } finally {
      reloads.incrementAndGet();
    }
    List<String> restart = Reloading.restartNeeded(running, next);
    log.info("configuration reloaded{}", restart.isEmpty() ? "" : "; these wait for a restart: " + restart);
    return restart;
  }

  /** Records whether SIGHUP reaches {@link #reload}; shown in {@code /health} as {@code reloads.signal}. */
  public void reloadBySignal(boolean handled) {
    reloadBySignal = handled;
  }

  /** Counts a reload that failed before reaching {@link #reload} (the file could not be read). */
  public void reloadFailed() {
    lastReloadOk = false;
    reloads.incrementAndGet();
  }

  /** The bound WebSocket port (useful with port 0). */
  public int port() {
    return transport.port();
  }

  /** The bound admin API port: the main port unless {@code api.port} is set. */
  public int apiPort() {
    return transport.apiPort();
  }

  /** The socket layer in use: io_uring, epoll or nio (see the {@code transport} key). */
  public String transport() {
    return transport.transport();
  }

  public Duration uptime() {
    return Duration.between(startedAt, clock.instant());
  }

  private Map<String, Object> health() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", hub.broker().healthy() ? "up" : "degraded");
    h.put("node_id", config.get().cluster().nodeId());
    h.put("version", Version.current());
    h.put("pid", ProcessHandle.current().pid());
    h.put("uptime_seconds", uptime().toSeconds());
    h.put("connections", hub.connectionCount());
    h.put("users", hub.localUserCount());
    Map<String, Object> broker = new LinkedHashMap<>();
    broker.put("kind", hub.broker().kind());
    broker.put("healthy", hub.broker().healthy());
    broker.putAll(hub.broker().status());
    h.put("broker", broker);
    h.put("draining", draining);
    h.put("tls", transport.tls());
    h.put("transport", transport.transport());
    h.put("reloads", Map.of("count", reloads.get(), "last_ok", lastReloadOk, "signal", reloadBySignal));
    return h;
  }

  /**
   * Drains and stops: stops accepting, closes every connection with 1001 (reconnect elsewhere)
   * behind the messages already queued for it, waits up to {@code shutdown.drain_timeout} for the
   * connections to go, cuts the rest, then stops. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    draining = true;
    transport.stopAccepting();
    int open = hub.connectionCount();
    Duration timeout = config.get().shutdown().drainTimeout();
    if (open > 0) {
      log.info("draining {} connections (at most {} ms)", open, timeout.toMillis());
    }
    // The 1001 close is queued on each connection's event loop after the messages already
    // accepted for it, so those are written first.
    hub.closeAll(CloseCode.GOING_AWAY);
    long started = System.nanoTime();
    if (!awaitDrained(started + timeout.toNanos())) {
      log.warn("drain timeout after {} ms: cutting {} connections", timeout.toMillis(), hub.connectionCount());
    } else if (open > 0) {
      log.info("drained {} connections in {} ms", open, (System.nanoTime() - started) / 1_000_000);
    }
    stats.close();
    transport.close();
    if (pusher != null) {
      pusher.close();
    }
    hub.broker().close();
    stores.close();
    authenticator.get().close();
    authExecutor.shutdownNow();
    metrics.close();
  }

  private boolean awaitDrained(long deadlineNanos) {
    while (hub.connectionCount() > 0) {
      if (System.nanoTime() - deadlineNanos >= 0) {
        return false;
      }
      try {
        Thread.sleep(DRAIN_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
