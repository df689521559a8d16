package io.herald.protocol;

/** Channel name rules: 1–128 chars of {@code A-Z a-z 0-9 _ - : . @ /}. */
public final class ChannelName {
  public static final int MAX_LENGTH = 128;
  public static final String PRIVATE_PREFIX = "private-";
  public static final String RULE = "[A-Za-z0-9_\\-:.@/]{1,128}";

  private ChannelName() {
  }

  public static boolean isValid(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || c == ':' || c == '.' || c == '@' || c == '/';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Returns the name, or throws with a message naming the rule and the bad value. */
  public static String require(String field, String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(field + " must match " + RULE + ": " + quote(name));
    }
    return name;
  }

  public static boolean isPrivate(String name) {
    return name.startsWith(PRIVATE_PREFIX);
  }

  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    String shown = s.length() > 64 ? s.substring(0, 64) + "…" : s;
    return '"' + shown.replace("\"", "\\\"") + '"';
  }
}
