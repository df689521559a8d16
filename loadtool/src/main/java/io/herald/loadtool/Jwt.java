package io.herald.loadtool;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints HS256 JWTs for the simulated users. Not thread-safe (one {@link Mac}); make one per thread.
 *
 * <p>Hand-rolled rather than a JOSE library because a worker mints tens of thousands of tokens
 * and needs nothing but HS256; the tests check the result with nimbus-jose-jwt.
 */
public final class Jwt {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = B64.encodeToString(
      "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final Mac mac;

  public Jwt(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("jwt secret must not be empty");
    }
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** A token for {@code subject}, issued at {@code issuedAtSeconds}, valid for {@code ttlSeconds}. */
  public String mint(String subject, long issuedAtSeconds, long ttlSeconds) {
    String claims = "{\"sub\":\"" + escape(subject) + "\",\"iat\":" + issuedAtSeconds
        + ",\"exp\":" + (issuedAtSeconds + ttlSeconds) + "}";
    String signingInput = HEADER + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64.encodeToString(signature);
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
