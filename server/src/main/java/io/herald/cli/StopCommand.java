package io.herald.cli;

import io.herald.config.ServerConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code herald stop}: sends SIGTERM to the pid in {@code <data_dir>/herald.pid}; the server drains
 * (stops accepting, sends 1001 behind what is queued, waits up to {@code shutdown.drain_timeout})
 * and exits. Stopping a server that is not running succeeds, as init scripts expect.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Stop the running Herald gracefully: clients get 1001 after their queued messages.")
final class StopCommand implements Callable<Integer> {
  /** Time on top of the drain timeout for the JVM to stop its loops and exit. */
  static final Duration EXIT_MARGIN = Duration.ofSeconds(15);

  @Mixin
  ConfigOptions options = new ConfigOptions();

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "How long to wait for the exit (default: shutdown.drain_timeout + 15 s).")
  Long timeoutSeconds;

  @Option(names = "--force", description = "Kill the process (SIGKILL) if it has not exited in time.")
  boolean force;

  @Override
  public Integer call() {
    ServerConfig config = options.loadForClient();
    Duration timeout = timeoutSeconds != null ? Duration.ofSeconds(timeoutSeconds)
        : config.shutdown().drainTimeout().plus(EXIT_MARGIN);
    return stop(config, timeout, force, System.out, System.err);
  }

  static int stop(ServerConfig config, Duration timeout, boolean force, PrintStream out, PrintStream err) {
    PidFile pidFile = new PidFile(config.dataDir());
    OptionalLong pid = pidFile.read();
    if (pid.isEmpty()) {
      out.printf("Herald is not running (no pid file at %s).%n", pidFile.path());
      return Cli.EXIT_OK;
    }
    Optional<ProcessHandle> process = pidFile.process();
    if (process.isEmpty()) {
      out.printf("Herald is not running; removing the stale pid file %s (pid %d has exited).%n",
          pidFile.path(), pid.getAsLong());
      pidFile.delete();
      return Cli.EXIT_OK;
    }
    ProcessHandle p = process.get();
    out.printf("Stopping Herald (pid %d): draining connections for at most %d s...%n", p.pid(),
        config.shutdown().drainTimeout().toSeconds());
    out.flush();
    long started = System.nanoTime();
    p.destroy();
    if (awaitExit(p, timeout)) {
      out.printf("Herald stopped (pid %d, %.1f s).%n", p.pid(), (System.nanoTime() - started) / 1e9);
      return Cli.EXIT_OK;
    }
    if (force) {
      p.destroyForcibly();
      if (awaitExit(p, Duration.ofSeconds(10))) {
        pidFile.delete();
        out.printf("Herald (pid %d) did not stop within %d s and was killed.%n", p.pid(), timeout.toSeconds());
        return Cli.EXIT_OK;
      }
    }
    err.printf("herald: Herald (pid %d) has not stopped within %d s; wait and try again, or use stop --force to kill it%n",
        p.pid(), timeout.toSeconds());
    return Cli.EXIT_RUNTIME;
  }

  private static boolean awaitExit(ProcessHandle p, Duration timeout) {
    try {
      p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return !p.isAlive();
    }
  }
}
