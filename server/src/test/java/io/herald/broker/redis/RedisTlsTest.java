package io.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.Route;
import io.herald.testing.BrokerProbe;
import io.herald.testing.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code rediss://}: the broker works over TLS. The certificate is made with the JDK's keytool. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisTlsTest {

  @Test
  void brokerWorksOverTls(@TempDir Path dir) throws Exception {
    Path[] pem = selfSignedPem(dir);
    try (RedisProcess redis = RedisProcess.startTls(pem[0], pem[1])) {
      assertThat(redis.url()).startsWith("rediss://");
      RedisSettings settings = new RedisSettings(redis.url(), "a", Duration.ofSeconds(2), Duration.ofSeconds(3), "herald");
      try (BrokerProbe a = new BrokerProbe(new RedisBroker(settings));
           BrokerProbe b = new BrokerProbe(new RedisBroker(new RedisSettings(redis.url(), "b", Duration.ofSeconds(2),
               Duration.ofSeconds(3), "herald")))) {
        b.connect("1");
        a.publish(new Route.ToUsers(List.of("1")), "t", "{\"secure\":true}");
        assertThat(b.next().payload()).isEqualTo("{\"secure\":true}");
        assertThat(a.broker().status()).containsEntry("tls", true).containsEntry("state", "connected");
      }
    }
  }

  /** A self-signed certificate for 127.0.0.1 and its key, as PEM files. */
  private static Path[] selfSignedPem(Path dir) throws Exception {
    Path store = dir.resolve("redis.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "redis", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as("keytool: %s", out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    Path cert = dir.resolve("redis.crt");
    Path key = dir.resolve("redis.key");
    Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("redis").getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", ks.getKey("redis", "changeit".toCharArray()).getEncoded()));
    return new Path[] {cert, key};
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
