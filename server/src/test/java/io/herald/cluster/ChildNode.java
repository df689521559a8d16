package io.herald.cluster;

import io.herald.testing.TestServer;
import io.herald.testing.TestTransport;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Herald node in its own JVM ({@code io.herald.Main start}, configured by environment
 * variables), so a test can kill it the way kill -9 does: no shutdown hook, no cleanup.
 */
final class ChildNode implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on ws://[^:]+:(\\d+)/ws");

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private ChildNode(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ChildNode start(String redisUrl, String nodeId, Duration presenceTtl) {
    return start(redisUrl, nodeId, presenceTtl, Map.of());
  }

  /** {@code extraEnv}: more HERALD_* variables for the child (e.g. a Pusher app). */
  static ChildNode start(String redisUrl, String nodeId, Duration presenceTtl, Map<String, String> extraEnv) {
    Path dir;
    try {
      dir = Files.createTempDirectory("herald-" + nodeId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", classPath, "io.herald.Main", "start")
        .directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
    pb.environment().put("HERALD_TRANSPORT", TestTransport.requested());
    pb.environment().putAll(Map.of(
        "HERALD_HOST", "127.0.0.1", "HERALD_PORT", "0", "HERALD_JWT_SECRET", Tokens.SECRET,
        "HERALD_API_KEY", TestServer.API_KEY, "HERALD_REDIS_URL", redisUrl, "HERALD_NODE_ID", nodeId,
        "HERALD_REDIS_PRESENCE_TTL", presenceTtl.toMillis() + "ms", "HERALD_REDIS_TIMEOUT", "3s",
        "HERALD_DATA_DIR", dir.resolve("data").toString(), "HERALD_LOG_DIR", dir.resolve("logs").toString()));
    pb.environment().putAll(extraEnv);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child JVM", e);
    }
    CompletableFuture<Integer> port = new CompletableFuture<>();
    ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException ignored) {
        // the process is gone
      }
      port.completeExceptionally(new IllegalStateException("child node exited"));
    }, "child-" + nodeId);
    reader.setDaemon(true);
    reader.start();
    try {
      return new ChildNode(process, port.get(90, TimeUnit.SECONDS)); // generous: the machine may be busy
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("child node " + nodeId + " did not start: " + String.join("\n", output), e);
    }
  }

  /** Connects {@code userId} with a valid token and consumes the connected frame. */
  WsRecorder connect(String userId) {
    URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?user_id=" + TestServer.enc(userId)
        + "&token=" + TestServer.enc(Tokens.hs256(userId)));
    WsRecorder ws = WsRecorder.connect(http, uri, Map.of());
    ws.connected();
    return ws;
  }

  int port() {
    return port;
  }

  /** SIGKILL: the node gets no chance to clean up after itself. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
