package io.herald.ops;

import io.herald.testing.TestTransport;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code herald <args>} as a real child JVM ({@code java -cp <test classpath> io.herald.Main})
 * in a working folder, the way the launcher does, and collects its exit code and output.
 */
public final class HeraldProcess {
  private static final long TIMEOUT_SECONDS = 90;

  /** The outcome of one command. */
  public record Result(int exit, String out) {
    @Override
    public String toString() {
      return "exit " + exit + ":\n" + out;
    }
  }

  private HeraldProcess() {
  }

  /** Runs a command to completion (a daemon start returns once its server answers). */
  public static Result run(Path dir, String... args) throws IOException, InterruptedException {
    return run(dir, Map.of(), args);
  }

  public static Result run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
    return run(dir, env, false, args);
  }

  /** As {@link #run(Path, String...)}, the child started under {@code nohup}: SIGHUP ignored, as it inherits. */
  public static Result runIgnoringHangup(Path dir, String... args) throws IOException, InterruptedException {
    return run(dir, Map.of(), true, args);
  }

  private static Result run(Path dir, Map<String, String> env, boolean nohup, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (nohup) {
      cmd.add("nohup");
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.herald.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
    pb.environment().put("HERALD_TRANSPORT", TestTransport.requested());
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    // A daemon child inherits no pipe (its output goes to a file), so this read ends with the command.
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("herald " + String.join(" ", args) + " did not finish; output:\n" + out);
    }
    return new Result(p.exitValue(), out);
  }

  /** A port free right now on loopback (for a child whose port the test must know). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
