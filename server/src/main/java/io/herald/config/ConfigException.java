package io.herald.config;

/** Configuration that cannot be used; the message names the key, the rule and the bad value. */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }
}
