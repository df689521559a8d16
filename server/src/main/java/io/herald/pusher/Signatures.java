package io.herald.pusher;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 signatures of the Pusher protocol: channel auth strings
 * ({@code socket_id:channel[:channel_data]}), user sign-in ({@code socket_id::user::user_data}),
 * HTTP API requests and webhooks. Comparisons run in constant time.
 */
public final class Signatures {
  private Signatures() {
  }

  /** Hex HMAC-SHA256 of {@code text} under {@code secret}. */
  public static String hmac(String secret, String text) {
    return hmac(secret, text.getBytes(StandardCharsets.UTF_8));
  }

  public static String hmac(String secret, byte[] bytes) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(bytes));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("the JVM cannot do HmacSHA256", e);
    }
  }

  /** Hex MD5 of a request body ({@code body_md5}). */
  public static String md5(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no MD5", e);
    }
  }

  /** The signature part of a channel auth string. {@code channelData} may be null. */
  public static String channel(String secret, String socketId, String channel, String channelData) {
    String text = socketId + ":" + channel + (channelData == null ? "" : ":" + channelData);
    return hmac(secret, text);
  }

  /** The signature part of a {@code pusher:signin} auth string. */
  public static String user(String secret, String socketId, String userData) {
    return hmac(secret, socketId + "::user::" + userData);
  }

  /**
   * The string an HTTP API request signs: method, the un-prefixed path, and every query
   * parameter except {@code auth_signature}, keys lower-cased and sorted, {@code k=v} joined by
   * {@code &}, not URL-escaped.
   */
  public static String requestText(String method, String path, Map<String, String> query) {
    TreeMap<String, String> sorted = new TreeMap<>();
    query.forEach((k, v) -> {
      if (!k.equals("auth_signature")) {
        sorted.put(k.toLowerCase(java.util.Locale.ROOT), v);
      }
    });
    StringBuilder b = new StringBuilder(method).append('\n').append(path).append('\n');
    boolean first = true;
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      if (!first) {
        b.append('&');
      }
      first = false;
      b.append(e.getKey()).append('=').append(e.getValue());
    }
    return b.toString();
  }

  /**
   * Checks an auth string {@code key:signature} against the expected signature, in constant time
   * over the signature part. False when the key differs or the shape is wrong.
   */
  public static boolean matches(String auth, String key, String expectedSignature) {
    if (auth == null) {
      return false;
    }
    int colon = auth.indexOf(':');
    if (colon < 0) {
      return false;
    }
    boolean keyOk = MessageDigest.isEqual(auth.substring(0, colon).getBytes(StandardCharsets.UTF_8),
        key.getBytes(StandardCharsets.UTF_8));
    boolean sigOk = equal(auth.substring(colon + 1), expectedSignature);
    return keyOk & sigOk;
  }

  /** Constant-time comparison of two hex signatures. */
  public static boolean equal(String given, String expected) {
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }
}
