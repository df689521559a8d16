package io.herald.config;

import java.util.Locale;

/**
 * Every configuration key, its default and meaning, in one place. The YAML file nests keys by
 * their dots ({@code limits.max_frame_bytes} is {@code limits: {max_frame_bytes: …}}); each key is
 * also read from the environment variable {@link #env()}: {@code HERALD_} plus the key in upper
 * case with dots as underscores. docs/configuration.md lists the same keys (a test checks).
 */
public enum ConfigKey {
  HOST("host", "0.0.0.0", "Address to bind; 0.0.0.0 (or ::) listens on every IPv4 and IPv6 address."),
  PORT("port", "5200", "Port of the WebSocket endpoint, admin API, /health, /metrics and pages."),
  IO_THREADS("io_threads", "0", "Event-loop threads; 0 means one per CPU core."),
  TRANSPORT("transport", "auto", "Socket layer: auto (epoll on Linux, else nio), epoll, nio or io_uring (opt-in, Linux 5.14+); a named one that is unavailable stops the start."),
  DATA_DIR("data_dir", "data", "Folder for generated secrets (mode 0700, files 0600)."),
  AUTH_MODE("auth.mode", "jwt", "jwt, or none to trust the user_id parameter (development only; logs a warning)."),
  JWT_SECRET("jwt.secret", "", "HS256/384/512 shared secret. Generated and kept in data_dir when no key is configured."),
  JWT_PUBLIC_KEY("jwt.public_key", "", "PEM public key or certificate (RSA or EC) for RS*/PS*/ES* tokens, inline or a file path."),
  JWT_JWKS_URL("jwt.jwks_url", "", "URL of a JWKS with the verification keys, selected by kid."),
  JWT_ISSUER("jwt.issuer", "", "Required iss claim; empty accepts any."),
  JWT_AUDIENCE("jwt.audience", "", "Required aud claim entry; empty accepts any."),
  JWT_CLOCK_SKEW("jwt.clock_skew", "0s", "Leeway for exp and nbf."),
  API_KEY("api.key", "", "Admin API key. Generated and kept in data_dir when not configured."),
  API_PORT("api.port", "0", "Separate port for the admin API; 0 serves it on the main port."),
  API_MAX_BODY_BYTES("api.max_body_bytes", "1048576", "Largest admin request body; larger gets 413."),
  API_MAX_USER_IDS("api.max_user_ids", "10000", "Most user ids in one admin request."),
  HEARTBEAT_INTERVAL("heartbeat.interval", "30s", "How long a connection may be quiet (nothing from the client, no ping) before the server pings it; sent to clients as heartbeat_interval."),
  HEARTBEAT_TIMEOUT("heartbeat.timeout", "90s", "A connection silent this long is closed with 4003."),
  MAX_FRAME_BYTES("limits.max_frame_bytes", "65536", "Largest client message; larger closes with 1009."),
  MAX_CHANNELS("limits.max_channels_per_connection", "100", "Subscriptions one connection may hold."),
  MESSAGES_PER_SECOND("limits.messages_per_second", "100", "Sustained client messages per second per connection."),
  MESSAGE_BURST("limits.message_burst", "200", "Client messages a connection may send at once; after that many dropped in a row it is closed with 4008."),
  BROADCASTS_PER_MINUTE("limits.broadcasts_per_minute", "30", "Client broadcast frames per minute per connection (all of them may come at once)."),
  MAX_PENDING_BYTES("limits.max_pending_bytes", "1048576", "Outbound bytes queued for one connection before it is closed with 4008 as too slow."),
  HANDSHAKE_TIMEOUT("limits.handshake_timeout", "10s", "Time allowed for an idle HTTP connection or an unfinished upgrade."),
  CLOSE_GRACE("limits.close_grace", "10s", "After Herald closes a connection (4008, 4002, …) the client has this long to read what was queued and the close frame; then the socket is cut."),
  CLIENT_BROADCAST("channels.client_broadcast", "true", "Whether clients may send broadcast frames."),
  REDIS_URL("redis.url", "", "Redis URL (redis:// or rediss://, password as redis://:secret@host:6379); set means cluster mode."),
  REDIS_PRESENCE_TTL("redis.presence_ttl", "15s", "Life of a node's heartbeat key in Redis; the node renews it every third of this. A node that stops renewing (crash, partition) leaves cluster presence at most this long after its last renewal."),
  REDIS_TIMEOUT("redis.timeout", "5s", "Longest wait for a Redis reply or connection; a push that waits longer fails (503 / unavailable)."),
  REDIS_PREFIX("redis.prefix", "herald", "Prefix of every Redis key and pub/sub channel Herald uses; clusters sharing one Redis need different prefixes."),
  NODE_ID("node.id", "", "This node's id in a cluster, unique among its nodes: [A-Za-z0-9._-], 1-128 characters; empty means host name plus a random suffix."),
  LOG_DIR("log.dir", "logs", "Folder of the monthly log file herald-YYYY-MM.log."),
  LOG_LEVEL("log.level", "info", "Log level of Herald's own loggers: error, warn, info, debug, trace."),
  TLS_CERT("tls.cert", "", "PEM certificate chain file; with tls.key, the port serves wss:// and https:// only."),
  TLS_KEY("tls.key", "", "PEM private key file (PKCS#8, unencrypted) for tls.cert."),
  DRAIN_TIMEOUT("shutdown.drain_timeout", "10s", "How long stop waits for connections to take their queued messages and the 1001 close before cutting them."),
  INSPECTOR_WATCHERS("dashboard.inspector_watchers", "8", "Message inspector streams open at once on one node; one more gets 429. 0 turns the inspector off."),
  INSPECTOR_EVENTS_PER_SECOND("dashboard.inspector_events_per_second", "50", "Messages one inspector stream shows per second; the rest are dropped and counted."),
  DASHBOARD_MAX_CHANNELS("dashboard.max_channels", "10000", "Channels a node lists for the dashboard (its most subscribed ones), locally and shared in cluster mode.");

  private final String key;
  private final String defaultValue;
  private final String description;

  ConfigKey(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** The environment variable that overrides this key. */
  public String env() {
    return "HERALD_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  public static java.util.Optional<ConfigKey> find(String key) {
    for (ConfigKey k : values()) {
      if (k.key.equals(key)) {
        return java.util.Optional.of(k);
      }
    }
    return java.util.Optional.empty();
  }
}
