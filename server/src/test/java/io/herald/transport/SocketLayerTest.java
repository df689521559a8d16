package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.RawWs;
import io.herald.testing.TestServer;
import io.herald.testing.TestTransport;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import io.netty.channel.epoll.Epoll;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code transport} key: the layer in use is the one asked for (or, with auto, epoll where
 * available, else nio), it is named in /health, /metrics and the start banner, and
 * it carries deliveries. Where the native layers are refused (here by Netty's noNative switch, as
 * a seccomp profile would), auto falls back to nio and a named layer stops the start with the reason.
 */
@Timeout(120)
class SocketLayerTest {
  private static final Pattern LISTENING = Pattern.compile("listening on ws://[^:]+:(\\d+)/ws .*transport (\\w+)");

  private static String expectedLayer() {
    String requested = TestTransport.requested();
    if (!requested.equals("auto")) {
      return requested;
    }
    return Epoll.isAvailable() ? "epoll" : "nio";
  }

  @Test
  void healthAndMetricsNameTheLayerInUseAndItDelivers() {
    try (TestServer server = TestServer.start()) {
      assertThat(server.get("/health").data().get("transport").asText()).isEqualTo(expectedLayer());
      assertThat(server.server().transport()).isEqualTo(expectedLayer());
      String metrics = server.call("GET", "/metrics", null, Map.of()).response().body();
      assertThat(metrics).contains("herald_transport{transport=\"" + expectedLayer() + "\"} 1.0");
      try (WsRecorder a = server.connect("1"); WsRecorder b = server.connect("2")) {
        for (WsRecorder ws : List.of(a, b)) {
          ws.send("subscribe", Map.of("channel", "news"));
          ws.next("subscribed");
        }
        for (int i = 0; i < 50; i++) {
          assertThat(server.post("/admin/websocket/send-to-channel",
              Map.of("channel", "news", "type", "tick", "data", Map.of("n", i))).status()).isEqualTo(200);
        }
        for (WsRecorder ws : List.of(a, b)) {
          for (int i = 0; i < 50; i++) {
            assertThat(ws.next("tick").get("data").get("n").asInt()).isEqualTo(i);
          }
        }
      }
      String after = server.call("GET", "/metrics", null, Map.of()).response().body();
      Matcher flushes = Pattern.compile("(?m)^herald_socket_flushes_total (\\S+)$").matcher(after);
      assertThat(flushes.find()).as("herald_socket_flushes_total in %s", after).isTrue();
      assertThat(Double.parseDouble(flushes.group(1))).isGreaterThanOrEqualTo(2);
    }
  }

  /**
   * A frame the kernel takes only part of (its socket buffers full) leaves the rest queued, and
   * every later frame waits behind it: the reader sees every message whole and in order. On epoll
   * a lone frame is sent straight from the shared bytes, so this is where a partial send happens.
   */
  @Test
  void framesAKernelTakesOnlyPartOfArriveWholeAndInOrder() throws Exception {
    int messages = 200;
    String filler = "x".repeat(60_000);
    try (TestServer server = TestServer.start(Map.of("limits.max_pending_bytes", "64MiB"));
         RawWs ws = RawWs.connect(server.port(), "/ws?token=" + Tokens.hs256("7301"))) {
      ws.socket().setSoTimeout(20_000);
      assertThat(ws.readSkippingPings().text()).contains("\"connected\"");
      // The client reads nothing while 12 MB are pushed: more than loopback's socket buffers hold.
      for (int i = 0; i < messages; i++) {
        assertThat(server.post("/admin/websocket/send-to-user",
            Map.of("user_id", "7301", "type", "bulk", "data", Map.of("n", i, "fill", filler))).status())
            .isEqualTo(200);
      }
      for (int i = 0; i < messages; i++) {
        String text = ws.readSkippingPings().text();
        assertThat(text).as("message %d", i).containsPattern("\"n\":" + i + "[,}]").contains(filler).endsWith("}");
      }
    }
  }

  @Test
  void autoFallsBackToNioWhereTheNativeLayersAreRefused() throws Exception {
    Child child = Child.start("auto");
    try {
      assertThat(child.port.get(60, TimeUnit.SECONDS)).isPositive();
      assertThat(child.layer).isEqualTo("nio");
      HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + child.port.get() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).contains("\"transport\":\"nio\"");
      assertThat(String.join("\n", child.output)).contains("epoll (").contains("using nio");
    } finally {
      child.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNamedLayerThatIsRefusedStopsTheStartWithTheReason() throws Exception {
    Child child = Child.start("io_uring");
    try {
      assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process.exitValue()).isNotZero();
      child.reader.join(10_000);
      assertThat(String.join("\n", child.output))
          .contains("transport io_uring is not available here")
          .contains("set transport to auto");
      assertThat(child.port).isNotDone();
    } finally {
      child.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** {@code herald start} in a JVM where Netty's native transports are switched off. */
  private static final class Child {
    final Process process;
    final CompletableFuture<Integer> port = new CompletableFuture<>();
    final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
    final Thread reader;
    volatile String layer;

    private Child(Process process) {
      this.process = process;
      this.reader = new Thread(this::read, "child-output");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(String transport) throws IOException {
      Path dir = Files.createTempDirectory("herald-layer");
      String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dio.netty.transport.noNative=true", "-cp", classPath,
          "io.herald.Main", "start").directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
      pb.environment().putAll(Map.of("HERALD_HOST", "127.0.0.1", "HERALD_PORT", "0", "HERALD_TRANSPORT", transport,
          "HERALD_JWT_SECRET", Tokens.SECRET, "HERALD_API_KEY", TestServer.API_KEY,
          "HERALD_DATA_DIR", dir.resolve("data").toString(), "HERALD_LOG_DIR", dir.resolve("logs").toString()));
      return new Child(pb.start());
    }

    private void read() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            layer = m.group(2);
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
