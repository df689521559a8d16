package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.herald.config.ConfigException;
import io.herald.config.ServerConfig;
import io.herald.transport.TlsContexts;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code herald reload}: checks the configuration here first (a bad file never reaches the
 * server), sends SIGHUP to the pid in the pid file, and waits for {@code /health} to count the
 * reload. The server re-reads the file and data_dir secrets; its environment is the one it
 * started with.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
    description = "Re-read the configuration (API key, JWT keys, limits, log level, TLS certificate) without dropping a connection.")
final class ReloadCommand implements Callable<Integer> {
  private static final long CONFIRM_TIMEOUT_MILLIS = 10_000;
  private static final long POLL_MILLIS = 50;

  @Mixin
  ConfigOptions options = new ConfigOptions();

  @Override
  public Integer call() throws IOException, InterruptedException {
    ServerConfig config;
    try {
      config = options.loadForClient();
      TlsContexts.forServer(config.tls());
    } catch (ConfigException e) {
      throw new ConfigException(e.getMessage() + " (nothing was reloaded)");
    }
    PidFile pidFile = new PidFile(config.dataDir());
    Optional<ProcessHandle> process = pidFile.process();
    if (process.isEmpty()) {
      System.out.printf("Herald is not running (no live pid in %s): nothing to reload.%n", pidFile.path());
      return Cli.EXIT_NOT_RUNNING;
    }
    long pid = process.get().pid();
    ServerClient client = ServerClient.of(config, null);
    JsonNode reloads = reloads(client);
    if (!reloads.path("signal").asBoolean(true)) {
      System.err.printf("herald: Herald (pid %d) ignores SIGHUP (it was started under nohup, or by a parent that "
          + "ignores SIGHUP), so it cannot reload: restart it to apply the configuration; nothing was sent%n", pid);
      return Cli.EXIT_RUNTIME;
    }
    int before = reloads.path("count").asInt(-1);
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -HUP " + pid + " failed (exit " + kill.exitValue() + ")");
    }
    if (before < 0) {
      System.out.printf("Sent SIGHUP to Herald (pid %d); it does not answer on %s, so the result is in its log.%n",
          pid, client.base());
      return Cli.EXIT_OK;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONFIRM_TIMEOUT_MILLIS);
    while (System.nanoTime() < deadline) {
      JsonNode health = client.health();
      if (health.path("reloads").path("count").asInt() > before) {
        if (health.path("reloads").path("last_ok").asBoolean()) {
          System.out.printf("Herald (pid %d) reloaded its configuration.%n", pid);
          return Cli.EXIT_OK;
        }
        System.err.printf("herald: the reload failed and the running configuration is unchanged; the reason is in %s/%n",
            config.logging().dir());
        return Cli.EXIT_RUNTIME;
      }
      Thread.sleep(POLL_MILLIS);
    }
    System.err.printf("herald: Herald (pid %d) did not confirm the reload within %d s; see its log%n", pid,
        CONFIRM_TIMEOUT_MILLIS / 1000);
    return Cli.EXIT_RUNTIME;
  }

  /** {@code /health}'s {@code reloads} ({count, last_ok, signal}); missing when the server does not answer. */
  private static JsonNode reloads(ServerClient client) {
    try {
      return client.health().path("reloads");
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }
}
