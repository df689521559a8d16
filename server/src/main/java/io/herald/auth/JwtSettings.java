package io.herald.auth;

import java.net.URI;
import java.security.PublicKey;
import java.time.Duration;

/**
 * How tokens are verified. At least one key source is set.
 *
 * @param secret HS256/384/512 shared secret, or null
 * @param publicKey RSA or EC public key for RS*, PS* and ES* tokens, or null
 * @param jwksUrl a JWKS document with the verification keys (selected by {@code kid}), or null
 * @param jwksOutageTolerance while the JWKS cannot be fetched, how long after the last fetch that
 *     worked its keys keep verifying tokens; zero for only as long as they are cached (5 minutes)
 * @param issuer required {@code iss}, or null for any
 * @param audience required {@code aud} entry, or null for any
 * @param clockSkew leeway applied to {@code exp} and {@code nbf}
 */
public record JwtSettings(
    byte[] secret, PublicKey publicKey, URI jwksUrl, Duration jwksOutageTolerance, String issuer, String audience,
    Duration clockSkew) {

  public JwtSettings {
    if (secret == null && publicKey == null && jwksUrl == null) {
      throw new IllegalArgumentException("jwt needs a secret, a public key or a JWKS URL");
    }
    if (jwksOutageTolerance == null || jwksOutageTolerance.isNegative()) {
      throw new IllegalArgumentException("jwt.jwks_outage_tolerance must not be negative: " + jwksOutageTolerance);
    }
    if (clockSkew == null || clockSkew.isNegative()) {
      throw new IllegalArgumentException("jwt.clock_skew must not be negative: " + clockSkew);
    }
  }

  public static JwtSettings hmac(byte[] secret) {
    return new JwtSettings(secret, null, null, Duration.ZERO, null, null, Duration.ZERO);
  }

  @Override
  public String toString() {
    return "JwtSettings[secret=" + (secret == null ? "none" : "<" + secret.length + " bytes>")
        + ", publicKey=" + (publicKey == null ? "none" : publicKey.getAlgorithm())
        + ", jwksUrl=" + jwksUrl + ", jwksOutageTolerance=" + jwksOutageTolerance + ", issuer=" + issuer + ", audience=" + audience
        + ", clockSkew=" + clockSkew + "]";
  }
}
