package io.herald.pusher;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.herald.protocol.Message;
import io.herald.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * How one message looks in both protocols, so that a Pusher channel and a Herald channel of the
 * same name are one channel. The mapping (docs/pusher.md):
 *
 * <ul>
 *   <li>Herald {@code {"type":T,"channel":C,"data":D}} reaches Pusher clients as
 *       {@code {"event":T,"channel":C,"data":S}}, where S is D itself when D is a JSON string,
 *       else D's JSON text.
 *   <li>A Pusher event {@code name} with data string S reaches Herald clients as
 *       {@code {"type":name,"channel":C,"data":D}}, where D is S's JSON value when S is valid
 *       JSON (as Laravel's payloads are), else the string S.
 * </ul>
 *
 * A top-level {@code user_id} (client events on presence channels) travels in both. The Pusher
 * bytes are made once per message ({@link Message#encoded}); for events that enter through the
 * Pusher side they are seeded at once, so nothing is re-encoded on this node.
 */
public final class PusherFormat implements Message.Format {
  public static final PusherFormat INSTANCE = new PusherFormat();

  private PusherFormat() {
  }

  /** A Pusher event as one message in both encodings. */
  public static Message event(String name, String channel, String data, String userId) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 + data.length());
    try (com.fasterxml.jackson.core.JsonGenerator gen = Json.MAPPER.getFactory().createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("type", name);
      gen.writeStringField("channel", channel);
      if (isJson(data)) {
        gen.writeFieldName("data");
        gen.writeRawValue(data);
      } else {
        gen.writeStringField("data", data);
      }
      if (userId != null) {
        gen.writeStringField("user_id", userId);
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot serialize a " + name + " event", e);
    }
    return Message.ofSerialized(name, out.toByteArray())
        .withEncoding(INSTANCE, PusherFrames.frame(name, channel, data, userId));
  }

  static boolean isJson(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    try (JsonParser p = Json.MAPPER.getFactory().createParser(s)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public byte[] encode(Message m) {
    byte[] json = m.json();
    String type = m.type();
    String channel = null;
    String data = null;
    String userId = null;
    try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "type" -> type = p.getText();
          case "channel" -> channel = t == JsonToken.VALUE_NULL ? null : p.getText();
          case "user_id" -> userId = t == JsonToken.VALUE_NULL ? null : p.getText();
          case "data" -> data = dataText(p, json, t);
          default -> p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      // A frame this node or a peer serialized is always valid JSON; say what broke, never guess.
      throw new IllegalStateException("cannot read a " + m.type() + " frame as JSON: " + e.getMessage(), e);
    }
    return PusherFrames.frame(type, channel, data == null ? "null" : data, userId);
  }

  /** The data value's text: the string itself, or the exact JSON bytes of anything else. */
  private static String dataText(JsonParser p, byte[] json, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    int start = (int) p.currentTokenLocation().getByteOffset();
    p.skipChildren();
    int end = (int) p.currentLocation().getByteOffset();
    return new String(json, start, end - start, StandardCharsets.UTF_8);
  }
}
