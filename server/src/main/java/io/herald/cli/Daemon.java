package io.herald.cli;

import io.herald.config.ServerConfig;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code herald start --daemon}: runs {@code herald start} with the same options in a new JVM in
 * its own session (no terminal), its output appended to {@code <log.dir>/herald.out}, and waits
 * until it has written its pid file and answers {@code /health}, or has died.
 */
final class Daemon {
  static final String OUT_FILE = "herald.out";
  private static final long START_TIMEOUT_MILLIS = 60_000;
  private static final long POLL_MILLIS = 100;

  private Daemon() {
  }

  static int start(ConfigOptions options, ServerConfig config, PrintStream out, PrintStream err) {
    Path logDir = config.logging().dir();
    Path outFile = logDir.resolve(OUT_FILE);
    Process process;
    try {
      Files.createDirectories(logDir);
      ProcessBuilder pb = new ProcessBuilder(command(options))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(outFile.toFile()));
      File devNull = new File("/dev/null");
      if (devNull.exists()) {
        pb.redirectInput(devNull);
      }
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start Herald in the background: " + e.getMessage(), e);
    }
    return awaitStarted(process, config, outFile, out, err);
  }

  /** The java command of this JVM, its options, and {@code io.herald.Main start <options>}. */
  static List<String> command(ConfigOptions options) {
    List<String> cmd = new ArrayList<>();
    Optional<Path> setsid = Optional.of(Path.of("/usr/bin/setsid")).filter(Files::isExecutable)
        .or(() -> Optional.of(Path.of("/bin/setsid")).filter(Files::isExecutable));
    setsid.ifPresent(p -> cmd.add(p.toString()));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-D" + Logging.CONSOLE_LEVEL_PROPERTY + "=")) {
        cmd.add(arg);
      }
    }
    cmd.add("-D" + Logging.CONSOLE_LEVEL_PROPERTY + "=OFF");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(io.herald.Main.class.getName());
    cmd.add("start");
    cmd.addAll(options.toArgs());
    return cmd;
  }

  private static int awaitStarted(Process process, ServerConfig config, Path outFile, PrintStream out,
                                  PrintStream err) {
    PidFile pidFile = new PidFile(config.dataDir());
    ServerClient client = ServerClient.of(config, null);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        err.printf("herald: the background server exited with code %d; its output (%s):%n", process.exitValue(),
            outFile);
        tail(outFile, 20).forEach(line -> err.println("  " + line));
        return Cli.EXIT_RUNTIME;
      }
      boolean written = pidFile.read().orElse(-1) == process.pid();
      if (written && (config.port() == 0 || answers(client))) {
        out.printf("Herald started in the background (pid %d) on %s; output in %s, log in %s/%n",
            process.pid(), config.port() == 0 ? "a free port" : client.base(), outFile, config.logging().dir());
        return Cli.EXIT_OK;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    err.printf("herald: the background server (pid %d) did not answer within %d s; it keeps running: "
        + "see %s and ./herald status%n", process.pid(), START_TIMEOUT_MILLIS / 1000, outFile);
    return Cli.EXIT_RUNTIME;
  }

  private static boolean answers(ServerClient client) {
    try {
      client.health();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
  }
}
