package io.herald.cli;

/**
 * SIGHUP means "reload the configuration", as for nginx and the seed's {@code reload}. The JVM
 * would otherwise treat it as a request to exit. SIGTERM and SIGINT keep the JVM's meaning: run
 * the shutdown hooks, where Herald drains.
 */
final class Signals {
  private Signals() {
  }

  /** What {@link #onHangup} achieved. */
  enum Hangup {
    /** SIGHUP now runs the action. */
    HANDLED,
    /**
     * The process was started with SIGHUP ignored (under {@code nohup}, or by a parent that
     * ignores it): the JVM keeps it ignored and installs no handler, so SIGHUP does nothing.
     */
    IGNORED,
    /** The platform has no SIGHUP (Windows). */
    UNSUPPORTED
  }

  /** Runs {@code action} on each SIGHUP where the process can receive one. */
  @SuppressWarnings("sunapi")
  static Hangup onHangup(Runnable action) {
    try {
      sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
      return previous == sun.misc.SignalHandler.SIG_IGN ? Hangup.IGNORED : Hangup.HANDLED;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return Hangup.UNSUPPORTED;
    }
  }
}
