package io.herald.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.hub.UserId;
import io.herald.protocol.ChannelName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Typed access to an admin request's JSON body; every failure is a 422 naming the field. */
final class Body {
  static final int MAX_TYPE_LENGTH = 128;

  private final JsonNode json;
  private final int maxUserIds;
  private final java.util.function.Function<String, String> query;

  Body(JsonNode json, int maxUserIds) {
    this(json, maxUserIds, name -> null);
  }

  /** {@code query} answers a query parameter's first value, or null. */
  Body(JsonNode json, int maxUserIds, java.util.function.Function<String, String> query) {
    this.json = json;
    this.maxUserIds = maxUserIds;
    this.query = query;
  }

  /** A query parameter of the request's URL, or null. */
  String query(String name) {
    return query.apply(name);
  }

  /** The whole body. */
  JsonNode json() {
    return json;
  }

  private JsonNode field(String name) {
    JsonNode v = json.get(name);
    return v == null || v.isNull() ? null : v;
  }

  JsonNode required(String name) {
    JsonNode v = json.get(name);
    if (v == null) {
      throw invalid(name + " is required");
    }
    return v;
  }

  /** Any JSON value, present (null allowed) or missing. */
  JsonNode requiredAny(String name) {
    return required(name);
  }

  Optional<JsonNode> optionalAny(String name) {
    return Optional.ofNullable(field(name));
  }

  String text(String name) {
    JsonNode v = field(name);
    if (v == null) {
      throw invalid(name + " is required");
    }
    if (!v.isTextual()) {
      throw invalid(name + " must be a string");
    }
    return v.textValue();
  }

  /** A message type: a non-empty string of at most 128 characters. */
  String type(String name) {
    String t = text(name);
    if (t.isEmpty() || t.length() > MAX_TYPE_LENGTH) {
      throw invalid(name + " must be 1-" + MAX_TYPE_LENGTH + " characters");
    }
    return t;
  }

  Optional<String> optionalText(String name) {
    JsonNode v = field(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw invalid(name + " must be a string");
    }
    return Optional.of(v.textValue());
  }

  /** A whole number in {@code [min, max]}, given as a JSON number or (a query parameter) as text. */
  int optionalInt(String name, int min, int max, int fallback) {
    JsonNode v = field(name);
    if (v == null) {
      return fallback;
    }
    long n;
    try {
      n = v.isIntegralNumber() ? v.longValue() : Long.parseLong(v.asText().trim());
    } catch (NumberFormatException e) {
      throw invalid(name + " must be a whole number: \"" + shorten(v.asText()) + '"');
    }
    if (n < min || n > max) {
      throw invalid(name + " must be between " + min + " and " + max + ": " + n);
    }
    return (int) n;
  }

  /** One of {@code allowed}, or {@code fallback} when missing. */
  String optionalChoice(String name, List<String> allowed, String fallback) {
    String v = optionalText(name).orElse(fallback);
    if (!allowed.contains(v)) {
      throw invalid(name + " must be one of " + String.join(", ", allowed) + ": \"" + shorten(v) + '"');
    }
    return v;
  }

  String channel(String name) {
    String c = text(name);
    if (!ChannelName.isValid(c)) {
      throw invalid(name + " must match " + ChannelName.RULE + ": \"" + shorten(c) + '"');
    }
    return c;
  }

  UserId userId(String name) {
    JsonNode v = field(name);
    if (v == null) {
      throw invalid(name + " is required");
    }
    return UserId.fromJson(v).orElseThrow(() -> invalid(name + " must be a non-negative integer or a non-empty string of at most "
        + UserId.MAX_LENGTH + " characters"));
  }

  Optional<UserId> optionalUserId(String name) {
    return field(name) == null ? Optional.empty() : Optional.of(userId(name));
  }

  List<UserId> userIds(String name) {
    JsonNode v = field(name);
    if (v == null) {
      throw invalid(name + " is required");
    }
    List<UserId> ids = optionalUserIds(name).orElseThrow();
    if (ids.isEmpty()) {
      throw invalid(name + " must not be empty");
    }
    return ids;
  }

  Optional<List<UserId>> optionalUserIds(String name) {
    JsonNode v = field(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      throw invalid(name + " must be an array of user ids");
    }
    if (v.size() > maxUserIds) {
      throw invalid(name + " has " + v.size() + " entries; at most " + maxUserIds + " are allowed");
    }
    List<UserId> ids = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      int index = i;
      ids.add(UserId.fromJson(v.get(i)).orElseThrow(() -> invalid(
          name + "[" + index + "] must be a non-negative integer or a non-empty string")));
    }
    return Optional.of(ids);
  }

  private static String shorten(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }

  static ApiError invalid(String message) {
    return new ApiError(422, message);
  }
}
