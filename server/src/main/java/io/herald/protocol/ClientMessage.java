package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;

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
