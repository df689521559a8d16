package io.herald.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real {@code redis-server} on a free loopback port: the one on PATH if there is one, else the
 * binary shipped inside the {@code embedded-redis} test dependency. Never skips: without either,
 * {@link #start} fails and says so. Supports a password, and stop/restart on the same port for
 * outage tests. Runs without persistence, so a restart comes back empty, like a lost Redis.
 */
public final class RedisProcess implements AutoCloseable {
  private static final String READY = "Ready to accept connections";
  /**
   * Every server still running. A test that fails before its clean-up (or a clean-up that throws)
   * would otherwise leave its redis-server behind after the test JVM exits; the hook stops them.
   */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
  private static Path binary;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
        "redis-server-reaper"));
  }

  private final int port;
  private final String password;
  private final Path[] tls;
  private final List<String> extraArgs;
  private final ConcurrentLinkedDeque<String> output = new ConcurrentLinkedDeque<>();
  private Process process;

  private RedisProcess(int port, String password, Path[] tls, List<String> extraArgs) {
    this.port = port;
    this.password = password;
    this.tls = tls;
    this.extraArgs = extraArgs;
  }

  /** Starts Redis without a password. */
  public static RedisProcess start() {
    return start(null);
  }

  /** Starts Redis; {@code password} null means none. */
  public static RedisProcess start(String password) {
    RedisProcess redis = new RedisProcess(freePort(), password, null, List.of());
    redis.launch();
    return redis;
  }

  /** Starts Redis that speaks only TLS, with this PEM certificate and key (clients not checked). */
  public static RedisProcess startTls(Path certificate, Path key) {
    RedisProcess redis = new RedisProcess(freePort(), null, new Path[] {certificate, key}, List.of());
    redis.launch();
    return redis;
  }

  /**
   * Starts one node of a Redis Cluster (see {@link RedisCluster}): cluster mode on, its node file
   * in {@code dir}, its cluster bus on another free port, a one-second node timeout so a dead
   * master is replaced within seconds.
   */
  static RedisProcess startClusterNode(Path dir) {
    int port = freePort();
    RedisProcess redis = new RedisProcess(port, null, null, List.of("--cluster-enabled", "yes",
        "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
        "--cluster-port", Integer.toString(freePort()), "--cluster-node-timeout", "1000",
        "--cluster-require-full-coverage", "no", "--dir", dir.toString()));
    redis.launch();
    return redis;
  }

  /** The cluster bus port of a cluster node. */
  int busPort() {
    return Integer.parseInt(extraArgs.get(extraArgs.indexOf("--cluster-port") + 1));
  }

  public int port() {
    return port;
  }

  /**
   * {@code redis://[:password@]127.0.0.1:port}, or for TLS {@code rediss://127.0.0.1:port} with
   * peer verification off (the test certificate is self-signed).
   */
  public String url() {
    if (tls != null) {
      return "rediss://127.0.0.1:" + port + "?verifyPeer=NONE";
    }
    return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
  }

  /** Runs commands on a short-lived connection (for setting up and inspecting tests). */
  public <T> T call(Function<RedisCommands<String, String>, T> commands) {
    RedisClient client = RedisClient.create(url());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return commands.apply(c.sync());
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  /** Stops the server (SIGTERM) and waits until it has exited. */
  public synchronized void stop() {
    if (process != null) {
      process.destroy();
      waitFor(process);
      RUNNING.remove(process);
      process = null;
    }
  }

  /** Starts the server again on the same port, empty. */
  public synchronized void restart() {
    stop();
    launch();
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(process);
      RUNNING.remove(process);
      process = null;
    }
  }

  private synchronized void launch() {
    List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--port", tls == null ? Integer.toString(port) : "0",
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", ""));
    if (tls != null) {
      cmd.addAll(List.of("--tls-port", Integer.toString(port), "--tls-cert-file", tls[0].toString(),
          "--tls-key-file", tls[1].toString(), "--tls-auth-clients", "no"));
    }
    if (password != null) {
      cmd.addAll(List.of("--requirepass", password));
    }
    cmd.addAll(extraArgs);
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      RUNNING.add(process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    InputStream out = process.getInputStream();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.add(line);
          if (output.size() > 200) {
            output.removeFirst();
          }
          if (line.contains(READY)) {
            ready.complete(null);
          }
        }
      } catch (IOException ignored) {
        // the process ended; its exit is reported below
      }
      ready.completeExceptionally(new IllegalStateException("redis-server exited"));
    }, "redis-server-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("redis-server did not start on port " + port + ": " + String.join("\n", output), e);
    }
  }

  private static void waitFor(Process p) {
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** redis-server from PATH, else extracted once from the embedded-redis jar. */
  static synchronized Path binary() {
    if (binary != null) {
      return binary;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "redis-server");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return binary = candidate;
      }
    }
    String resource = bundledName();
    try (InputStream in = RedisProcess.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no redis-server on PATH and no " + resource
            + " on the test classpath (com.github.codemonstur:embedded-redis); install Redis to run these tests");
      }
      Path dir = Files.createTempDirectory("herald-redis");
      Path target = dir.resolve(resource);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      if (!target.toFile().setExecutable(true)) {
        throw new IllegalStateException("cannot make " + target + " executable");
      }
      target.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return binary = target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource, e);
    }
  }

  private static String bundledName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    boolean arm = System.getProperty("os.arch").matches("aarch64|arm64");
    if (os.contains("mac")) {
      return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
    }
    if (os.contains("linux")) {
      return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
    }
    throw new IllegalStateException("no bundled redis-server for " + os + "; install Redis on PATH");
  }
}
