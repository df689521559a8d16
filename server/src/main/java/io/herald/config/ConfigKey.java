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
  JWT_JWKS_OUTAGE_TOLERANCE("jwt.jwks_outage_tolerance", "1h", "While the JWKS cannot be fetched, the keys of the last fetch that worked keep verifying tokens until this long after it (up to 5 minutes more: the time a fetched set is cached); 0s turns it off."),
  JWT_ISSUER("jwt.issuer", "", "Required iss claim; empty accepts any."),
  JWT_AUDIENCE("jwt.audience", "", "Required aud claim entry; empty accepts any."),
  JWT_CLOCK_SKEW("jwt.clock_skew", "0s", "Leeway for exp and nbf."),
  AUTH_PROXY_CONNECT_URL("auth.proxy.connect_url", "", "http(s) URL of the application that checks connection tokens (POST {token, user_id, remote_addr}); set means the application, not a JWT check, decides who connects. See docs/auth-proxy.md."),
  AUTH_PROXY_SUBSCRIBE_URL("auth.proxy.subscribe_url", "", "http(s) URL of the application that decides private- subscriptions the token does not grant (POST {user_id, channel})."),
  AUTH_PROXY_TIMEOUT("auth.proxy.timeout", "3s", "Longest wait for the application's answer; past it the client is told to retry later (1013)."),
  AUTH_PROXY_CACHE_TTL("auth.proxy.cache_ttl", "30s", "How long an answer (yes or no) is reused for the same token, or user and channel; 0s asks every time (concurrent identical questions still share one call)."),
  AUTH_PROXY_CACHE_SIZE("auth.proxy.cache_size", "100000", "Most answers kept in the cache."),
  AUTH_PROXY_MAX_BODY_BYTES("auth.proxy.max_body_bytes", "65536", "Largest answer read from the application; a larger one counts as a failure (1013)."),
  AUTH_PROXY_JWT_FIRST("auth.proxy.jwt_first", "false", "With connect_url set: accept tokens that verify as JWTs (jwt.* keys) without asking the application, and ask it about the others."),
  AUTH_PROXY_KEY("auth.proxy.key", "", "Sent to the application as Authorization: Bearer <key>, so it can tell Herald's calls from others; empty sends none."),
  AUTH_EXPIRY_WARNING("auth.expiry_warning", "60s", "How long before a connection's token (or proxy answer) expires it gets a token_expiring frame; it may send refresh with a new token until then, else it is closed with 4001."),
  API_KEY("api.key", "", "Admin API key. Generated and kept in data_dir when not configured."),
  API_PORT("api.port", "0", "Separate port for the admin API; 0 serves it on the main port."),
  API_MAX_BODY_BYTES("api.max_body_bytes", "1048576", "Largest admin request body; larger gets 413."),
  API_MAX_USER_IDS("api.max_user_ids", "10000", "Most user ids in one admin request."),
  API_MAX_BATCH("api.max_batch", "1000", "Most requests in one POST /admin/websocket/batch."),
  IDEMPOTENCY_TTL("idempotency.ttl", "10m", "How long an Idempotency-Key's first answer is kept (cluster-wide in cluster mode)."),
  HISTORY_ENABLED("history.enabled", "true", "Keep recent messages per stream so reconnecting clients recover what they missed; false turns offsets and recovery off."),
  HISTORY_SIZE("history.size", "100", "Messages kept per stream (the history.<kind>.size keys override it per kind)."),
  HISTORY_TTL("history.ttl", "2m", "How long a kept message stays recoverable (the history.<kind>.ttl keys override it per kind)."),
  HISTORY_USER_SIZE("history.user.size", "", "Messages kept per user stream; empty means history.size; 0 turns user history off."),
  HISTORY_USER_TTL("history.user.ttl", "", "Life of a kept user-stream message; empty means history.ttl."),
  HISTORY_ALL_SIZE("history.all.size", "", "Messages kept in the all-users stream; empty means history.size; 0 turns it off."),
  HISTORY_ALL_TTL("history.all.ttl", "", "Life of a kept all-users message; empty means history.ttl."),
  HISTORY_CHANNEL_SIZE("history.channel.size", "", "Messages kept per channel; empty means history.size; 0 turns channel history off."),
  HISTORY_CHANNEL_TTL("history.channel.ttl", "", "Life of a kept channel message; empty means history.ttl."),
  HISTORY_CHANNEL_RULES("history.channel.rules", "", "Per-channel-pattern history, first match wins: comma-separated glob=size or glob=size/ttl (chat:*=500/10m, ticker:*=0 for none)."),
  HISTORY_MAX_BYTES("history.max_bytes", "64MiB", "Single node: bytes of kept messages over all streams; a stream that pushes the total over drops its own oldest."),
  HISTORY_META_TTL("history.meta_ttl", "24h", "How long a stream's epoch and last offset outlive its last message, so a client away longer than the ttl is told it missed messages rather than nothing."),
  HISTORY_RECOVERY_BUFFER("history.recovery_buffer", "1000", "Live messages held per stream for a connection while its missed messages are read; past this it is told recovered: false."),
  API_ALLOWED_ADDRESSES("api.allowed_addresses", "", "Client addresses or CIDR ranges allowed to call the admin API (comma-separated); others get 403. Empty allows any address (the API key is still required)."),
  WS_ALLOWED_ORIGINS("ws.allowed_origins", "", "Origins allowed to open a WebSocket (comma-separated globs such as https://app.example.com, https://*.example.com); an upgrade with another Origin gets 403. Requests without Origin (not browsers) are allowed. Empty allows every origin."),
  TRUSTED_PROXIES("trusted_proxies", "", "Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For header names the client (comma-separated); from any other peer the header is ignored."),
  HEARTBEAT_INTERVAL("heartbeat.interval", "30s", "How long a connection may be quiet (nothing from the client, no ping) before the server pings it; sent to clients as heartbeat_interval."),
  HEARTBEAT_TIMEOUT("heartbeat.timeout", "90s", "A connection silent this long is closed with 4003."),
  MAX_FRAME_BYTES("limits.max_frame_bytes", "65536", "Largest client message; larger closes with 1009."),
  MAX_CHANNELS("limits.max_channels_per_connection", "100", "Subscriptions one connection may hold."),
  MESSAGES_PER_SECOND("limits.messages_per_second", "100", "Sustained client messages per second per connection."),
  MESSAGE_BURST("limits.message_burst", "200", "Client messages a connection may send at once; after that many dropped in a row it is closed with 4008."),
  BROADCASTS_PER_MINUTE("limits.broadcasts_per_minute", "30", "Client broadcast frames per minute per connection (all of them may come at once)."),
  MAX_PENDING_BYTES("limits.max_pending_bytes", "1048576", "Outbound bytes queued for one connection before it is closed with 4008 as too slow."),
  HANDSHAKE_TIMEOUT("limits.handshake_timeout", "10s", "Time allowed for an idle HTTP connection or an unfinished upgrade."),
  MAX_CONNECTIONS_PER_ADDRESS("limits.max_connections_per_address", "0", "Open WebSocket connections one client address may hold; one more gets 429 before the upgrade. 0 means no limit."),
  HANDSHAKES_PER_SECOND_PER_ADDRESS("limits.handshakes_per_second_per_address", "0", "Sustained WebSocket upgrades per second from one client address (token bucket); over it gets 429. 0 means no limit."),
  HANDSHAKE_BURST_PER_ADDRESS("limits.handshake_burst_per_address", "20", "Upgrades one client address may make at once before limits.handshakes_per_second_per_address applies."),
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
  DASHBOARD_MAX_CHANNELS("dashboard.max_channels", "10000", "Channels a node lists for the dashboard (its most subscribed ones), locally and shared in cluster mode."),
  PUSHER_APPS("pusher.apps", "", "Pusher-protocol apps: a list of {id, key, secret, client_events, max_connections, enabled, webhooks}; in the environment as JSON. Empty (and no pusher.app_*) means the Pusher protocol is off. See docs/pusher.md."),
  PUSHER_APP_ID("pusher.app_id", "", "Id of a single Pusher app (with pusher.app_key and pusher.app_secret), added to pusher.apps."),
  PUSHER_APP_KEY("pusher.app_key", "", "Key of the single Pusher app: clients connect to /app/{key}."),
  PUSHER_APP_SECRET("pusher.app_secret", "", "Secret of the single Pusher app: signs channel auth strings and HTTP API requests."),
  PUSHER_TIMESTAMP_WINDOW("pusher.timestamp_window", "600s", "How far a Pusher HTTP API request's auth_timestamp may be from the server clock; older or newer gets 401."),
  PUSHER_ACTIVITY_TIMEOUT("pusher.activity_timeout", "30s", "activity_timeout sent to Pusher clients: they ping after this much silence; the server pings after it too and closes with 4201 when no pong follows within it."),
  PUSHER_MAX_EVENT_BYTES("pusher.max_event_bytes", "10KiB", "Largest data of one Pusher event (HTTP API or client event); larger gets 413 or pusher:error."),
  PUSHER_CLIENT_EVENTS_PER_SECOND("pusher.client_events_per_second", "10", "Client events one Pusher connection may send per second; excess gets pusher:error 4301."),
  PUSHER_CACHE_TTL("pusher.cache_ttl", "30m", "How long a cache channel keeps its last event."),
  PUSHER_WEBHOOK_DELAY("pusher.webhook_delay", "3s", "How long channel_vacated and member_removed webhooks wait; dropped when the channel or user comes back meanwhile.");

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
