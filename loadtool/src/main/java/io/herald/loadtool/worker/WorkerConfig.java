package io.herald.loadtool.worker;

import java.util.List;
import java.util.Map;

/**
 * What one worker process connects (each ready client sends a {@code heartbeat} frame every
 * {@code heartbeatSeconds}, 0 for never): global client indexes {@code [firstIndex, firstIndex + count)},
 * user id {@code firstUserId + index} (or {@code firstUserId + index % users} when {@code users > 0}: several
 * connections per user, sharing one token within a worker), port {@code ports[index % size]} (just {@code port} by default), channel {@code index % channels} (no subscription when
 * {@code channels == 0}), source address {@code sourceAddresses[index % size]}.
 */
public record WorkerConfig(String host, int port, String path, String jwtSecret, int firstIndex, int count,
    long firstUserId, int channels, String channelPrefix, List<String> sourceAddresses, int maxInflight,
    double connectRatePerSecond, int handshakeTimeoutMillis, int ioThreads, int heartbeatSeconds, List<Integer> ports,
    int users) {

  public WorkerConfig(String host, int port, String path, String jwtSecret, int firstIndex, int count,
      long firstUserId, int channels, String channelPrefix, List<String> sourceAddresses, int maxInflight,
      double connectRatePerSecond, int handshakeTimeoutMillis, int ioThreads, int heartbeatSeconds, List<Integer> ports) {
    this(host, port, path, jwtSecret, firstIndex, count, firstUserId, channels, channelPrefix, sourceAddresses,
        maxInflight, connectRatePerSecond, handshakeTimeoutMillis, ioThreads, heartbeatSeconds, ports, 0);
  }

  /** One target port: every client connects to {@code port}. */
  public WorkerConfig(String host, int port, String path, String jwtSecret, int firstIndex, int count,
      long firstUserId, int channels, String channelPrefix, List<String> sourceAddresses, int maxInflight,
      double connectRatePerSecond, int handshakeTimeoutMillis, int ioThreads, int heartbeatSeconds) {
    this(host, port, path, jwtSecret, firstIndex, count, firstUserId, channels, channelPrefix, sourceAddresses,
        maxInflight, connectRatePerSecond, handshakeTimeoutMillis, ioThreads, heartbeatSeconds, List.of(port));
  }

  public WorkerConfig {
    if (ports == null || ports.isEmpty()) {
      ports = List.of(port);
    }
    ports = List.copyOf(ports);
    if (count < 0 || firstIndex < 0) {
      throw new IllegalArgumentException("client range must not be negative: " + firstIndex + "+" + count);
    }
    if (sourceAddresses == null || sourceAddresses.isEmpty()) {
      throw new IllegalArgumentException("at least one source address is needed");
    }
    if (maxInflight < 1) {
      throw new IllegalArgumentException("maxInflight must be >= 1: " + maxInflight);
    }
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads must be >= 1: " + ioThreads);
    }
  }

  /** The port client {@code index} connects to: the ports round-robin (several cluster nodes on one host). */
  public int portFor(int index) {
    return ports.get(index % ports.size());
  }

  /** The user of client {@code index}. */
  public long userIdFor(int index) {
    return firstUserId + (users > 0 ? index % users : index);
  }

  public String channelName(int channel) {
    return channelPrefix + channel;
  }

  public Map<String, Object> toJson() {
    return Map.ofEntries(
        Map.entry("host", host), Map.entry("port", port), Map.entry("path", path),
        Map.entry("jwtSecret", jwtSecret), Map.entry("firstIndex", firstIndex), Map.entry("count", count),
        Map.entry("firstUserId", firstUserId), Map.entry("channels", channels),
        Map.entry("channelPrefix", channelPrefix), Map.entry("sourceAddresses", sourceAddresses),
        Map.entry("maxInflight", maxInflight), Map.entry("connectRatePerSecond", connectRatePerSecond),
        Map.entry("handshakeTimeoutMillis", handshakeTimeoutMillis), Map.entry("ioThreads", ioThreads),
        Map.entry("heartbeatSeconds", heartbeatSeconds), Map.entry("ports", ports), Map.entry("users", users));
  }

  @SuppressWarnings("unchecked")
  public static WorkerConfig fromJson(Map<String, Object> m) {
    return new WorkerConfig((String) m.get("host"), ((Number) m.get("port")).intValue(), (String) m.get("path"),
        (String) m.get("jwtSecret"), ((Number) m.get("firstIndex")).intValue(), ((Number) m.get("count")).intValue(),
        ((Number) m.get("firstUserId")).longValue(), ((Number) m.get("channels")).intValue(),
        (String) m.get("channelPrefix"), (List<String>) m.get("sourceAddresses"),
        ((Number) m.get("maxInflight")).intValue(), ((Number) m.get("connectRatePerSecond")).doubleValue(),
        ((Number) m.get("handshakeTimeoutMillis")).intValue(), ((Number) m.get("ioThreads")).intValue(),
        ((Number) m.get("heartbeatSeconds")).intValue(),
        m.get("ports") == null ? null : ((List<Number>) m.get("ports")).stream().map(Number::intValue).toList(),
        m.get("users") == null ? 0 : ((Number) m.get("users")).intValue());
  }
}
