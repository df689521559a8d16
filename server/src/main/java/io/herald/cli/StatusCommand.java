package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.config.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code herald status}: what the pid file and {@code GET /health} say. Exit 0 when Herald runs
 * and answers, 3 when nothing runs, 1 when something is off (a stale pid file, a process that
 * does not answer).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show whether Herald runs: pid, version, uptime, node, connections, users.")
final class StatusCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options = new ConfigOptions();

  @Override
  public Integer call() {
    ServerConfig config = options.loadForClient();
    PrintStream out = System.out;
    PidFile pidFile = new PidFile(config.dataDir());
    OptionalLong pid = pidFile.read();
    Optional<ProcessHandle> process = pidFile.process();
    ServerClient client = ServerClient.of(config, null);
    JsonNode health;
    String failure;
    try {
      health = client.health();
      failure = null;
    } catch (IOException e) {
      health = null;
      failure = e.getMessage();
    }
    if (process.isEmpty() && pid.isPresent()) {
      out.printf("Herald is not running, but its pid file %s names pid %d, which has exited (stale; start removes it).%n",
          pidFile.path(), pid.getAsLong());
      if (health != null) {
        print(out, client, health);
      }
      return Cli.EXIT_RUNTIME;
    }
    if (health == null) {
      if (process.isPresent()) {
        out.printf("Herald (pid %d) is running but does not answer on %s: %s%n", process.get().pid(), client.base(),
            failure);
        return Cli.EXIT_RUNTIME;
      }
      out.printf("Herald is not running (no pid file at %s, nothing answers on %s).%n", pidFile.path(), client.base());
      return Cli.EXIT_NOT_RUNNING;
    }
    out.println("Herald is running");
    print(out, client, health);
    if (process.isEmpty()) {
      out.printf("  (no pid file at %s: this server was started with another data_dir, or embedded)%n", pidFile.path());
    } else if (health.path("pid").asLong(-1) != process.get().pid()) {
      out.printf("  (warning: the pid file names pid %d but pid %d answers on %s)%n", process.get().pid(),
          health.path("pid").asLong(-1), client.base());
      return Cli.EXIT_RUNTIME;
    }
    return Cli.EXIT_OK;
  }

  private static void print(PrintStream out, ServerClient client, JsonNode h) {
    row(out, "pid", h.path("pid").asText("?"));
    row(out, "version", h.path("version").asText("?"));
    row(out, "node", h.path("node_id").asText("?"));
    row(out, "uptime", human(Duration.ofSeconds(h.path("uptime_seconds").asLong())));
    row(out, "address", client.base().toString());
    row(out, "status", h.path("status").asText("?") + (h.path("draining").asBoolean() ? " (draining)" : ""));
    row(out, "connections", h.path("connections").asText("?"));
    row(out, "users", h.path("users").asText("?") + " on this node");
    JsonNode broker = h.path("broker");
    row(out, "broker", broker.path("kind").asText("?") + (broker.path("healthy").asBoolean() ? " (healthy)" : " (DOWN)"));
  }

  private static void row(PrintStream out, String name, String value) {
    out.printf("  %-12s %s%n", name, value);
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    if (s < 86400) {
      return (s / 3600) + "h " + (s % 3600 / 60) + "m";
    }
    return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
  }
}
