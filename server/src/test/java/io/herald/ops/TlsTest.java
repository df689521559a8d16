package io.herald.ops;

import io.herald.testing.Tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.HeraldServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** wss:// and https:// from PEM files; a reloaded certificate serves new connections only. */
@Timeout(90)
class TlsTest {
  @TempDir
  static Path dir;
  static TestCerts first;
  static TestCerts second;

  @BeforeAll
  static void certificates() throws Exception {
    first = TestCerts.generate(dir, "first");
    second = TestCerts.generate(dir, "second");
  }

  private static HeraldServer start() {
    return HeraldServer.start(OpsServers.config().set("tls.cert", first.cert()).set("tls.key", first.key()).build());
  }

  @Test
  void servesHttpsAndWssFromPemFiles() throws Exception {
    try (HeraldServer server = start()) {
      AdminCalls https = new AdminCalls(URI.create("https://localhost:" + server.port()), first.trustingOnlyThis());
      AdminCalls.Reply health = https.get("/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body().path("data").path("tls").asBoolean()).isTrue();
      try (WsProbe client = WsProbe.connect(WsProbe.uri("wss", server.port(), "8", Tokens.hs256(OpsServers.SECRET, "8")),
          first.trustingOnlyThis())) {
        client.nextOfType("connected");
        client.assertAlive();
      }
      AdminCalls plain = new AdminCalls(URI.create("http://localhost:" + server.port()));
      assertThatThrownBy(() -> plain.get("/health")).isInstanceOf(IOException.class);
    }
  }

  @Test
  void reloadedCertificateServesNewConnectionsAndKeepsOpenOnes() throws Exception {
    try (HeraldServer server = start();
         WsProbe open = WsProbe.connect(WsProbe.uri("wss", server.port(), "8", Tokens.hs256(OpsServers.SECRET, "8")),
             first.trustingOnlyThis())) {
      open.nextOfType("connected");
      server.reload(OpsServers.config().set("tls.cert", second.cert()).set("tls.key", second.key()).build());

      URI base = URI.create("https://localhost:" + server.port());
      assertThat(new AdminCalls(base, second.trustingOnlyThis()).get("/health").status()).isEqualTo(200);
      assertThatThrownBy(() -> new AdminCalls(base, first.trustingOnlyThis()).get("/health"))
          .isInstanceOf(SSLHandshakeException.class);
      open.assertAlive();
    }
  }
}
