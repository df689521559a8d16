package io.herald.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One of Herald's Lua scripts: {@code common.lua} (the presence model) followed by the script's
 * own file, both beside this class. Scripts keep each presence change atomic without MULTI, which
 * a shared, pipelined connection cannot use.
 */
enum Script {
  ONLINE("online.lua"),
  OFFLINE("offline.lua"),
  REGISTER("register.lua"),
  BEAT("beat.lua"),
  LEAVE("leave.lua"),
  COUNT("count.lua"),
  USERS("users.lua"),
  USERS_PAGE("users_page.lua"),
  IS_ONLINE("is_online.lua"),
  ROUTE("route.lua"),
  STATS_SHARE("stats_share.lua"),
  STATS_READ("stats_read.lua"),
  CHANNELS_SHARE("channels_share.lua"),
  CHANNELS_READ("channels_read.lua");

  private final byte[] body;
  private final String sha;

  Script(String file) {
    this.body = (read("common.lua") + "\n" + read(file)).getBytes(StandardCharsets.UTF_8);
    this.sha = sha1(body);
  }

  byte[] body() {
    return body;
  }

  /** The SHA-1 Redis knows the script by (EVALSHA). */
  String sha() {
    return sha;
  }

  private static String read(String file) {
    try (InputStream in = Script.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + file + " beside " + Script.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String sha1(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-1", e);
    }
  }
}
