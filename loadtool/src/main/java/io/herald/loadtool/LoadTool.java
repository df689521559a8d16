package io.herald.loadtool;

import io.herald.loadtool.coordinator.Scenarios;
import io.herald.loadtool.report.LatencyPlot;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: {@code java -jar herald-loadtool-*-all.jar <scenario> [options]}.
 *
 * <p>Exit codes: 0 ok, 1 runtime error, 2 usage, 3 deliveries lost, 4 connections or pushes failed.
 */
@Command(name = "herald-loadtool", mixinStandardHelpOptions = true, version = "herald-loadtool 0.1",
    description = "Benchmarks a Herald-compatible WebSocket push server on loopback.",
    subcommands = {Scenarios.Connect.class, Scenarios.Fanout.class, Scenarios.PusherFanout.class, Scenarios.Broadcast.class, Scenarios.Chat.class,
        Scenarios.SlowConsumers.class, Scenarios.Cluster.class,
        LatencyPlot.class})
public final class LoadTool {
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new LoadTool());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof IllegalArgumentException) {
        commandLine.getErr().println("herald-loadtool: " + e.getMessage());
        return 2;
      }
      commandLine.getErr().println("herald-loadtool: " + e);
      e.printStackTrace(commandLine.getErr());
      return 1;
    });
    System.exit(cli.execute(args));
  }
}
