package io.herald.loadtool.coordinator;

import io.herald.loadtool.report.RunReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Option(names = "--channels", defaultValue = "1", description = "Channels; client i joins bench-(i %% channels) (default: ${DEFAULT-VALUE}).")
    int channels;

    @Override
    public Integer call() throws Exception {
      if (channels < 1) {
        throw new IllegalArgumentException("--channels must be >= 1: " + channels);
      }
      return PushScenario.run("fanout", common, push, Pusher.Target.channels(channels, "bench-"));
    }
  }

  @Command(name = "pusher-fanout", mixinStandardHelpOptions = true,
      description = "fanout over the Pusher protocol: N pusher-js-shaped clients on /app/{key} subscribe to public "
          + "channels bench-(i %% C); pushes through the Pusher HTTP API POST /apps/{id}/events, signed.")
  public static final class PusherFanout implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin PushOptions push;

    @Option(names = "--channels", defaultValue = "1", description = "Channels; client i joins bench-(i %% channels) (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--app-id", defaultValue = "${env:HERALD_PUSHER_APP_ID}", description = "Pusher app id (default: $HERALD_PUSHER_APP_ID).")
    String appId;

    @Option(names = "--app-key", defaultValue = "${env:HERALD_PUSHER_APP_KEY}", description = "Pusher app key (default: $HERALD_PUSHER_APP_KEY).")
    String appKey;

    @Option(names = "--app-secret", defaultValue = "${env:HERALD_PUSHER_APP_SECRET}", description = "Pusher app secret (default: $HERALD_PUSHER_APP_SECRET).")
    String appSecret;

    @Override
    public Integer call() throws Exception {
      if (channels < 1) {
        throw new IllegalArgumentException("--channels must be >= 1: " + channels);
      }
      if (appId == null || appKey == null || appSecret == null) {
        throw new IllegalArgumentException("--app-id, --app-key and --app-secret (or HERALD_PUSHER_APP_*) are required");
      }
      common.path = "/app/" + appKey;
      if (common.apiKey == null || common.apiKey.isEmpty()) {
        common.apiKey = "unused-by-the-pusher-api";
      }
      return PushScenario.run("pusher-fanout", common, push,
          Pusher.Target.pusherEvents(channels, "bench-", new PusherApp(appId, appKey, appSecret)));
    }
  }

  @Command(name = "slow-consumers", mixinStandardHelpOptions = true,
      description = "Fan-out on one channel while a share of the clients stop reading for --stall: fast clients' "
          + "latency and losses before, during and after the stall; how the server closes the slow ones; server RSS.")
  public static final class SlowConsumers implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--slow-share", defaultValue = "0.1",
        description = "Share of the clients that stop reading, spread evenly over them (default: ${DEFAULT-VALUE}).")
    double slowShare;

    @Option(names = "--stall", defaultValue = "PT10S",
        description = "How long the slow clients stop reading (Netty autoRead off), ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration stall;

    @Option(names = "--before", defaultValue = "PT5S",
        description = "Timed window before the stall, after the warm-up, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration before;

    @Option(names = "--after", defaultValue = "PT5S",
        description = "Timed window after the stall, while the slow clients read again, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration after;

    @Option(names = "--rate", defaultValue = "100",
        description = "Pushes per second; with the default payload about 1.6 MB/s per client, so a stalled client's "
            + "backlog passes the kernel's socket buffers (the server's send buffer grows to tcp_wmem max, 4 MiB by "
            + "default) plus Herald's 1 MiB limits.max_pending_bytes within a few seconds (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--payload-bytes", defaultValue = "16384",
        description = "Approximate size of each message's data; 4096 at 100/s (400 KB/s) is absorbed by the kernel's "
            + "socket buffers on loopback during a 10 s stall and never reaches the limit (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(names = "--concurrency", defaultValue = "4", description = "Admin requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--warmup", defaultValue = "PT3S", description = "Untimed run before the timed windows, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--intended-time", description = "Time each push from when the schedule meant to send it (see fanout).")
    boolean intendedTime;

    @Option(names = "--drain-timeout", defaultValue = "PT15S",
        description = "How long to wait for the fast clients' outstanding deliveries at the end, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--push-timeout", defaultValue = "PT30S",
        description = "How long an admin push may go unanswered before it counts as timed out (see fanout), ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration pushTimeout;

    @Override
    public Integer call() throws Exception {
      io.herald.loadtool.worker.SlowShare.validate(slowShare);
      for (Duration d : new Duration[] {stall, before, after}) {
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(10)) > 0) {
          throw new IllegalArgumentException("--stall, --before and --after must be between 0 and 10 minutes: " + d);
        }
      }
      if (rate <= 0) {
        throw new IllegalArgumentException("--rate must be > 0 (the windows are timed by the schedule): " + rate);
      }
      PushOptions push = new PushOptions();
      push.rate = rate;
      push.concurrency = concurrency;
      push.duration = before.plus(stall).plus(after);
      push.warmup = warmup;
      push.payloadBytes = payloadBytes;
      push.intendedTime = intendedTime;
      push.drainTimeout = drainTimeout;
      push.pushTimeout = pushTimeout;
      return SlowConsumersScenario.run(common, push, slowShare,
          new SlowConsumersScenario.Windows(before, stall, after));
    }
  }

  @Command(name = "cluster", mixinStandardHelpOptions = true,
      description = "Fan-out over several Herald nodes of one cluster: client i connects to port i %% nodes, pushes go "
          + "through another node's admin API, every delivery must arrive exactly once.")
  public static final class Cluster implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin PushOptions push;

    @Option(names = "--ports", split = ",", required = true,
        description = "Ports of the nodes the clients connect to, round-robin, e.g. 5401,5402,5403.")
    List<Integer> ports;

    @Option(names = "--push-port", required = true,
        description = "Port of the node whose admin API takes the pushes (may be one of --ports or another node).")
    int pushPort;

    @Option(names = "--channels", defaultValue = "1", description = "Channels; client i joins bench-(i %% channels) (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--route", defaultValue = "channels",
        description = "channels: send-to-channel to bench-(k %% channels); broadcast: POST /broadcast, every client gets "
            + "every push, losses are also reported per node port (default: ${DEFAULT-VALUE}).")
    String route;

    @Option(names = "--node-pids", split = ",",
        description = "PIDs of every node (the --ports ones and the push node): server CPU and RSS are their sums. "
            + "Overrides --server-pid.")
    List<Long> nodePids;

    @Override
    public Integer call() throws Exception {
      if (channels < 1) {
        throw new IllegalArgumentException("--channels must be >= 1: " + channels);
      }
      common.serverPids = nodePids == null ? null : List.copyOf(nodePids);
      for (int p : ports) {
        if (p < 1 || p > 65535) {
          throw new IllegalArgumentException("--ports must be TCP ports: " + p);
        }
      }
      if (common.adminUrl != null) {
        throw new IllegalArgumentException("cluster takes --push-port, not --admin-url");
      }
      common.ports = List.copyOf(ports);
      common.port = ports.get(0);
      common.adminUrl = "http://" + common.host + ":" + pushPort + "/admin/websocket/";
      Pusher.Target target = switch (route) {
        case "channels" -> Pusher.Target.channels(channels, "bench-");
        case "broadcast" -> Pusher.Target.broadcast();
        default -> throw new IllegalArgumentException("--route must be channels or broadcast: " + route);
      };
      return PushScenario.run("cluster", common, push, target);
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

    @Option(names = "--ports", split = ",",
        description = "Ports of several nodes of one cluster: client i connects to port i %% nodes, so partners sit on "
            + "different nodes and every chat message crosses the cluster (default: --port only).")
    List<Integer> ports;

    @Option(names = "--node-pids", split = ",", description = "PIDs of every node: server CPU and RSS are their sums.")
    List<Long> nodePids;

    @Override
    public Integer call() throws Exception {
      if (ports != null && !ports.isEmpty()) {
        common.ports = List.copyOf(ports);
        common.port = ports.get(0);
      }
      if (nodePids != null) {
        common.serverPids = List.copyOf(nodePids);
      }
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
