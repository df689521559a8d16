package io.herald.pusher;

import com.fasterxml.jackson.core.JsonGenerator;
import io.herald.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The server's Pusher frames: {@code {"event":E,"channel":C?,"data":D,"user_id":U?}} where
 * {@code D} is always a JSON <em>string</em> (the protocol's double encoding; some SDKs break on
 * objects). Every frame the Pusher front door writes is made here.
 */
public final class PusherFrames {
  private PusherFrames() {
  }

  /** A frame whose data is the JSON text {@code data} carried as a string. */
  public static byte[] frame(String event, String channel, String data, String userId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + (data == null ? 0 : data.length()));
    try (JsonGenerator gen = Json.MAPPER.getFactory().createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("event", event);
      if (channel != null) {
        gen.writeStringField("channel", channel);
      }
      gen.writeStringField("data", data == null ? "{}" : data);
      if (userId != null) {
        gen.writeStringField("user_id", userId);
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a Pusher " + event + " frame", e);
    }
    return out.toByteArray();
  }

  /** A frame whose data is {@code data} serialized to JSON, then carried as a string. */
  public static byte[] frameOf(String event, String channel, Object data) {
    return frame(event, channel, json(data), null);
  }

  public static byte[] connectionEstablished(String socketId, long activityTimeoutSeconds) {
    return frameOf("pusher:connection_established", null,
        Map.of("socket_id", socketId, "activity_timeout", activityTimeoutSeconds));
  }

  public static byte[] pong() {
    return frame("pusher:pong", null, "{}", null);
  }

  public static byte[] ping() {
    return frame("pusher:ping", null, "{}", null);
  }

  /** {@code pusher:error}; {@code code} null for errors without a protocol code. */
  public static byte[] error(Integer code, String message) {
    java.util.LinkedHashMap<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("code", code);
    data.put("message", message);
    return frameOf("pusher:error", null, data);
  }

  public static byte[] subscriptionSucceeded(String channel, Object data) {
    return frameOf("pusher_internal:subscription_succeeded", channel, data);
  }

  /** A refused subscription: pusher-js routes it to the channel (Echo's {@code .error()}). */
  public static byte[] subscriptionError(String channel, String type, String error, int status) {
    java.util.LinkedHashMap<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("type", type);
    data.put("error", error);
    data.put("status", status);
    return frameOf("pusher:subscription_error", channel, data);
  }

  public static byte[] cacheMiss(String channel) {
    return frame("pusher:cache_miss", channel, "{}", null);
  }

  public static byte[] signinSuccess(String userData) {
    return frameOf("pusher:signin_success", null, Map.of("user_data", userData));
  }

  static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize Pusher frame data", e);
    }
  }
}
