package io.herald.broker.redis;

import java.nio.charset.StandardCharsets;

/**
 * Names of Herald's keys and pub/sub channels under a prefix {@code p} (keys are named in
 * {@code common.lua}).
 *
 * <p>Presence keys, node inboxes and the broadcast channel carry the hash tag {@code {p}}, so on a
 * Redis Cluster they share one slot: every presence script, and the routing script that reads
 * presence and publishes to inboxes, touches one slot. Channel traffic {@code p:ch:<channel>} has
 * no tag, so on a Redis Cluster each Herald channel lands on the shard of its own slot.
 *
 * <ul>
 *   <li>{@code p:ch:<channel>} carries one Herald channel;
 *   <li>{@code {p}:node:<id>} is a node's inbox for user-addressed messages and disconnects;
 *   <li>{@code {p}:all} carries broadcasts.
 * </ul>
 */
public final class RedisNames {
  private final String prefix;
  private final String tagged;

  /** {@code prefix} without its colon, e.g. {@code herald}. */
  public RedisNames(String prefix) {
    this.prefix = prefix + ":";
    this.tagged = "{" + prefix + "}:";
  }

  /** The hash-tagged prefix with its colon, {@code {herald}:}, as the Lua scripts take it. */
  public String prefix() {
    return tagged;
  }

  /** The key every script is called with: it routes the script to the slot of every key it touches. */
  public String scriptKey() {
    return tagged + "nodes";
  }

  public String channel(String channel) {
    return prefix + "ch:" + channel;
  }

  public String inbox(String nodeId) {
    return tagged + "node:" + nodeId;
  }

  public String all() {
    return tagged + "all";
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
