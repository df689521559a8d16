package io.herald.stats;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

/** What the nodes view shows of a node that does not change while it runs. */
public record NodeIdentity(String nodeId, String address, String version, Instant startedAt) {

  /** {@code host:port}, with this machine's name in place of a wildcard bind address. */
  public static String address(String host, int port) {
    String name = host;
    if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        name = "localhost";
      }
    }
    return (name.contains(":") ? "[" + name + "]" : name) + ":" + port;
  }
}
