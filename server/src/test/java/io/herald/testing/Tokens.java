package io.herald.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.function.Consumer;

/** Mints JWTs for tests. */
public final class Tokens {
  public static final String SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

  private Tokens() {
  }

  /** HS256 with {@link #SECRET}, subject {@code sub}, valid for an hour. */
  public static String hs256(String sub) {
    return hs256(SECRET, b -> b.subject(sub).expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))));
  }

  /** HS256 with {@code secret}, subject {@code sub}, valid for ten minutes. */
  public static String hs256(String secret, String sub) {
    return hs256(secret, b -> b.subject(sub).expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10)))));
  }

  public static String hs256(String secret, Consumer<JWTClaimsSet.Builder> claims) {
    try {
      return sign(new MACSigner(pad(secret.getBytes(StandardCharsets.UTF_8))), JWSAlgorithm.HS256, claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HS256 over the raw secret bytes computed with the JDK (works for secrets nimbus finds too short). */
  public static String hs256Raw(byte[] secret, Map<String, Object> claims) {
    try {
      java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
      String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
      String payload = b64.encodeToString(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(claims));
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
      byte[] sig = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + "." + payload + "." + b64.encodeToString(sig);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sign(JWSSigner signer, JWSAlgorithm alg, Consumer<JWTClaimsSet.Builder> claims) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
    claims.accept(b);
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), b.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static byte[] pad(byte[] secret) {
    return secret.length >= 32 ? secret : java.util.Arrays.copyOf(secret, 64);
  }
}
