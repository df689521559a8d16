package io.herald.loadtool.worker;

import java.util.List;
import java.util.Map;

/**
 * What one worker process connects (each ready client sends a {@code heartbeat} frame every
 * {@code heartbeatSeconds}, 0 for never): global client indexes {@code [firstIndex, firstIndex + count)},
 * user id {@code firstUserId + index}, channel {@code index % channels} (no subscription when
 * {@code channels == 0}), source address {@code sourceAddresses[index % size]}.
 */
public record WorkerConfig(String host, int port, String path, String jwtSecret, int firstIndex, int count,
    long firstUserId, int channels, String channelPrefix, List<String> sourceAddresses, int maxInflight,
    double connectRatePerSecond, int handshakeTimeoutMillis, int ioThreads, int heartbeatSeconds) {

  public WorkerConfig {
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
        Map.entry("heartbeatSeconds", heartbeatSeconds));
  }

  @SuppressWarnings("unchecked")
  public static WorkerConfig fromJson(Map<String, Object> m) {
    return new WorkerConfig((String) m.get("host"), ((Number) m.get("port")).intValue(), (String) m.get("path"),
        (String) m.get("jwtSecret"), ((Number) m.get("firstIndex")).intValue(), ((Number) m.get("count")).intValue(),
        ((Number) m.get("firstUserId")).longValue(), ((Number) m.get("channels")).intValue(),
        (String) m.get("channelPrefix"), (List<String>) m.get("sourceAddresses"),
        ((Number) m.get("maxInflight")).intValue(), ((Number) m.get("connectRatePerSecond")).doubleValue(),
        ((Number) m.get("handshakeTimeoutMillis")).intValue(), ((Number) m.get("ioThreads")).intValue(),
        ((Number) m.get("heartbeatSeconds")).intValue());
  }
}
