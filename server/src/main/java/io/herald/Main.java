package io.herald;

import io.herald.cli.Cli;
import java.util.Map;

/** {@code java -jar herald.jar <command>}: see {@link Cli}. */
public final class Main {
  /**
   * Netty settings for a production server, applied unless set on the command line. Measured
   * with the load tool (BENCHMARKS.md): leak-detection bookkeeping on every write and Netty 4.2's
   * object recycler (an MPMC queue poll per queued write) together cost about 13% of fan-out CPU.
   * The test suite runs with paranoid leak detection instead. The Redis client (Lettuce) keeps its
   * few connections on epoll: with io_uring on the class path for the server's sockets it would
   * otherwise warn at every start that it chose epoll over io_uring.
   */
  static final Map<String, String> SERVER_DEFAULTS = Map.of(
      "io.netty.leakDetection.level", "disabled",
      "io.netty.recycler.maxCapacityPerThread", "0",
      "io.lettuce.core.iouring", "false");

  private Main() {
  }

  public static void main(String[] args) {
    SERVER_DEFAULTS.forEach((key, value) -> {
      if (System.getProperty(key) == null) {
        System.setProperty(key, value);
      }
    });
    System.exit(Cli.run(args));
  }
}
