package io.herald.ops;

import io.herald.testing.Tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.HeraldServer;
import io.herald.config.ConfigException;
import io.herald.config.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link HeraldServer#reload}: new keys and limits for what comes next, open connections untouched. */
@Timeout(60)
class ReloadTest {
  static final String NEW_SECRET = "the-new-secret-after-reload-0123456789";

  HeraldServer server;
  AdminCalls admin;

  @BeforeEach
  void start() {
    server = HeraldServer.start(OpsServers.config().build());
    admin = new AdminCalls(URI.create("http://127.0.0.1:" + server.port()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private WsProbe connect(String secret, String user) {
    return WsProbe.connect(WsProbe.uri("ws", server.port(), user, Tokens.hs256(secret, user)));
  }

  @Test
  void reloadSwapsKeysAndLimitsForNewConnectionsAndKeepsOpenOnes() throws Exception {
    try (WsProbe old = connect(OpsServers.SECRET, "1")) {
      old.nextOfType("connected");
      List<String> restart = server.reload(OpsServers.config()
          .set("jwt.secret", NEW_SECRET).set("api.key", "new-key").set("limits.max_frame_bytes", 1024).build());
      assertThat(restart).isEmpty();

      // The open connection keeps its limits: a 4 KiB frame is still fine for it.
      old.send("ping", Map.of("pad", "x".repeat(4096)));
      old.nextOfType("pong");
      try (WsProbe rejected = connect(OpsServers.SECRET, "2")) {
        assertThat(rejected.nextClose()).isEqualTo(4001);
      }
      try (WsProbe fresh = connect(NEW_SECRET, "3")) {
        fresh.nextOfType("connected");
        fresh.send("ping", Map.of("pad", "x".repeat(4096)));
        assertThat(fresh.nextClose()).isEqualTo(1009);
      }
      assertThat(admin.post(OpsServers.API_KEY, "check-online", Map.of("user_id", 1)).status()).isEqualTo(401);
      assertThat(admin.post("new-key", "check-online", Map.of("user_id", 1)).body().path("data").path("is_online")
          .asBoolean()).isTrue();
      old.assertAlive();
    }
  }

  @Test
  void reloadNamesWhatWaitsForARestart() {
    List<String> restart = server.reload(OpsServers.config().set("port", 6553).set("io_threads", 3).build());
    assertThat(restart).anySatisfy(s -> assertThat(s).startsWith("port: "))
        .anySatisfy(s -> assertThat(s).startsWith("io_threads: "));
    assertThat(server.config().port()).isZero();
  }

  @Test
  void unusableCertificateChangesNothing(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("bad.crt"), "not a certificate\n");
    Path key = Files.writeString(dir.resolve("bad.key"), "not a key\n");
    ServerConfig next = OpsServers.config().set("api.key", "new-key").set("tls.cert", cert).set("tls.key", key).build();
    assertThatThrownBy(() -> server.reload(next)).isInstanceOf(ConfigException.class).hasMessageContaining("tls.cert");
    assertThat(server.config().api().key()).isEqualTo(OpsServers.API_KEY);
    try (WsProbe still = connect(OpsServers.SECRET, "4")) {
      still.nextOfType("connected");
    }
    AdminCalls.Reply health = admin.get("/health");
    assertThat(health.body().path("data").path("reloads").path("count").asInt()).isEqualTo(1);
    assertThat(health.body().path("data").path("reloads").path("last_ok").asBoolean()).isFalse();
  }
}
