package io.herald.loadtool.coordinator;

import io.herald.loadtool.report.RunReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The picocli subcommands, one per scenario. */
public final class Scenarios {
  private Scenarios() {
  }

  /** Connections the server closed while the benchmark relied on them. */
  static void recordCloses(RunReport report, Map<String, Long> sums) {
    Map<String, Long> closes = new LinkedHashMap<>();
    sums.forEach((key, n) -> {
      if (key.startsWith("closed_") && n > 0) {
        closes.put(key.substring("closed_".length()), n);
      }
    });
    report.put("closed_by_server", closes);
    if (!closes.isEmpty()) {
      report.line("connections closed during the run, by close code: %s", closes);
      report.problem("server closed connections during the run: " + closes);
    }
  }

  @Command(name = "fanout", mixinStandardHelpOptions = true,
      description = "N subscribers over C channels; pushes through POST /admin/websocket/send-to-channel.")
  public static final class Fanout implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin PushOptions push;

    @Option(names = "--channels", defaultValue = "1", description = "Channels; client i joins bench-(i % channels) (default: ${DEFAULT-VALUE}).")
    int channels;

    @Override
    public Integer call() throws Exception {
      if (channels < 1) {
        throw new IllegalArgumentException("--channels must be >= 1: " + channels);
      }
      return PushScenario.run("fanout", common, push, Pusher.Target.channels(channels, "bench-"));
    }
  }

  @Command(name = "broadcast", mixinStandardHelpOptions = true,
      description = "Every connection receives each push of POST /admin/websocket/broadcast.")
  public static final class Broadcast implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin PushOptions push;

    @Override
    public Integer call() throws Exception {
      return PushScenario.run("broadcast", common, push, Pusher.Target.broadcast());
    }
  }

  @Command(name = "chat", mixinStandardHelpOptions = true,
      description = "Client pairs (2k, 2k+1) send each other chat messages at --rate messages/s in total.")
  public static final class Chat implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin PushOptions push;

    @Override
    public Integer call() throws Exception {
      return ChatScenario.run(common, push);
    }
  }

  @Command(name = "connect", mixinStandardHelpOptions = true,
      description = "Open all connections: connections/s, time to all ready, server RSS and CPU per connection.")
  public static final class Connect implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--hold", defaultValue = "PT3S",
        description = "Idle time after the last connection before measuring the server, ISO-8601 (default: ${DEFAULT-VALUE}).")
    java.time.Duration hold;

    @Override
    public Integer call() throws Exception {
      return ConnectScenario.run(common, hold);
    }
  }
}
