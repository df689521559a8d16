package io.herald.transport;

import io.herald.config.ServerConfig;

/** The per-connection limits, resolved once from the configuration and shared by all connections. */
record WsSettings(int maxFrameBytes, int messagesPerSecond, int messageBurst, int broadcastsPerMinute,
                  int maxPendingBytes, long heartbeatIntervalNanos, long heartbeatTimeoutNanos,
                  long heartbeatIntervalSeconds, long closeGraceMillis, java.time.Duration expiryWarning) {

  static WsSettings from(ServerConfig c) {
    ServerConfig.Limits l = c.limits();
    return new WsSettings(l.maxFrameBytes(), l.messagesPerSecond(), l.messageBurst(), l.broadcastsPerMinute(),
        l.maxPendingBytes(), c.heartbeat().interval().toNanos(), c.heartbeat().timeout().toNanos(),
        Math.max(1, c.heartbeat().interval().toSeconds()), l.closeGrace().toMillis(), c.auth().expiryWarning());
  }
}
