package io.herald.cli;

import io.herald.HeraldServer;
import io.herald.Version;
import io.herald.config.Secrets;
import io.herald.config.ServerConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code herald start}: runs the server in the foreground until SIGINT/SIGTERM, which drain it;
 * SIGHUP reloads the configuration. With {@code --daemon}, starts that same command as a
 * background process and returns once it answers.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start Herald in the foreground, or in the background with --daemon.")
final class StartCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options = new ConfigOptions();

  @Option(names = {"-d", "--daemon"},
      description = "Run in the background: pid in <data_dir>/herald.pid, output in <log.dir>/herald.out.")
  boolean daemon;

  @Override
  public Integer call() {
    Secrets[] secrets = new Secrets[1];
    ServerConfig config = options.load(dir -> secrets[0] = Secrets.inFolder(dir));
    PidFile pidFile = new PidFile(config.dataDir());
    refuseIfRunning(pidFile);
    if (daemon) {
      return Daemon.start(options, config, System.out, System.err);
    }
    Logging.configure(config);
    HeraldServer server = HeraldServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LoggerFactory.getLogger(StartCommand.class).info("stopping (SIGTERM or SIGINT): draining");
      server.close();
      pidFile.deleteIfCurrent();
      LoggerFactory.getLogger(StartCommand.class).info("Herald stopped");
      Logging.stop();
      stopped.countDown();
    }, "herald-shutdown"));
    Signals.Hangup hangup = Signals.onHangup(() -> reload(server));
    server.reloadBySignal(hangup == Signals.Hangup.HANDLED);
    if (hangup == Signals.Hangup.UNSUPPORTED) {
      LoggerFactory.getLogger(StartCommand.class).info("no SIGHUP on this platform: restart to reload the configuration");
    } else if (hangup == Signals.Hangup.IGNORED) {
      LoggerFactory.getLogger(StartCommand.class).warn("SIGHUP is ignored in this process (started under nohup, or by "
          + "a parent that ignores it), so `herald reload` cannot reach it: restart to reload the configuration");
    }
    // Written last: `start --daemon` and `reload` take the pid file as "ready", and a SIGHUP that
    // came before the handler above would stop the JVM instead of reloading.
    pidFile.writeCurrent();
    banner(System.out, config, server, secrets[0]);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Cli.EXIT_OK;
  }

  /** One Herald per data folder: its pid file names it. A stale file is removed. */
  static void refuseIfRunning(PidFile pidFile) {
    Optional<ProcessHandle> running = pidFile.process();
    if (running.isPresent()) {
      throw new IllegalStateException("Herald is already running (pid " + running.get().pid() + ", pid file "
          + pidFile.path() + "): stop it first (./herald stop), or give this server its own data_dir");
    }
    if (pidFile.exists()) {
      System.out.printf("Removing the stale pid file %s: pid %s is not running.%n", pidFile.path(),
          pidFile.read().isPresent() ? Long.toString(pidFile.read().getAsLong()) : "(unreadable)");
      pidFile.delete();
    }
  }

  /** SIGHUP: re-reads the file (and data_dir secrets) with the options of this start. */
  private void reload(HeraldServer server) {
    org.slf4j.Logger log = LoggerFactory.getLogger(StartCommand.class);
    log.info("SIGHUP: reloading the configuration");
    ServerConfig next;
    try {
      next = options.load(Secrets::inFolder);
    } catch (RuntimeException e) {
      server.reloadFailed();
      log.error("reload failed, the running configuration is unchanged: {}", e.getMessage());
      return;
    }
    try {
      List<String> restart = server.reload(next);
      Logging.level(next.logging().level());
      if (!restart.isEmpty()) {
        log.warn("reload: these changes wait for a restart: {}", String.join("; ", restart));
      }
    } catch (RuntimeException e) {
      log.error("reload failed, the running configuration is unchanged: {}", e.getMessage());
    }
  }

  private static void banner(PrintStream out, ServerConfig config, HeraldServer server, Secrets secrets) {
    String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
    String mode = config.cluster().enabled() ? "cluster on Redis" : "single node, in memory";
    String ws = config.tls().enabled() ? "wss" : "ws";
    String http = config.tls().enabled() ? "https" : "http";
    out.printf("Herald %s listening on %s://%s:%d/ws (node %s, %s, transport %s, pid %d)%n", Version.current(), ws,
        config.host(), server.port(), config.cluster().nodeId(), mode, server.transport(), ProcessHandle.current().pid());
    out.printf("  admin API  %s://%s:%d/admin/websocket/   demo  %s://%s:%d/demo   dashboard  %s://%s:%d/dashboard%n",
        http, host, server.apiPort(), http, host, server.port(), http, host, server.port());
    boolean newSecret = secrets != null && secrets.generated("jwt-secret");
    boolean newKey = secrets != null && secrets.generated("api-key");
    if (newSecret || newKey) {
      out.printf("First start: generated %s and kept %s in %s/ (readable only by you).%n",
          newSecret && newKey ? "a JWT secret and an admin API key" : newSecret ? "a JWT secret" : "an admin API key",
          newSecret && newKey ? "them" : "it", config.dataDir());
    }
    if (config.auth().mode() == ServerConfig.AuthMode.JWT && config.auth().jwtSecret() != null) {
      out.printf("  token for user 42:  ./herald token 42%n");
      out.printf("  connect:            %s://%s:%d/ws?user_id=42&token=<token>%n", ws, host, server.port());
    }
    if (System.getenv("HERALD_API_KEY") == null) {
      out.printf("  admin call:         ./herald online   (or curl -H \"Authorization: Bearer $(cat %s/api-key)\" %s://%s:%d/admin/websocket/online-count)%n",
          config.dataDir(), http, host, server.apiPort());
    }
    out.flush();
  }
}
