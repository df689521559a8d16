package io.herald.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.hub.UserId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints the HS256 JWTs Herald accepts, signed with the server's {@code HERALD_JWT_SECRET}:
 * connection tokens ({@code sub}, {@code iat}, {@code exp}, optional {@code channels} globs) and
 * subscription tokens ({@code sub}, {@code channel}, {@code iat}, {@code exp}) that authorize one
 * user on one channel, private ones included (docs/protocol.md, "Subscription tokens").
 *
 * <p>Signed with the JDK's {@code HmacSHA256} rather than a JOSE library: HS256 is one MAC over two
 * base64url strings, and this module depends on nothing beyond the JDK and Jackson.
 */
public final class HeraldTokens {
  /** HS256 needs a key of at least 256 bits (RFC 7518 §3.2) */
  public static final int MIN_SECRET_BYTES = 32;
  private static final byte[] HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final byte[] secret;
  private final Clock clock;

  private HeraldTokens(byte[] secret, Clock clock) {
    // Herald accepts (and warns about) secrets shorter than the 32 bytes RFC 7518 asks for, so
    // tokens must be mintable with them too; HMAC pads short keys the same way on both sides.
    if (secret.length == 0) {
      throw new IllegalArgumentException("secret must not be empty");
    }
    this.secret = secret.clone();
    this.clock = clock;
  }

  public static HeraldTokens hs256(String secret) {
    return hs256(secret.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
  }

  public static HeraldTokens hs256(byte[] secret, Clock clock) {
    return new HeraldTokens(secret, clock);
  }

  /** A connection token for {@code userId}, valid for {@code ttl}. */
  public String userToken(UserId userId, Duration ttl) {
    return userToken(userId, ttl, List.of());
  }

  /** A connection token that also grants these private channels (globs, e.g. {@code private-team-*}). */
  public String userToken(UserId userId, Duration ttl, Collection<String> channels) {
    Map<String, Object> claims = claims(userId, ttl);
    if (!channels.isEmpty()) {
      claims.put("channels", List.copyOf(channels));
    }
    return sign(claims);
  }

  /** A subscription token: {@code userId} may subscribe to exactly {@code channel}. */
  public String subscriptionToken(UserId userId, String channel, Duration ttl) {
    if (channel == null || channel.isEmpty()) {
      throw new IllegalArgumentException("channel must not be empty");
    }
    Map<String, Object> claims = claims(userId, ttl);
    claims.put("channel", channel);
    return sign(claims);
  }

  /** Signs any claims (for issuer, audience or other keys Herald is configured to check). */
  public String sign(Map<String, Object> claims) {
    try {
      String signingInput = B64.encodeToString(HEADER) + "." + B64.encodeToString(JSON.writeValueAsBytes(claims));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
  }

  private Map<String, Object> claims(UserId userId, Duration ttl) {
    if (userId == null) {
      throw new IllegalArgumentException("userId must not be null");
    }
    if (ttl == null || ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", userId.value());
    claims.put("iat", now);
    claims.put("exp", now + ttl.toSeconds());
    return claims;
  }
}
