package io.herald.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.herald.history.Retention;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration: defaults, then the YAML file, then environment variables, each layer
 * overriding the one before. Every value is checked here, at start; a bad one stops the server
 * with a message naming the key, where it came from, the rule and the value.
 */
public final class ConfigLoader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");
  private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
  /** Durations are used in nanoseconds, so they must fit a long of nanoseconds. */
  private static final BigInteger MAX_DURATION_MILLIS = BigInteger.valueOf(Long.MAX_VALUE / 1_000_000);
  /** Node ids and Redis prefixes become parts of Redis key and channel names. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** A raw value and where it came from (a file, an environment variable, the builder). */
  record Value(String text, String origin) {
  }

  private ConfigLoader() {
  }

  /**
   * @param file the YAML file, or null for none
   * @param env the environment (normally {@code System.getenv()})
   * @param persistSecrets keep generated secrets in {@code data_dir} (the CLI) or only in memory
   */
  public static ServerConfig load(Path file, Map<String, String> env, boolean persistSecrets) {
    return load(file, env, dir -> persistSecrets ? Secrets.inFolder(dir) : Secrets.inMemory());
  }

  /** As above, with the secret store chosen for the configured data folder. */
  public static ServerConfig load(Path file, Map<String, String> env,
                                  java.util.function.Function<Path, Secrets> secretsIn) {
    Map<ConfigKey, Value> values = new EnumMap<>(ConfigKey.class);
    if (file != null) {
      values.putAll(readYaml(file));
    }
    for (ConfigKey key : ConfigKey.values()) {
      String v = env.get(key.env());
      if (v != null && !v.isEmpty()) {
        values.put(key, new Value(v, key.env()));
      }
    }
    Path dataDir = new Reader(values).path(ConfigKey.DATA_DIR);
    return resolve(values, secretsIn.apply(dataDir));
  }

  static Map<ConfigKey, Value> readYaml(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    return parseYaml(yaml, file.toString());
  }

  /** The keys of a YAML document; {@code origin} names it in messages. */
  static Map<ConfigKey, Value> parseYaml(String yaml, String origin) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + origin + ": " + e.getMessage());
    }
    Map<ConfigKey, Value> out = new EnumMap<>(ConfigKey.class);
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        throw new ConfigException(origin + ": the top level must be a mapping of keys");
      }
      flatten("", root, origin, out);
    }
    return out;
  }

  private static void flatten(String prefix, JsonNode node, String origin, Map<ConfigKey, Value> out) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = prefix + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject() && ConfigKey.find(key).isEmpty()) {
        flatten(key + ".", value, origin, out);
        continue;
      }
      ConfigKey k = ConfigKey.find(key).orElseThrow(() -> new ConfigException(
          origin + ": unknown configuration key '" + key + "' (see docs/configuration.md)"));
      if (k == ConfigKey.PUSHER_APPS && value.isArray()) {
        out.put(k, new Value(value.toString(), origin));
        continue;
      }
      if (value.isArray() && java.util.stream.StreamSupport.stream(value.spliterator(), false)
          .allMatch(JsonNode::isValueNode)) {
        // A YAML list of scalars (allowed origins, address ranges) reads as its comma-separated text.
        List<String> items = new java.util.ArrayList<>();
        value.forEach(item -> items.add(item.asText()));
        out.put(k, new Value(String.join(",", items), origin));
        continue;
      }
      if (value.isContainerNode()) {
        throw new ConfigException(origin + ": " + key + " must be a single value");
      }
      if (!value.isNull()) {
        out.put(k, new Value(value.asText(), origin));
      }
    }
  }

  private static ServerConfig.AuthProxy authProxy(Reader r) {
    return new ServerConfig.AuthProxy(r.httpUrl(ConfigKey.AUTH_PROXY_CONNECT_URL), r.httpUrl(ConfigKey.AUTH_PROXY_SUBSCRIBE_URL),
        r.duration(ConfigKey.AUTH_PROXY_TIMEOUT, Duration.ofMillis(10)),
        r.duration(ConfigKey.AUTH_PROXY_CACHE_TTL, Duration.ZERO),
        r.integer(ConfigKey.AUTH_PROXY_CACHE_SIZE, 1, 100_000_000),
        r.size(ConfigKey.AUTH_PROXY_MAX_BODY_BYTES, 256, 16 * 1024 * 1024),
        r.optional(ConfigKey.AUTH_PROXY_KEY), r.bool(ConfigKey.AUTH_PROXY_JWT_FIRST));
  }

  static ServerConfig resolve(Map<ConfigKey, Value> values, Secrets secrets) {
    Reader r = new Reader(values);
    ServerConfig.AuthMode mode = r.choice(ConfigKey.AUTH_MODE, ServerConfig.AuthMode.class);
    String publicKey = r.optional(ConfigKey.JWT_PUBLIC_KEY);
    if (publicKey != null && !publicKey.contains("-----BEGIN")) {
      publicKey = r.file(ConfigKey.JWT_PUBLIC_KEY, publicKey);
    }
    URI jwks = r.uri(ConfigKey.JWT_JWKS_URL);
    String secret = r.optional(ConfigKey.JWT_SECRET);
    if (secret == null && publicKey == null && jwks == null && mode == ServerConfig.AuthMode.JWT) {
      secret = secrets.obtain("jwt-secret");
    }
    String apiKey = r.optional(ConfigKey.API_KEY);
    if (apiKey == null) {
      apiKey = secrets.obtain("api-key");
    }
    ServerConfig.Auth auth = new ServerConfig.Auth(mode,
        secret == null ? null : secret.getBytes(StandardCharsets.UTF_8), publicKey, jwks,
        r.duration(ConfigKey.JWT_JWKS_OUTAGE_TOLERANCE, Duration.ZERO),
        r.optional(ConfigKey.JWT_ISSUER), r.optional(ConfigKey.JWT_AUDIENCE),
        r.duration(ConfigKey.JWT_CLOCK_SKEW, Duration.ZERO), authProxy(r),
        r.duration(ConfigKey.AUTH_EXPIRY_WARNING, Duration.ZERO));
    int port = r.port(ConfigKey.PORT);
    int apiPort = r.port(ConfigKey.API_PORT);
    if (apiPort != 0 && apiPort == port) {
      throw new ConfigException(ConfigKey.API_PORT.key() + " must differ from port (" + port
          + "), or be 0 to share it");
    }
    ServerConfig.Api api = new ServerConfig.Api(apiKey, apiPort,
        r.size(ConfigKey.API_MAX_BODY_BYTES, 1024, Integer.MAX_VALUE),
        r.integer(ConfigKey.API_MAX_USER_IDS, 1, 10_000_000),
        r.integer(ConfigKey.API_MAX_BATCH, 1, 100_000));
    Duration interval = r.duration(ConfigKey.HEARTBEAT_INTERVAL, Duration.ofMillis(100));
    Duration timeout = r.duration(ConfigKey.HEARTBEAT_TIMEOUT, Duration.ofMillis(100));
    if (timeout.compareTo(interval) <= 0) {
      throw new ConfigException(ConfigKey.HEARTBEAT_TIMEOUT.key() + " (" + timeout
          + ") must be longer than heartbeat.interval (" + interval + ")");
    }
    ServerConfig.Limits limits = new ServerConfig.Limits(
        r.size(ConfigKey.MAX_FRAME_BYTES, 256, 16 * 1024 * 1024),
        r.integer(ConfigKey.MAX_CHANNELS, 1, 1_000_000),
        r.integer(ConfigKey.MESSAGES_PER_SECOND, 1, 1_000_000),
        r.integer(ConfigKey.MESSAGE_BURST, 1, 1_000_000),
        r.integer(ConfigKey.BROADCASTS_PER_MINUTE, 1, 1_000_000),
        r.size(ConfigKey.MAX_PENDING_BYTES, 16 * 1024, Integer.MAX_VALUE),
        r.duration(ConfigKey.HANDSHAKE_TIMEOUT, Duration.ofMillis(100)),
        r.bool(ConfigKey.CLIENT_BROADCAST),
        r.duration(ConfigKey.CLOSE_GRACE, Duration.ofMillis(100)));
    String redis = r.optional(ConfigKey.REDIS_URL);
    if (redis != null && !redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
      throw new ConfigException(r.where(ConfigKey.REDIS_URL) + " must start with redis:// or rediss://");
    }
    String nodeId = r.optional(ConfigKey.NODE_ID);
    if (nodeId == null) {
      String host = hostName().replaceAll("[^A-Za-z0-9._-]", "-");
      nodeId = host.substring(0, Math.min(host.length(), 100)) + "-" + UUID.randomUUID().toString().substring(0, 8);
    } else if (!NAME.matcher(nodeId).matches()) {
      throw new ConfigException(r.where(ConfigKey.NODE_ID) + " must match " + NAME.pattern() + ": \"" + nodeId + '"');
    }
    String prefix = r.text(ConfigKey.REDIS_PREFIX);
    if (!NAME.matcher(prefix).matches()) {
      throw new ConfigException(r.where(ConfigKey.REDIS_PREFIX) + " must match " + NAME.pattern() + ": \"" + prefix + '"');
    }
    ServerConfig.Cluster cluster = new ServerConfig.Cluster(redis, nodeId,
        r.duration(ConfigKey.REDIS_PRESENCE_TTL, Duration.ofSeconds(1)),
        r.duration(ConfigKey.REDIS_TIMEOUT, Duration.ofMillis(100)), prefix);
    String level = r.text(ConfigKey.LOG_LEVEL).toLowerCase(Locale.ROOT);
    if (!level.matches("error|warn|info|debug|trace")) {
      throw new ConfigException(r.where(ConfigKey.LOG_LEVEL) + " must be one of error, warn, info, debug, trace: \"" + level + '"');
    }
    return new ServerConfig(
        r.text(ConfigKey.HOST), port, r.integer(ConfigKey.IO_THREADS, 0, 1024),
        r.choice(ConfigKey.TRANSPORT, ServerConfig.IoTransport.class),
        r.path(ConfigKey.DATA_DIR), auth, api,
        new ServerConfig.Heartbeat(interval, timeout), limits,
        cluster,
        new ServerConfig.Logging(r.path(ConfigKey.LOG_DIR), level),
        tls(r),
        new ServerConfig.Shutdown(r.duration(ConfigKey.DRAIN_TIMEOUT, Duration.ZERO)),
        new ServerConfig.Dashboard(r.integer(ConfigKey.INSPECTOR_WATCHERS, 0, 1000),
            r.integer(ConfigKey.INSPECTOR_EVENTS_PER_SECOND, 1, 100_000),
            r.integer(ConfigKey.DASHBOARD_MAX_CHANNELS, 1, 1_000_000)),
        guard(r),
        pusher(r),
        history(r),
        r.duration(ConfigKey.IDEMPOTENCY_TTL, Duration.ofSeconds(1)));
  }

  private static Retention history(Reader r) {
    int size = r.integer(ConfigKey.HISTORY_SIZE, 0, 1_000_000);
    Duration ttl = r.duration(ConfigKey.HISTORY_TTL, Duration.ofSeconds(1));
    Retention.Rule channel = rule(r, ConfigKey.HISTORY_CHANNEL_SIZE, ConfigKey.HISTORY_CHANNEL_TTL, size, ttl);
    List<Retention.ChannelRule> rules;
    try {
      rules = Retention.parseRules(r.optional(ConfigKey.HISTORY_CHANNEL_RULES), channel.on() ? channel.ttl() : ttl,
          t -> r.duration(ConfigKey.HISTORY_CHANNEL_RULES, t, Duration.ofSeconds(1)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(r.where(ConfigKey.HISTORY_CHANNEL_RULES) + ": " + e.getMessage());
    }
    return new Retention(r.bool(ConfigKey.HISTORY_ENABLED),
        rule(r, ConfigKey.HISTORY_USER_SIZE, ConfigKey.HISTORY_USER_TTL, size, ttl),
        rule(r, ConfigKey.HISTORY_ALL_SIZE, ConfigKey.HISTORY_ALL_TTL, size, ttl),
        channel, rules,
        r.size(ConfigKey.HISTORY_MAX_BYTES, 1024, Integer.MAX_VALUE),
        r.duration(ConfigKey.HISTORY_META_TTL, Duration.ofSeconds(1)),
        r.integer(ConfigKey.HISTORY_RECOVERY_BUFFER, 1, 1_000_000));
  }

  private static Retention.Rule rule(Reader r, ConfigKey sizeKey, ConfigKey ttlKey, int size, Duration ttl) {
    int n = r.optional(sizeKey) == null ? size : r.integer(sizeKey, 0, 1_000_000);
    Duration t = r.optional(ttlKey) == null ? ttl : r.duration(ttlKey, Duration.ofSeconds(1));
    return n == 0 ? Retention.Rule.OFF : new Retention.Rule(n, t);
  }

  private static ServerConfig.Guard guard(Reader r) {
    List<String> origins = r.list(ConfigKey.WS_ALLOWED_ORIGINS);
    for (String origin : origins) {
      if (origin.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
        throw new ConfigException(r.where(ConfigKey.WS_ALLOWED_ORIGINS) + " entries must be origins or globs without spaces: \"" + origin + '"');
      }
    }
    return new ServerConfig.Guard(origins, r.addresses(ConfigKey.TRUSTED_PROXIES),
        r.integer(ConfigKey.MAX_CONNECTIONS_PER_ADDRESS, 0, 10_000_000),
        r.integer(ConfigKey.HANDSHAKES_PER_SECOND_PER_ADDRESS, 0, 1_000_000),
        r.integer(ConfigKey.HANDSHAKE_BURST_PER_ADDRESS, 1, 1_000_000),
        r.addresses(ConfigKey.API_ALLOWED_ADDRESSES));
  }

  private static ServerConfig.Pusher pusher(Reader r) {
    java.util.List<ServerConfig.PusherApp> apps = new java.util.ArrayList<>(
        PusherApps.parse(r.where(ConfigKey.PUSHER_APPS), r.optional(ConfigKey.PUSHER_APPS)));
    String id = r.optional(ConfigKey.PUSHER_APP_ID);
    String key = r.optional(ConfigKey.PUSHER_APP_KEY);
    String secret = r.optional(ConfigKey.PUSHER_APP_SECRET);
    if (id != null || key != null || secret != null) {
      if (id == null || key == null || secret == null) {
        throw new ConfigException("pusher.app_id, pusher.app_key and pusher.app_secret (HERALD_PUSHER_APP_ID, "
            + "HERALD_PUSHER_APP_KEY, HERALD_PUSHER_APP_SECRET) must be set together; missing: "
            + (id == null ? "app_id " : "") + (key == null ? "app_key " : "") + (secret == null ? "app_secret" : "").trim());
      }
      apps.add(PusherApps.app(ConfigKey.PUSHER_APP_ID.env(), id, key, secret, true, 0, true, java.util.List.of()));
    }
    PusherApps.checkUnique(apps);
    return new ServerConfig.Pusher(java.util.List.copyOf(apps),
        r.duration(ConfigKey.PUSHER_TIMESTAMP_WINDOW, Duration.ofSeconds(1)),
        r.duration(ConfigKey.PUSHER_ACTIVITY_TIMEOUT, Duration.ofSeconds(1)),
        r.size(ConfigKey.PUSHER_MAX_EVENT_BYTES, 64, 16 * 1024 * 1024),
        r.integer(ConfigKey.PUSHER_CLIENT_EVENTS_PER_SECOND, 1, 1_000_000),
        r.duration(ConfigKey.PUSHER_CACHE_TTL, Duration.ofSeconds(1)),
        r.duration(ConfigKey.PUSHER_WEBHOOK_DELAY, Duration.ZERO));
  }

  private static ServerConfig.Tls tls(Reader r) {
    String cert = r.optional(ConfigKey.TLS_CERT);
    String key = r.optional(ConfigKey.TLS_KEY);
    if (cert == null && key == null) {
      return ServerConfig.Tls.OFF;
    }
    if (cert == null || key == null) {
      throw new ConfigException((cert == null ? r.where(ConfigKey.TLS_KEY) : r.where(ConfigKey.TLS_CERT))
          + " is set, so " + (cert == null ? ConfigKey.TLS_CERT.key() : ConfigKey.TLS_KEY.key())
          + " must be set too: TLS needs both the certificate and its private key");
    }
    return new ServerConfig.Tls(r.readableFile(ConfigKey.TLS_CERT, cert), r.readableFile(ConfigKey.TLS_KEY, key));
  }

  private static String text(Map<ConfigKey, Value> values, ConfigKey key) {
    Value v = values.get(key);
    return v == null ? key.defaultValue() : v.text();
  }

  private static String hostName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "node";
      }
    }
    return host;
  }

  /** Typed access with messages that name the key and its origin. */
  private static final class Reader {
    private final Map<ConfigKey, Value> values;

    Reader(Map<ConfigKey, Value> values) {
      this.values = values;
    }

    String where(ConfigKey key) {
      Value v = values.get(key);
      return v == null ? key.key() : key.key() + " (from " + v.origin() + ")";
    }

    String text(ConfigKey key) {
      return ConfigLoader.text(values, key).trim();
    }

    String optional(ConfigKey key) {
      String t = text(key);
      return t.isEmpty() ? null : t;
    }

    int integer(ConfigKey key, int min, int max) {
      String t = text(key);
      if (!WHOLE.matcher(t).matches()) {
        throw new ConfigException(where(key) + " must be a whole number: \"" + t + '"');
      }
      BigInteger v = new BigInteger(t);
      if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
        throw new ConfigException(where(key) + " must be between " + min + " and " + max + ": " + t);
      }
      return v.intValueExact();
    }

    int port(ConfigKey key) {
      return integer(key, 0, 65535);
    }

    int size(ConfigKey key, long min, long max) {
      String t = text(key);
      Matcher m = SIZE.matcher(t);
      if (!m.matches()) {
        throw new ConfigException(where(key) + " must be a size in bytes (e.g. 65536 or 64KiB): \"" + t + '"');
      }
      long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
        case "KiB" -> 1024L;
        case "MiB" -> 1024L * 1024;
        case "GiB" -> 1024L * 1024 * 1024;
        default -> 1L;
      };
      // Exact arithmetic: a huge size must not wrap around into an accepted one.
      BigInteger v = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(unit));
      if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
        throw new ConfigException(where(key) + " must be between " + min + " and " + max + " bytes: " + t);
      }
      return v.intValueExact();
    }

    Duration duration(ConfigKey key, Duration min) {
      return duration(key, text(key), min);
    }

    Duration duration(ConfigKey key, String t, Duration min) {
      Matcher m = DURATION.matcher(t);
      if (!m.matches()) {
        throw new ConfigException(where(key) + " must be a duration like 30s, 500ms, 5m or 1h: \"" + t + '"');
      }
      BigInteger millisPerUnit = BigInteger.valueOf(switch (m.group(2) == null ? "s" : m.group(2)) {
        case "ms" -> 1L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        default -> 1_000L;
      });
      BigInteger millis = new BigInteger(m.group(1)).multiply(millisPerUnit);
      if (millis.compareTo(MAX_DURATION_MILLIS) > 0) {
        throw new ConfigException(where(key) + " must be at most " + MAX_DURATION_MILLIS + "ms (about 292 years): " + t);
      }
      Duration d = Duration.ofMillis(millis.longValueExact());
      if (d.compareTo(min) < 0) {
        throw new ConfigException(where(key) + " must be at least " + min.toMillis() + "ms: " + t);
      }
      return d;
    }

    boolean bool(ConfigKey key) {
      String t = text(key).toLowerCase(Locale.ROOT);
      return switch (t) {
        case "true", "yes", "on", "1" -> true;
        case "false", "no", "off", "0" -> false;
        default -> throw new ConfigException(where(key) + " must be true or false: \"" + t + '"');
      };
    }

    <E extends Enum<E>> E choice(ConfigKey key, Class<E> type) {
      String t = text(key);
      try {
        return Enum.valueOf(type, t.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where(key) + " must be one of "
            + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ": \"" + t + '"');
      }
    }

    URI uri(ConfigKey key) {
      String t = optional(key);
      if (t == null) {
        return null;
      }
      try {
        URI uri = new URI(t);
        if (uri.getScheme() == null || !uri.getScheme().matches("https?|file")) {
          throw new ConfigException(where(key) + " must be an http(s) or file URL: \"" + t + '"');
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new ConfigException(where(key) + " is not a URL: \"" + t + '"');
      }
    }

    URI httpUrl(ConfigKey key) {
      URI uri = uri(key);
      if (uri != null && (!uri.getScheme().startsWith("http") || uri.getHost() == null)) {
        throw new ConfigException(where(key) + " must be an http(s) URL with a host: \"" + uri + '"');
      }
      return uri;
    }

    /** A comma- or space-separated list; empty entries dropped. */
    List<String> list(ConfigKey key) {
      return Arrays.stream(text(key).split("[,\\s]+")).filter(e -> !e.isEmpty()).toList();
    }

    AddressRanges addresses(ConfigKey key) {
      try {
        return AddressRanges.parse(list(key));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where(key) + ": " + e.getMessage());
      }
    }

    Path path(ConfigKey key) {
      String t = text(key);
      try {
        return Path.of(t);
      } catch (java.nio.file.InvalidPathException e) {
        throw new ConfigException(where(key) + " is not a file path: \"" + t + '"');
      }
    }

    Path readableFile(ConfigKey key, String path) {
      try {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
          throw new ConfigException(where(key) + " must be a readable file: " + path);
        }
        return p;
      } catch (java.nio.file.InvalidPathException e) {
        throw new ConfigException(where(key) + " is not a file path: " + path);
      }
    }

    String file(ConfigKey key, String path) {
      try {
        return Files.readString(Path.of(path), StandardCharsets.UTF_8);
      } catch (IOException | java.nio.file.InvalidPathException e) {
        throw new ConfigException(where(key) + " is neither PEM text nor a readable file: " + path);
      }
    }
  }
}
