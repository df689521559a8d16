package io.herald.config;

import io.herald.history.Retention;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A validated server configuration. Build one with {@link ConfigLoader} (file + environment) or,
 * when embedding, with {@link #builder()}; both check every key the same way.
 */
public record ServerConfig(
    String host,
    int port,
    int ioThreads,
    IoTransport transport,
    Path dataDir,
    Auth auth,
    Api api,
    Heartbeat heartbeat,
    Limits limits,
    Cluster cluster,
    Logging logging,
    Tls tls,
    Shutdown shutdown,
    Dashboard dashboard,
    Guard guard,
    Pusher pusher,
    Retention history,
    Duration idempotencyTtl) {

  public enum AuthMode { JWT, NONE }

  /** The socket layer; {@code AUTO} takes the first available of io_uring, epoll and NIO. */
  public enum IoTransport { AUTO, IO_URING, EPOLL, NIO }

  /**
   * Token verification; at least one key source is set when mode is JWT. {@code proxy} asks the
   * application instead (docs/auth-proxy.md); {@code expiryWarning} is how early a connection hears
   * that its credentials expire.
   */
  public record Auth(AuthMode mode, byte[] jwtSecret, String publicKeyPem, URI jwksUrl, Duration jwksOutageTolerance,
                     String issuer, String audience, Duration clockSkew, AuthProxy proxy, Duration expiryWarning) {
    @Override
    public String toString() {
      return "Auth[mode=" + mode + ", secret=" + (jwtSecret == null ? "none" : "<set>")
          + ", publicKey=" + (publicKeyPem == null ? "none" : "<set>") + ", jwksUrl=" + jwksUrl
          + ", jwksOutageTolerance=" + jwksOutageTolerance
          + ", proxy=" + proxy + ", expiryWarning=" + expiryWarning + "]";
    }
  }

  /** {@code auth.proxy.*}; both URLs null means off. */
  public record AuthProxy(URI connectUrl, URI subscribeUrl, Duration timeout, Duration cacheTtl, int cacheSize,
                          int maxBodyBytes, String key, boolean jwtFirst) {
    public boolean enabled() {
      return connectUrl != null || subscribeUrl != null;
    }

    @Override
    public String toString() {
      return "AuthProxy[connectUrl=" + connectUrl + ", subscribeUrl=" + subscribeUrl + ", timeout=" + timeout
          + ", cacheTtl=" + cacheTtl + ", key=" + (key == null ? "none" : "<set>") + ", jwtFirst=" + jwtFirst + "]";
    }
  }

  /** The admin HTTP API. {@code port} 0 means the main port. */
  public record Api(String key, int port, int maxBodyBytes, int maxUserIds, int maxBatch) {
    @Override
    public String toString() {
      return "Api[key=<set>, port=" + port + ", maxBodyBytes=" + maxBodyBytes + ", maxUserIds=" + maxUserIds
          + ", maxBatch=" + maxBatch + "]";
    }
  }

  public record Heartbeat(Duration interval, Duration timeout) {
  }

  public record Limits(int maxFrameBytes, int maxChannelsPerConnection, int messagesPerSecond,
                       int messageBurst, int broadcastsPerMinute, int maxPendingBytes,
                       Duration handshakeTimeout, boolean clientBroadcast, Duration closeGrace) {
  }

  /**
   * {@code redisUrl} null means single node, in memory. The other fields matter in cluster mode
   * only: see docs/cluster.md.
   */
  public record Cluster(String redisUrl, String nodeId, Duration presenceTtl, Duration redisTimeout,
                        String redisPrefix) {
    public boolean enabled() {
      return redisUrl != null;
    }

    @Override
    public String toString() {
      return "Cluster[redis=" + (redisUrl == null ? "none" : "<set>") + ", nodeId=" + nodeId
          + ", presenceTtl=" + presenceTtl + ", redisTimeout=" + redisTimeout + ", redisPrefix=" + redisPrefix + "]";
    }
  }

  public record Logging(Path dir, String level) {
  }

  /** PEM files for wss:// and https://; both null means plain ws:// and http://. */
  public record Tls(Path cert, Path key) {
    public static final Tls OFF = new Tls(null, null);

    public boolean enabled() {
      return cert != null;
    }
  }

  /**
   * Who may connect: origins allowed to open a WebSocket (globs, empty means any), trusted
   * proxies, per-address limits on connections and handshakes (0 means none), and the addresses
   * allowed to call the admin API (empty means any).
   */
  public record Guard(List<String> allowedOrigins, AddressRanges trustedProxies, int maxConnectionsPerAddress,
                      int handshakesPerSecondPerAddress, int handshakeBurstPerAddress, AddressRanges adminAddresses) {
    public static final Guard OPEN = new Guard(List.of(), AddressRanges.NONE, 0, 0, 20, AddressRanges.NONE);

    public Guard {
      allowedOrigins = List.copyOf(allowedOrigins);
    }
  }

  /** {@code drainTimeout}: how long a stop waits for connections to close before cutting them. */
  public record Shutdown(Duration drainTimeout) {
  }

  /**
   * The Pusher protocol (docs/pusher.md): off while {@code apps} is empty. Durations and sizes
   * apply to every app.
   */
  public record Pusher(List<PusherApp> apps, Duration timestampWindow, Duration activityTimeout,
                       int maxEventBytes, int clientEventsPerSecond, Duration cacheTtl, Duration webhookDelay) {
    public Pusher {
      apps = List.copyOf(apps);
    }

    public boolean enabled() {
      return !apps.isEmpty();
    }
  }

  /** One Pusher app. {@code maxConnections} 0 means no limit. */
  public record PusherApp(String id, String key, String secret, boolean clientEvents, int maxConnections,
                          boolean enabled, List<Webhook> webhooks) {
    public PusherApp {
      webhooks = List.copyOf(webhooks);
    }

    @Override
    public String toString() {
      return "PusherApp[id=" + id + ", key=" + key + ", secret=<set>, clientEvents=" + clientEvents
          + ", maxConnections=" + maxConnections + ", enabled=" + enabled + ", webhooks=" + webhooks + "]";
    }
  }

  /** Where an app's webhooks go, and which event types (empty means all). */
  public record Webhook(URI url, List<String> eventTypes) {
    public Webhook {
      eventTypes = List.copyOf(eventTypes);
    }
  }

  /**
   * The dashboard's limits: {@code inspectorWatchers} open inspector streams per node,
   * {@code inspectorEventsPerSecond} events per stream (more are dropped and counted), and
   * {@code maxChannels} channels a node lists and shares for the channels view.
   */
  public record Dashboard(int inspectorWatchers, int inspectorEventsPerSecond, int maxChannels) {
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sets keys by name, as in the YAML file ({@code "port"}, {@code "jwt.secret"}, …). Keys not
   * set take their defaults; a missing JWT secret or API key is generated in memory.
   */
  public static final class Builder {
    private final Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);

    private Builder() {
    }

    public Builder set(String key, Object value) {
      ConfigKey k = ConfigKey.find(key).orElseThrow(() -> new ConfigException("unknown configuration key: " + key));
      values.put(k, String.valueOf(value));
      return this;
    }

    public ServerConfig build() {
      Map<ConfigKey, ConfigLoader.Value> sourced = new EnumMap<>(ConfigKey.class);
      values.forEach((k, v) -> sourced.put(k, new ConfigLoader.Value(v, "builder")));
      return ConfigLoader.resolve(sourced, Secrets.inMemory());
    }
  }
}
