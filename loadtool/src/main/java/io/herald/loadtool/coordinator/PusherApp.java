package io.herald.loadtool.coordinator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A Pusher app of the server under test; signs HTTP API requests as the Pusher server SDKs do. */
public record PusherApp(String id, String key, String secret) {

  /** {@code /apps/{id}/events?auth_key=…&auth_timestamp=…&auth_version=1.0&body_md5=…&auth_signature=…}. */
  public String signedEventsPath(byte[] body) {
    String path = "/apps/" + id + "/events";
    try {
      String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
      String query = "auth_key=" + key + "&auth_timestamp=" + System.currentTimeMillis() / 1000
          + "&auth_version=1.0&body_md5=" + md5;
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String signature = HexFormat.of().formatHex(
          mac.doFinal(("POST\n" + path + "\n" + query).getBytes(StandardCharsets.UTF_8)));
      return path + "?" + query + "&auth_signature=" + signature;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM cannot sign a Pusher request", e);
    }
  }
}
