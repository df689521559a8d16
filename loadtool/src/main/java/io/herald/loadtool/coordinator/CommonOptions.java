package io.herald.loadtool.coordinator;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every scenario shares: the target, the simulated clients and how they are spread. */
public final class CommonOptions {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address, loopback only (default: ${DEFAULT-VALUE}).")
  public String host;

  @Option(names = "--port", defaultValue = "5200", description = "Server port (default: ${DEFAULT-VALUE}).")
  public int port;

  @Option(names = "--path", defaultValue = "/ws", description = "WebSocket path (default: ${DEFAULT-VALUE}).")
  public String path;

  @Option(names = "--admin-url", description = "Admin API base (default: http://HOST:PORT/admin/websocket/).")
  public String adminUrl;

  @Option(names = "--jwt-secret", defaultValue = "${env:HERALD_JWT_SECRET}",
      description = "HS256 secret for minting client tokens (default: $HERALD_JWT_SECRET).")
  public String jwtSecret;

  @Option(names = "--api-key", defaultValue = "${env:HERALD_API_KEY}",
      description = "Admin API key (default: $HERALD_API_KEY).")
  public String apiKey;

  @Option(names = {"-c", "--clients"}, defaultValue = "1000", description = "Connections to open (default: ${DEFAULT-VALUE}).")
  public int clients;

  @Option(names = "--users", defaultValue = "0",
      description = "Distinct users; client i is user --first-user-id + i %% users, and the connections of one user in a worker share one token (auth proxy storms). 0: one user per client (default).")
  public int users;

  @Option(names = "--workers", defaultValue = "0",
      description = "Worker processes holding the connections; 0 picks enough to stay under the open-files limit (default: auto).")
  public int workers;

  @Option(names = "--io-threads", defaultValue = "1", description = "Event loop threads per worker (default: ${DEFAULT-VALUE}).")
  public int ioThreads;

  @Option(names = "--worker-heap", defaultValue = "384m", description = "-Xmx of each worker JVM (default: ${DEFAULT-VALUE}).")
  public String workerHeap;

  @Option(names = "--worker-jvm-opt", description = "Extra JVM option for each worker (repeatable), e.g. -XX:+UseParallelGC.")
  public java.util.List<String> workerJvmOptions = new java.util.ArrayList<>();

  @Option(names = "--source-ips", defaultValue = "0",
      description = "Source addresses to spread connections over, from --first-source-ip up; 0 picks enough for the clients (default: auto).")
  public int sourceIps;

  @Option(names = "--first-source-ip", defaultValue = "127.0.0.2", description = "First source address (default: ${DEFAULT-VALUE}).")
  public String firstSourceIp;

  @Option(names = "--first-user-id", defaultValue = "1000000", description = "User id of client 0; client i is this + i (default: ${DEFAULT-VALUE}).")
  public long firstUserId;

  @Option(names = "--max-inflight", defaultValue = "256", description = "Handshakes in progress per worker (default: ${DEFAULT-VALUE}).")
  public int maxInflight;

  @Option(names = "--connect-rate", defaultValue = "0", description = "New connections per second in total; 0 = limited by --max-inflight only (default: ${DEFAULT-VALUE}).")
  public double connectRate;

  @Option(names = "--handshake-timeout", defaultValue = "PT15S", description = "Limit per connection until ready, ISO-8601 (default: ${DEFAULT-VALUE}).")
  public Duration handshakeTimeout;

  @Option(names = "--connect-timeout", defaultValue = "PT180S", description = "Limit for opening all connections, ISO-8601 (default: ${DEFAULT-VALUE}).")
  public Duration connectTimeout;

  @Option(names = "--heartbeat-interval", defaultValue = "PT25S",
      description = "Each client sends a heartbeat frame this often, as real clients do; PT0S for never (default: ${DEFAULT-VALUE}).")
  public Duration heartbeatInterval;

  @Option(names = "--server-pid", description = "PID of the server process, to report its CPU time and RSS.")
  public Long serverPid;

  /** Server processes whose CPU and RSS are summed (cluster scenario); null means just {@link #serverPid}. */
  public java.util.List<Long> serverPids;

  /** Ports the clients spread over round-robin (cluster scenario); null means just {@link #port}. */
  public java.util.List<Integer> ports;

  @Option(names = "--label", defaultValue = "", description = "Free text copied into the JSON line (e.g. the server's name).")
  public String label;
}
