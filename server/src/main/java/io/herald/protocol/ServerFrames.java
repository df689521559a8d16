package io.herald.protocol;

import io.herald.history.RecoveryOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every frame Herald itself sends a client, in one place: its {@code type} name and the fields of
 * its {@code data}, in wire order. Each method serializes once ({@link Message}); callers fan the
 * bytes out. docs/protocol.md describes the same frames. Admin pushes of free-form types go
 * through {@link #custom}.
 */
public final class ServerFrames {
  public static final String CONNECTED = "connected";
  public static final String PONG = "pong";
  public static final String HEARTBEAT_ACK = "heartbeat_ack";
  public static final String ERROR = "error";
  public static final String SUBSCRIBED = "subscribed";
  public static final String UNSUBSCRIBED = "unsubscribed";
  public static final String CHAT = "chat";
  public static final String BROADCAST = "broadcast";
  public static final String NOTIFICATION = "notification";
  public static final String DATA_UPDATE = "data_update";
  public static final String RECOVERY = "recovery";

  /** The type names above, in a fixed order (metrics label values follow it). */
  public static final List<String> TYPES = List.of(CONNECTED, PONG, HEARTBEAT_ACK, ERROR, SUBSCRIBED, UNSUBSCRIBED,
      CHAT, BROADCAST, NOTIFICATION, DATA_UPDATE, RECOVERY);

  private ServerFrames() {
  }

  /** The greeting after a successful upgrade. */
  public static Message connected(Object userId, String connectionId, long heartbeatIntervalSeconds) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("user_id", userId);
    data.put("connection_id", connectionId);
    data.put("heartbeat_interval", heartbeatIntervalSeconds);
    return Message.of(CONNECTED, data);
  }

  /**
   * After a recovering connection's replay:
   * {@code {"recovered":…,"streams":{"user":{epoch,offset,recovered},"all":{…}}}}, keyed by
   * stream kind ({@code user}, {@code all}).
   */
  public static Message recovery(Map<String, RecoveryOutcome> streams) {
    Map<String, Object> positions = new LinkedHashMap<>();
    boolean recovered = true;
    for (Map.Entry<String, RecoveryOutcome> e : streams.entrySet()) {
      positions.put(e.getKey(), position(e.getValue()));
      recovered &= e.getValue().recovered();
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("recovered", recovered);
    data.put("streams", positions);
    return Message.of(RECOVERY, data);
  }

  /** Before {@code subscribed}, after a channel's replay: {@code {"recovered":…,"channels":{NAME:{…}}}}. */
  public static Message channelRecovery(String channel, RecoveryOutcome outcome) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("recovered", outcome.recovered());
    data.put("channels", Map.of(channel, position(outcome)));
    return Message.of(RECOVERY, data);
  }

  private static Map<String, Object> position(RecoveryOutcome o) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("epoch", o.epoch());
    p.put("offset", o.offset() < 0 ? null : o.offset());
    p.put("recovered", o.recovered());
    return p;
  }

  /** The answer to a client {@code ping}. */
  public static Message pong(long epochSecond) {
    return Message.of(PONG, Map.of("timestamp", epochSecond));
  }

  /** The answer to a client {@code heartbeat}. */
  public static Message heartbeatAck(long epochSecond) {
    return Message.of(HEARTBEAT_ACK, Map.of("timestamp", epochSecond));
  }

  /** An error; {@code channel}, when not null, names the channel a refused subscribe was for. */
  public static Message error(ErrorCode code, String message, String channel) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("code", code.wire());
    data.put("message", message);
    if (channel != null) {
      data.put("channel", channel);
    }
    return Message.of(ERROR, data);
  }

  public static Message subscribed(String channel) {
    return Message.of(SUBSCRIBED, Map.of("channel", channel));
  }

  public static Message unsubscribed(String channel) {
    return Message.of(UNSUBSCRIBED, Map.of("channel", channel));
  }

  /** A chat message between users; {@code from} is always the sender's id. */
  public static Message chat(Object from, Object to, Object content, long epochSecond) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("from_user_id", from);
    data.put("to_user_id", to);
    data.put("content", content);
    data.put("timestamp", epochSecond);
    return Message.of(CHAT, data);
  }

  /** A broadcast from a connected user. */
  public static Message broadcast(Object from, Object message, long epochSecond) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("from_user_id", from);
    data.put("message", message);
    data.put("timestamp", epochSecond);
    return Message.of(BROADCAST, data);
  }

  /** A system notification; {@code kind} null means {@code info}, {@code extra} null is left out. */
  public static Message notification(String title, String message, String kind, Object extra, long epochSecond) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("title", title);
    data.put("message", message);
    data.put("type", kind == null ? "info" : kind);
    data.put("timestamp", epochSecond);
    if (extra != null) {
      data.put("extra_data", extra);
    }
    return Message.of(NOTIFICATION, data);
  }

  /** A data update; {@code channel} null for one sent to users. */
  public static Message dataUpdate(String channel, String resourceType, String action, Object data, long epochSecond) {
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("resource_type", resourceType);
    update.put("action", action);
    update.put("data", data);
    update.put("timestamp", epochSecond);
    return Message.of(DATA_UPDATE, channel, update);
  }

  /** An admin push of a caller-chosen type; {@code channel} null for one sent to users. */
  public static Message custom(String type, String channel, Object data) {
    return Message.of(type, channel, data);
  }
}
