package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.HeraldServer;
import io.herald.config.ServerConfig;
import io.herald.ops.OpsServers;
import io.herald.ops.TestCerts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} and the admin client against in-process servers: plain, and over TLS with a
 * self-signed certificate, which the CLI trusts because it is the configured one.
 */
@Timeout(60)
class StatusCommandTest {
  @TempDir
  Path dir;

  private Path configFile(int port, TestCerts certs) throws Exception {
    StringBuilder yml = new StringBuilder()
        .append("host: 127.0.0.1\nport: ").append(port).append('\n')
        .append("data_dir: ").append(dir.resolve("data")).append('\n')
        .append("api:\n  key: ").append(OpsServers.API_KEY).append('\n');
    if (certs != null) {
      yml.append("tls:\n  cert: ").append(certs.cert()).append("\n  key: ").append(certs.key()).append('\n');
    }
    return Files.writeString(dir.resolve("herald.yml"), yml);
  }

  private static ConfigOptions options(Path file) {
    ConfigOptions options = new ConfigOptions();
    options.file = file;
    return options;
  }

  /** Runs the CLI in this JVM, capturing what it prints. */
  private static Map.Entry<Integer, String> cli(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int exit = Cli.run(args);
      return Map.entry(exit, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
    }
  }

  @Test
  void statusReportsARunningServerAndExits3WhenNothingRuns() throws Exception {
    int port;
    try (HeraldServer server = HeraldServer.start(OpsServers.config().build())) {
      port = server.port();
      Path file = configFile(port, null);
      Map.Entry<Integer, String> status = cli("status", "-c", file.toString());
      assertThat(status.getKey()).as(status.getValue()).isZero();
      assertThat(status.getValue()).contains("Herald is running", "pid          " + ProcessHandle.current().pid(),
          "memory (healthy)", "no pid file");
    }
    Map.Entry<Integer, String> after = cli("status", "-c", dir.resolve("herald.yml").toString());
    assertThat(after.getKey()).as(after.getValue()).isEqualTo(Cli.EXIT_NOT_RUNNING);
    assertThat(after.getValue()).contains("not running");
  }

  @Test
  void clientTrustsTheConfiguredSelfSignedCertificate() throws Exception {
    TestCerts certs = TestCerts.generate(dir.resolve("tls"), "node");
    ServerConfig served = OpsServers.config().set("tls.cert", certs.cert()).set("tls.key", certs.key()).build();
    try (HeraldServer server = HeraldServer.start(served)) {
      Path file = configFile(server.port(), certs);
      ServerConfig config = options(file).loadForClient();
      ServerClient client = ServerClient.of(config, null);
      assertThat(client.base().toString()).isEqualTo("https://127.0.0.1:" + server.port());
      assertThat(client.health().path("tls").asBoolean()).isTrue();
      assertThat(client.admin("online-count", null).path("online_count").asInt()).isZero();

      Map.Entry<Integer, String> status = cli("status", "-c", file.toString());
      assertThat(status.getKey()).as(status.getValue()).isZero();
      assertThat(status.getValue()).contains("https://127.0.0.1:" + server.port());
    }
  }

  @Test
  void duringACertificateRenewalHealthStillAnswersAndAdminCallsWaitForTheReload() throws Exception {
    TestCerts old = TestCerts.generate(dir.resolve("tls"), "old");
    TestCerts renewed = TestCerts.generate(dir.resolve("tls"), "renewed");
    try (HeraldServer server = HeraldServer.start(
        OpsServers.config().set("tls.cert", old.cert()).set("tls.key", old.key()).build())) {
      ServerConfig config = options(configFile(server.port(), renewed)).loadForClient();
      ServerClient client = ServerClient.of(config, null);
      assertThat(client.health().path("tls").asBoolean()).isTrue();
      assertThatThrownBy(() -> client.admin("online-count", null)).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      server.reload(OpsServers.config().set("tls.cert", renewed.cert()).set("tls.key", renewed.key()).build());
      assertThat(ServerClient.of(config, null).admin("online-count", null).path("online_count").asInt()).isZero();
    }
  }

  @Test
  void adminErrorCarriesTheEnvelopeStatus() throws Exception {
    try (HeraldServer server = HeraldServer.start(OpsServers.config().set("api.key", "other").build())) {
      Path file = configFile(server.port(), null);
      ServerConfig config = options(file).loadForClient();
      assertThatThrownBy(() -> ServerClient.of(config, null).admin("online-count", null))
          .isInstanceOf(ServerClient.AdminFailure.class).hasMessageStartingWith("401 unauthorized");
    }
  }
}
