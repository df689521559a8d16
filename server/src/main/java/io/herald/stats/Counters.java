package io.herald.stats;

import io.herald.metrics.Metrics;
import java.util.Map;
import java.util.Set;

/**
 * The running totals behind the graphs, read off the meters Herald keeps for {@code /metrics}:
 * messages in (client frames), messages out (pushes through the admin API and client chats and
 * broadcasts: messages published on this node), deliveries (frames queued to connections),
 * slow-consumer closes (4008) and errors (error replies to clients, closes with 1011, admin
 * answers 500 and 503). docs/admin-api.md defines each the same way.
 */
record Counters(double messagesIn, double messagesOut, double deliveries, double slowCloses, double errors) {
  private static final Set<String> PUSH_ENDPOINTS = Set.of("send-to-user", "send-to-users", "broadcast",
      "send-to-channel", "send-notification", "send-notification-to-users", "push-data-update",
      "push-data-update-channel");

  static Counters read(Metrics m) {
    double in = m.total("herald_frames_in", Map.of());
    double out = m.total("herald_admin_requests", Map.of("endpoint", PUSH_ENDPOINTS, "status", Set.of("200")))
        + m.total("herald_frames_in", Map.of("type", Set.of("chat", "broadcast")));
    double deliveries = m.total("herald_frames_out", Map.of());
    double slow = m.total("herald_slow_consumers_closed", Map.of());
    double errors = m.total("herald_frames_out", Map.of("type", Set.of("error")))
        + m.total("herald_connections_closed", Map.of("code", Set.of("1011")))
        + m.total("herald_admin_requests", Map.of("status", Set.of("500", "503")));
    return new Counters(in, out, deliveries, slow, errors);
  }
}
