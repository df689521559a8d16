package io.herald.testing;

/**
 * The socket layer the test servers run on: {@code -Dherald.transport=io_uring|epoll|nio} (Maven passes
 * its {@code herald.transport} property through), {@code auto} by default. Every server a test starts,
 * in process or as a child JVM, takes it, so one suite covers each transport.
 */
public final class TestTransport {
  private TestTransport() {
  }

  /** The {@code transport} configuration value for test servers. */
  public static String requested() {
    String t = System.getProperty("herald.transport", "auto").trim();
    return t.isEmpty() ? "auto" : t;
  }
}
