package io.herald.hub;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Optional;

/**
 * A user's identity. Ids made only of digits are numeric: {@code "123"} and {@code 123} name the
 * same user, and they are written as JSON numbers (leading zeros dropped: {@code "007"} is user 7).
 * Any other id is a string of 1–128 characters without control characters.
 */
public final class UserId implements Comparable<UserId> {
  public static final int MAX_LENGTH = 128;

  private final String value;
  private final boolean numeric;

  private UserId(String value, boolean numeric) {
    this.value = value;
    this.numeric = numeric;
  }

  public static UserId of(long id) {
    if (id < 0) {
      throw new IllegalArgumentException("user id must not be negative: " + id);
    }
    return new UserId(Long.toString(id), true);
  }

  /** Parses a user id; throws {@link IllegalArgumentException} naming the rule it breaks. */
  public static UserId of(String raw) {
    return parse(raw).orElseThrow(() -> new IllegalArgumentException(
        "user id must be 1-" + MAX_LENGTH + " characters without control characters: " + show(raw)));
  }

  public static Optional<UserId> parse(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    boolean digits = true;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (Character.isISOControl(c)) {
        return Optional.empty();
      }
      digits &= c >= '0' && c <= '9';
    }
    if (!digits) {
      return Optional.of(new UserId(raw, false));
    }
    int start = 0;
    while (start < raw.length() - 1 && raw.charAt(start) == '0') {
      start++;
    }
    return Optional.of(new UserId(raw.substring(start), true));
  }

  /**
   * Reads a user id from JSON: a non-negative integer or a non-empty string. Anything else
   * (fractions, negative numbers, booleans, objects, null) is empty.
   */
  public static Optional<UserId> fromJson(JsonNode node) {
    if (node == null) {
      return Optional.empty();
    }
    if (node.isIntegralNumber()) {
      BigInteger big = node.bigIntegerValue();
      return big.signum() < 0 ? Optional.empty() : parse(big.toString());
    }
    if (node.isTextual()) {
      return parse(node.textValue());
    }
    return Optional.empty();
  }

  /** Converts what an embedding application passes (a number or a string) into a user id. */
  public static UserId from(Object id) {
    if (id instanceof UserId u) {
      return u;
    }
    if (id instanceof Long || id instanceof Integer || id instanceof Short || id instanceof BigInteger) {
      String digits = id.toString();
      if (digits.startsWith("-")) {
        throw new IllegalArgumentException("user id must not be negative: " + digits);
      }
      return of(digits);
    }
    if (id instanceof CharSequence s) {
      return of(s.toString());
    }
    throw new IllegalArgumentException("user id must be an integer or a string: " + id);
  }

  public boolean numeric() {
    return numeric;
  }

  /** The canonical text form. */
  public String value() {
    return value;
  }

  /** The JSON form: a number for numeric ids, a string otherwise. */
  @JsonValue
  public Object json() {
    if (!numeric) {
      return value;
    }
    return value.length() < 19 ? (Object) Long.parseLong(value) : new BigInteger(value);
  }

  @Override
  public int compareTo(UserId o) {
    if (numeric != o.numeric) {
      return numeric ? -1 : 1;
    }
    if (numeric && value.length() != o.value.length()) {
      return Integer.compare(value.length(), o.value.length());
    }
    return value.compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserId u && u.numeric == numeric && u.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }

  private static String show(String raw) {
    if (raw == null) {
      return "null";
    }
    return '"' + (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw) + '"';
  }
}
