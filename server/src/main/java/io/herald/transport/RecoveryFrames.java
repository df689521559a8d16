package io.herald.transport;

import io.herald.history.StreamId;
import io.herald.hub.Message;
import io.herald.hub.Recovery;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers to recovery requests: a {@code recovery} frame after the replay, for the user and
 * all-users streams once connected, for a channel just before its {@code subscribed} (which stays
 * {@code {channel}} as in the seed).
 */
final class RecoveryFrames {
  private RecoveryFrames() {
  }

  /** {@code {"type":"recovery","data":{"recovered":…,"streams":{"user":{…},"all":{…}}}}}. */
  static Message recovery(Map<StreamId, Recovery.Outcome> outcomes) {
    Map<String, Object> streams = new LinkedHashMap<>();
    boolean recovered = true;
    for (Map.Entry<StreamId, Recovery.Outcome> e : outcomes.entrySet()) {
      streams.put(e.getKey().kind().wire(), position(e.getValue()));
      recovered &= e.getValue().recovered();
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("recovered", recovered);
    data.put("streams", streams);
    return Message.of("recovery", data);
  }

  /** {@code {"type":"recovery","data":{"recovered":…,"channels":{"orders":{…}}}}}. */
  static Message channel(String channel, Recovery.Outcome outcome) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("recovered", outcome.recovered());
    data.put("channels", Map.of(channel, position(outcome)));
    return Message.of("recovery", data);
  }

  private static Map<String, Object> position(Recovery.Outcome o) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("epoch", o.epoch());
    p.put("offset", o.offset() < 0 ? null : o.offset());
    p.put("recovered", o.recovered());
    return p;
  }
}
