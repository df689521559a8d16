package io.herald.ops;

import io.herald.testing.Tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code start --daemon}, {@code status}, {@code stop}, {@code reload} and the admin commands as
 * real child JVMs on a real port, the way an operator runs them.
 */
@Timeout(180)
class LifecycleTest {
  static final String SECRET_ONE = "first-secret-for-tests-0123456789abcdef";
  static final String SECRET_TWO = "second-secret-for-tests-0123456789abcdef";

  @TempDir
  Path dir;
  int port;

  @BeforeEach
  void config() throws Exception {
    port = HeraldProcess.freePort();
    writeConfig(SECRET_ONE, "key-one");
  }

  private com.fasterxml.jackson.databind.JsonNode health() throws Exception {
    return new AdminCalls(URI.create("http://127.0.0.1:" + port)).get("/health").body().path("data");
  }

  /** Everything the server wrote under logs/ (its log files and the daemon's output). */
  private String logs() throws Exception {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(dir.resolve("logs"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }

  private void writeConfig(String secret, String apiKey) throws Exception {
    Files.writeString(dir.resolve("herald.yml"), String.join("\n",
        "host: 127.0.0.1",
        "port: " + port,
        "jwt:",
        "  secret: " + secret,
        "api:",
        "  key: " + apiKey,
        "shutdown:",
        "  drain_timeout: 5s",
        ""));
  }

  @AfterEach
  void stopLeftovers() throws Exception {
    Path pid = dir.resolve("data/herald.pid");
    if (Files.exists(pid)) {
      long n = Long.parseLong(Files.readString(pid).trim());
      ProcessHandle.of(n).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private HeraldProcess.Result herald(String... args) throws Exception {
    return HeraldProcess.run(dir, args);
  }

  @Test
  void daemonStartStatusAndStopDrainsClients() throws Exception {
    HeraldProcess.Result started = herald("start", "--daemon");
    assertThat(started.exit()).as("%s", started).isZero();
    assertThat(started.out()).contains("started in the background");
    long pid = Long.parseLong(Files.readString(dir.resolve("data/herald.pid")).trim());
    assertThat(ProcessHandle.of(pid)).isPresent();
    assertThat(dir.resolve("logs/herald.out")).exists();

    HeraldProcess.Result status = herald("status");
    assertThat(status.exit()).as("%s", status).isZero();
    assertThat(status.out()).contains("Herald is running", "pid          " + pid, "connections", "uptime", "node");

    try (WsProbe client = WsProbe.connect(WsProbe.uri("ws", port, "7", Tokens.hs256(SECRET_ONE, "7")))) {
      assertThat(client.nextText().path("type").asText()).isEqualTo("connected");
      AdminCalls admin = new AdminCalls(URI.create("http://127.0.0.1:" + port));
      for (int i = 0; i < 20; i++) {
        AdminCalls.Reply r = admin.post("key-one", "send-to-user", Map.of("user_id", 7, "type", "job", "data", Map.of("n", i)));
        assertThat(r.status()).isEqualTo(200);
      }

      HeraldProcess.Result stopped = herald("stop");
      assertThat(stopped.exit()).as("%s", stopped).isZero();
      assertThat(stopped.out()).contains("Herald stopped");
      for (int i = 0; i < 20; i++) {
        assertThat(client.nextOfType("job").path("data").path("n").asInt()).isEqualTo(i);
      }
      assertThat(client.nextClose()).isEqualTo(1001);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(dir.resolve("data/herald.pid")).doesNotExist();

    HeraldProcess.Result after = herald("status");
    assertThat(after.exit()).as("%s", after).isEqualTo(3);
    assertThat(after.out()).contains("not running");
    assertThat(herald("stop").exit()).isZero();
  }

  @Test
  void stalePidFileIsReportedThenReplacedByStart() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/herald.pid"), gone.pid() + "\n");

    HeraldProcess.Result status = herald("status");
    assertThat(status.exit()).as("%s", status).isEqualTo(1);
    assertThat(status.out()).contains("stale", Long.toString(gone.pid()));

    HeraldProcess.Result started = herald("start", "--daemon");
    assertThat(started.exit()).as("%s", started).isZero();
    assertThat(started.out()).contains("Removing the stale pid file");
    assertThat(herald("status").exit()).isZero();

    HeraldProcess.Result again = herald("start", "--daemon");
    assertThat(again.exit()).as("%s", again).isEqualTo(1);
    assertThat(again.out()).contains("already running");

    assertThat(herald("stop").exit()).isZero();
  }

  @Test
  void takenPortIsReportedClearly() throws Exception {
    try (ServerSocket taken = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
      HeraldProcess.Result started = herald("start");
      assertThat(started.exit()).as("%s", started).isEqualTo(1);
      assertThat(started.out()).contains("127.0.0.1:" + port, "already in use");
      HeraldProcess.Result daemon = herald("start", "--daemon");
      assertThat(daemon.exit()).as("%s", daemon).isEqualTo(1);
      assertThat(daemon.out()).contains("already in use");
    }
    assertThat(dir.resolve("data/herald.pid")).doesNotExist();
  }

  @Test
  void reloadSaysAtOnceThatAServerStartedWithSighupIgnoredCannotReload() throws Exception {
    HeraldProcess.Result started = HeraldProcess.runIgnoringHangup(dir, "start", "--daemon");
    assertThat(started.exit()).as("%s", started).isZero();
    assertThat(health().path("reloads").path("signal").asBoolean(true)).isFalse();
    writeConfig(SECRET_TWO, "key-two");
    long startedAt = System.nanoTime();
    HeraldProcess.Result reloaded = herald("reload");
    assertThat(reloaded.exit()).as("%s", reloaded).isEqualTo(1);
    assertThat(reloaded.out()).contains("ignores SIGHUP", "restart");
    assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofSeconds(9));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logs()).contains("SIGHUP is ignored"));
    assertThat(herald("stop").exit()).isZero();
  }

  @Test
  void reloadSwapsApiKeyAndJwtSecretWithoutDroppingConnections() throws Exception {
    assertThat(herald("start", "--daemon").exit()).isZero();
    AdminCalls admin = new AdminCalls(URI.create("http://127.0.0.1:" + port));
    // A test run started under nohup passes its ignored SIGHUP on to the server (see the next test).
    Assumptions.assumeTrue(health().path("reloads").path("signal").asBoolean(),
        "SIGHUP is ignored in this test run (started under nohup?), so no server it starts can reload");
    try (WsProbe before = WsProbe.connect(WsProbe.uri("ws", port, "1", Tokens.hs256(SECRET_ONE, "1")))) {
      assertThat(before.nextText().path("type").asText()).isEqualTo("connected");

      writeConfig(SECRET_TWO, "key-two");
      HeraldProcess.Result reloaded = herald("reload");
      assertThat(reloaded.exit()).as("%s", reloaded).isZero();
      assertThat(reloaded.out()).contains("reloaded its configuration");

      before.assertAlive();
      try (WsProbe oldToken = WsProbe.connect(WsProbe.uri("ws", port, "2", Tokens.hs256(SECRET_ONE, "2")))) {
        assertThat(oldToken.nextClose()).isEqualTo(4001);
      }
      try (WsProbe newToken = WsProbe.connect(WsProbe.uri("ws", port, "3", Tokens.hs256(SECRET_TWO, "3")))) {
        assertThat(newToken.nextText().path("type").asText()).isEqualTo("connected");
        assertThat(admin.post("key-one", "check-online", Map.of("user_id", 1)).status()).isEqualTo(401);
        assertThat(admin.post("key-two", "check-online", Map.of("user_id", 1)).body().path("data").path("is_online")
            .asBoolean()).isTrue();

        // The admin commands read the new key from the same file.
        HeraldProcess.Result online = herald("online");
        assertThat(online.exit()).as("%s", online).isZero();
        assertThat(online.out()).contains("\"online_count\" : 2");
        HeraldProcess.Result pushed = herald("send", "3", "memo", "{\"text\":\"hi\"}");
        assertThat(pushed.exit()).as("%s", pushed).isZero();
        assertThat(newToken.nextOfType("memo").path("data").path("text").asText()).isEqualTo("hi");
        HeraldProcess.Result kicked = herald("kick", "1");
        assertThat(kicked.exit()).as("%s", kicked).isZero();
        assertThat(before.nextClose()).isEqualTo(4002);
      }

      // A file that does not load is refused before the server sees it.
      Files.writeString(dir.resolve("herald.yml"), "port: " + port + "\nlimits:\n  max_frame_bytes: lots\n");
      HeraldProcess.Result bad = herald("reload");
      assertThat(bad.exit()).as("%s", bad).isEqualTo(2);
      assertThat(bad.out()).contains("limits.max_frame_bytes", "nothing was reloaded");
      writeConfig(SECRET_TWO, "key-two");
      assertThat(admin.post("key-two", "check-online", Map.of("user_id", 3)).status()).isEqualTo(200);
    }
    HeraldProcess.Result stopped = herald("stop");
    assertThat(stopped.exit()).as("%s", stopped).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(dir.resolve("data/herald.pid")));
  }
}
