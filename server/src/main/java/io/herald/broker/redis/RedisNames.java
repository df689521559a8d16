package io.herald.broker.redis;

import java.nio.charset.StandardCharsets;

/**
 * Names of Herald's pub/sub channels under a prefix (keys are named in {@code common.lua}):
 * {@code <p>:ch:<channel>} carries one Herald channel, {@code <p>:node:<id>} is a node's inbox for
 * user-addressed messages and disconnects, {@code <p>:all} carries broadcasts.
 */
public final class RedisNames {
  private final String prefix;

  /** {@code prefix} without its colon, e.g. {@code herald}. */
  public RedisNames(String prefix) {
    this.prefix = prefix + ":";
  }

  /** The prefix with its colon, as the Lua scripts take it. */
  public String prefix() {
    return prefix;
  }

  public String channel(String channel) {
    return prefix + "ch:" + channel;
  }

  public String inbox(String nodeId) {
    return prefix + "node:" + nodeId;
  }

  public String all() {
    return prefix + "all";
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
