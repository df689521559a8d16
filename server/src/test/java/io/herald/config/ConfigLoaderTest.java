package io.herald.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private Path yaml(String text) throws Exception {
    Path file = dir.resolve("herald.yml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void defaultsMatchTheDocumentedValues() {
    ServerConfig c = ConfigLoader.load(null, Map.of(), false);
    assertThat(c.port()).isEqualTo(5200);
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.heartbeat().interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.limits().maxFrameBytes()).isEqualTo(64 * 1024);
    assertThat(c.api().maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(c.auth().mode()).isEqualTo(ServerConfig.AuthMode.JWT);
    assertThat(c.auth().jwtSecret()).isNotNull().hasSizeGreaterThanOrEqualTo(32);
    assertThat(c.api().key()).isNotBlank();
    assertThat(c.cluster().enabled()).isFalse();
  }

  @Test
  void fileThenEnvironmentOverride() throws Exception {
    Path file = yaml("port: 6000\nheartbeat:\n  interval: 10s\n  timeout: 25s\nlimits:\n  max_frame_bytes: 32KiB\n");
    ServerConfig c = ConfigLoader.load(file, Map.of("HERALD_PORT", "7000", "HERALD_JWT_SECRET", "s3cret",
        "HERALD_API_KEY", "k", "HERALD_LIMITS_MESSAGES_PER_SECOND", "7", "HERALD_REDIS_URL", "redis://localhost:6379"), false);
    assertThat(c.port()).isEqualTo(7000);
    assertThat(c.heartbeat().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.limits().maxFrameBytes()).isEqualTo(32 * 1024);
    assertThat(c.limits().messagesPerSecond()).isEqualTo(7);
    assertThat(new String(c.auth().jwtSecret())).isEqualTo("s3cret");
    assertThat(c.api().key()).isEqualTo("k");
    assertThat(c.cluster().enabled()).isTrue();
  }

  @Test
  void jwksOutageToleranceIsAnHourByDefaultAndZeroTurnsItOff() {
    assertThat(ConfigLoader.load(null, Map.of(), false).auth().jwksOutageTolerance()).isEqualTo(Duration.ofHours(1));
    assertThat(ConfigLoader.load(null, Map.of("HERALD_JWT_JWKS_OUTAGE_TOLERANCE", "0s"), false).auth()
        .jwksOutageTolerance()).isZero();
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_JWT_JWKS_OUTAGE_TOLERANCE", "an hour"), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("jwt.jwks_outage_tolerance");
  }

  @Test
  void unknownKeyFailsNamingIt() throws Exception {
    Path file = yaml("limits:\n  max_frame_byts: 10\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("limits.max_frame_byts");
  }

  @Test
  void badValueFailsNamingKeyAndOrigin() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_PORT", "70000"), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("port").hasMessageContaining("HERALD_PORT")
        .hasMessageContaining("70000");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_HEARTBEAT_INTERVAL", "soon"), false))
        .hasMessageContaining("heartbeat.interval");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_AUTH_MODE", "maybe"), false))
        .hasMessageContaining("auth.mode");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_REDIS_URL", "localhost:6379"), false))
        .hasMessageContaining("redis.url");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_HEARTBEAT_TIMEOUT", "10s"), false))
        .hasMessageContaining("heartbeat.timeout");
  }

  @Test
  void generatedSecretsAreKeptPrivateAndReused() throws Exception {
    Path data = dir.resolve("data");
    Map<String, String> env = Map.of("HERALD_DATA_DIR", data.toString());
    ServerConfig first = ConfigLoader.load(null, env, true);
    ServerConfig second = ConfigLoader.load(null, env, true);
    assertThat(second.api().key()).isEqualTo(first.api().key());
    assertThat(second.auth().jwtSecret()).isEqualTo(first.auth().jwtSecret());
    assertThat(Files.getPosixFilePermissions(data.resolve("api-key")))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(Files.getPosixFilePermissions(data))
        .doesNotContain(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
  }

  @Test
  void everyKeyIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(doc).as("docs/configuration.md mentions %s", key.key()).contains("`" + key.key() + "`");
      String row = doc.lines().filter(l -> l.startsWith("| `" + key.key() + "` |")).findFirst().orElse("");
      assertThat(row).as("row of %s", key.key()).contains(key.env())
          .contains(key.defaultValue().isEmpty() ? "(none)" : "`" + key.defaultValue() + "`");
    }
  }

  @Test
  void builderRejectsUnknownKeys() {
    assertThatThrownBy(() -> ServerConfig.builder().set("prot", 1))
        .isInstanceOf(ConfigException.class).hasMessageContaining("prot");
  }

  @Test
  void historyKeysDefaultPerKindAndChannelRules() {
    ServerConfig c = ConfigLoader.load(null, Map.of(), false);
    io.herald.history.Retention r = c.history();
    assertThat(r.enabled()).isTrue();
    assertThat(r.of(io.herald.history.StreamId.user("1"))).isEqualTo(new io.herald.history.Retention.Rule(100, Duration.ofMinutes(2)));
    assertThat(c.idempotencyTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.api().maxBatch()).isEqualTo(1000);

    ServerConfig tuned = ConfigLoader.load(null, Map.of("HERALD_HISTORY_USER_SIZE", "0", "HERALD_HISTORY_CHANNEL_TTL", "30s",
        "HERALD_HISTORY_CHANNEL_RULES", "chat:*=500/10m, ticker:*=0"), false);
    io.herald.history.Retention t = tuned.history();
    assertThat(t.keeps(io.herald.history.StreamId.user("1"))).isFalse();
    assertThat(t.keeps(io.herald.history.StreamId.ALL)).isTrue();
    assertThat(t.of(io.herald.history.StreamId.channel("chat:7"))).isEqualTo(new io.herald.history.Retention.Rule(500, Duration.ofMinutes(10)));
    assertThat(t.keeps(io.herald.history.StreamId.channel("ticker:eur"))).isFalse();
    assertThat(t.of(io.herald.history.StreamId.channel("orders"))).isEqualTo(new io.herald.history.Retention.Rule(100, Duration.ofSeconds(30)));
  }

  @Test
  void badHistoryRulesNameTheKey() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_HISTORY_CHANNEL_RULES", "chat:*"), false))
        .hasMessageContaining("history.channel.rules").hasMessageContaining("chat:*");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_HISTORY_CHANNEL_RULES", "chat:*=10/soon"), false))
        .hasMessageContaining("history.channel.rules");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_HISTORY_SIZE", "-1"), false))
        .hasMessageContaining("history.size");
  }
}
