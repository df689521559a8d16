package io.herald.cli;

/**
 * SIGHUP means "reload the configuration", as for nginx and the seed's {@code reload}. The JVM
 * would otherwise treat it as a request to exit. SIGTERM and SIGINT keep the JVM's meaning: run
 * the shutdown hooks, where Herald drains.
 */
final class Signals {
  private Signals() {
  }

  /** Runs {@code action} on each SIGHUP; false where the platform has no SIGHUP (Windows). */
  @SuppressWarnings("sunapi")
  static boolean onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return false;
    }
  }
}
