package io.herald.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One client frame, {@code {"type": T, "data": D}}, parsed at the protocol boundary. Unknown
 * top-level fields are ignored. Field accessors throw {@link ProtocolException} naming the field.
 */
public record ClientMessage(String type, JsonNode data) {

  public static ClientMessage parse(String text) {
    JsonNode root;
    try {
      root = Json.read(text);
    } catch (Json.MalformedJson e) {
      throw new ProtocolException(ErrorCode.INVALID_JSON, "message is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "message must be a JSON object {\"type\":…,\"data\":…}");
    }
    JsonNode type = root.get("type");
    if (type == null || type.isNull()) {
      throw new ProtocolException(ErrorCode.MISSING_FIELD, "type is required");
    }
    if (!type.isTextual() || type.textValue().isEmpty()) {
      throw new ProtocolException(ErrorCode.INVALID_FIELD, "type must be a non-empty string");
    }
    return new ClientMessage(type.textValue(), root.get("data"));
  }

  /**
   * As {@link #parse(String)}, from a text frame's UTF-8 bytes. A frame of the usual shape, an
   * object with a string {@code type} and optionally {@code data} (either order, nothing else), is
   * read token by token: no String of the frame and no tree but that of {@code data}. Any other
   * frame, good or bad, is decoded and handed to {@link #parse(String)}, so that what is accepted
   * and every error's code and text stay those of the one definition there.
   */
  public static ClientMessage parse(byte[] utf8) {
    ClientMessage m = usualShape(utf8);
    return m != null ? m : parse(new String(utf8, StandardCharsets.UTF_8));
  }

  private static ClientMessage usualShape(byte[] utf8) {
    // The parser guesses UTF-16 or UTF-32 from NUL bytes among the first four; a UTF-8 frame
    // starting with '{' and no NUL there is read as UTF-8, which is what parse(String) reads.
    if (utf8.length < 4 || utf8[0] != '{' || utf8[1] == 0 || utf8[2] == 0 || utf8[3] == 0) {
      return null;
    }
    try (JsonParser p = Json.parser(utf8)) {
      p.nextToken();
      String type = null;
      JsonNode data = null;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken value = p.nextToken();
        if (field.equals("type") && value == JsonToken.VALUE_STRING) {
          type = p.getText();
        } else if (field.equals("data")) {
          data = Json.value(p);
        } else {
          return null;
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || type == null || type.isEmpty()) {
        return null;
      }
      return new ClientMessage(type, data);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The named field of {@code data}; throws when data or the field is missing or null. */
  public JsonNode require(String field) {
    if (data == null || data.isNull()) {
      throw new ProtocolException(ErrorCode.MISSING_FIELD, "data." + field + " is required");
    }
    if (!data.isObject()) {
      throw new ProtocolException(ErrorCode.INVALID_FIELD, "data must be an object");
    }
    JsonNode value = data.get(field);
    if (value == null || value.isNull()) {
      throw new ProtocolException(ErrorCode.MISSING_FIELD, "data." + field + " is required");
    }
    return value;
  }

  public String requireText(String field) {
    JsonNode value = require(field);
    if (!value.isTextual()) {
      throw new ProtocolException(ErrorCode.INVALID_FIELD, "data." + field + " must be a string");
    }
    return value.textValue();
  }

  /** {@code data.field} when present: a string, else an {@code invalid_field} error; null when absent. */
  public String optionalText(String field) {
    JsonNode value = data == null ? null : data.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new ProtocolException(ErrorCode.INVALID_FIELD, "data." + field + " must be a string");
    }
    return value.textValue();
  }

  /** A valid channel name from {@code data.channel}. */
  public String requireChannel() {
    JsonNode value = require("channel");
    if (!value.isTextual() || !ChannelName.isValid(value.textValue())) {
      throw new ProtocolException(ErrorCode.INVALID_CHANNEL,
          "data.channel must match " + ChannelName.RULE + ": " + ChannelName.quote(value.isTextual() ? value.textValue() : value.toString()));
    }
    return value.textValue();
  }
}
