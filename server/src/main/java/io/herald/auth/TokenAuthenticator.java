package io.herald.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.herald.hub.UserId;
import java.math.BigDecimal;
import java.net.MalformedURLException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Verifies JWTs: HS256/384/512 with a shared secret, RS256/384/512, PS256/384/512 and
 * ES256/384/512 with a public key or a JWKS. {@code sub} names the user (a string, or a number for
 * numeric ids); a {@code user_id} parameter, when given, must name the same user. {@code exp} and
 * {@code nbf} are enforced when present; {@code channels} lists the private channels allowed.
 *
 * <p>Local keys verify on the calling event loop (a few microseconds). A JWKS is fetched and
 * cached on {@code jwksExecutor}, never on the event loop; while it cannot be fetched, the keys of
 * the last good fetch still verify for {@code jwt.jwks_outage_tolerance}, and tokens that need
 * another key fail with {@link AuthUnavailableException} (try again later), not {@link AuthException}.
 * {@link #close()} stops the JWKS refresh thread once a reload has replaced this authenticator.
 */
public final class TokenAuthenticator implements Authenticator {
  /**
   * HMAC pads keys shorter than its block (64 bytes for SHA-256, 128 for SHA-384/512) with zero
   * bytes (RFC 2104 §2), so a short secret padded to 64 bytes yields identical MACs. nimbus
   * refuses secrets shorter than the hash length; padding lets deployments keep an existing short
   * secret (Herald warns about it at start) without weakening or changing verification.
   */
  private static final int HMAC_PADDED_LENGTH = 64;

  private final JwtSettings settings;
  private final Clock clock;
  private final MACVerifier macVerifier;
  private final JWSVerifier keyVerifier;
  private final JwksKeys jwks;
  private final Executor jwksExecutor;

  public TokenAuthenticator(JwtSettings settings, Clock clock, Executor jwksExecutor) {
    this.settings = settings;
    this.clock = clock;
    this.jwksExecutor = jwksExecutor;
    try {
      this.macVerifier = settings.secret() == null ? null : new MACVerifier(padded(settings.secret()));
      this.keyVerifier = settings.publicKey() == null ? null : verifierFor(settings.publicKey());
      this.jwks = settings.jwksUrl() == null ? null : new JwksKeys(settings.jwksUrl().toURL(), settings.jwksOutageTolerance(), clock);
    } catch (JOSEException | MalformedURLException e) {
      throw new IllegalArgumentException("cannot use the configured JWT key: " + e.getMessage(), e);
    }
  }

  /** A token that verified: its subject, {@code channels} globs, {@code exp} and {@code channel} claim. */
  record Verified(UserId subject, List<String> channels, Instant expiresAt, Object channel) {
    Principal principal() {
      return new Principal(subject, channels, expiresAt);
    }
  }

  @Override
  public CompletionStage<Principal> authenticate(String userIdParam, String token) {
    return verify(userIdParam, token).thenApply(Verified::principal);
  }

  /**
   * Checks a subscription token (docs/protocol.md, "Subscription tokens"): a JWT with the same keys
   * as connection tokens whose {@code sub} is {@code user} and whose {@code channel} claim is
   * exactly {@code channel}. Completes normally when it grants the subscription; fails with an
   * {@link AuthException} saying why not.
   */
  public CompletionStage<Void> verifySubscription(UserId user, String channel, String token) {
    return verify(user.value(), token).thenApply(v -> {
      if (!channel.equals(v.channel())) {
        throw new CompletionException(new AuthException(AuthException.Reason.WRONG_CHANNEL,
            "subscription token is for another channel"));
      }
      return null;
    });
  }

  private CompletionStage<Verified> verify(String userIdParam, String token) {
    if (token == null || token.isBlank()) {
      return failed(AuthException.Reason.MISSING_TOKEN, "token is missing");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException | RuntimeException e) {
      // nimbus throws a NullPointerException for a header that is JSON null (found by fuzzing).
      return failed(AuthException.Reason.MALFORMED, "token is not a signed JWT");
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    try {
      if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
        if (macVerifier == null) {
          return failed(AuthException.Reason.UNSUPPORTED_ALGORITHM, "HMAC tokens are not accepted: " + alg);
        }
        return CompletableFuture.completedFuture(check(jwt, macVerifier, userIdParam));
      }
      if (!isAsymmetric(alg)) {
        return failed(AuthException.Reason.UNSUPPORTED_ALGORITHM, "unsupported algorithm: " + alg);
      }
      if (jwks != null && (keyVerifier == null || jwt.getHeader().getKeyID() != null)) {
        return CompletableFuture.supplyAsync(() -> {
          try {
            return verifyWithJwks(jwt, userIdParam);
          } catch (AuthException | AuthUnavailableException e) {
            throw new CompletionException(e);
          }
        }, jwksExecutor);
      }
      if (keyVerifier == null || !keyVerifier.supportedJWSAlgorithms().contains(alg)) {
        return failed(AuthException.Reason.UNSUPPORTED_ALGORITHM, "no key configured for " + alg);
      }
      return CompletableFuture.completedFuture(check(jwt, keyVerifier, userIdParam));
    } catch (AuthException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Verified verifyWithJwks(SignedJWT jwt, String userIdParam)
      throws AuthException, AuthUnavailableException {
    JWSHeader header = jwt.getHeader();
    for (JWK key : jwks.select(header)) {
      JWSVerifier verifier;
      try {
        verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa)
            : key instanceof ECKey ec ? new ECDSAVerifier(ec) : null;
      } catch (JOSEException e) {
        // A key the JWKS publishes but nimbus cannot use (an EC key on an unsupported curve, say).
        throw new AuthException(AuthException.Reason.KEY_UNAVAILABLE, "the JWKS key for the token cannot be used");
      }
      if (verifier != null && verifier.supportedJWSAlgorithms().contains(header.getAlgorithm())) {
        return check(jwt, verifier, userIdParam);
      }
    }
    throw new AuthException(AuthException.Reason.BAD_SIGNATURE, "no JWKS key matches the token");
  }

  private Verified check(SignedJWT jwt, JWSVerifier verifier, String userIdParam) throws AuthException {
    Map<String, Object> claims;
    try {
      if (!jwt.verify(verifier)) {
        throw new AuthException(AuthException.Reason.BAD_SIGNATURE, "token signature is invalid");
      }
      claims = jwt.getPayload().toJSONObject();
    } catch (JOSEException e) {
      throw new AuthException(AuthException.Reason.BAD_SIGNATURE, "token signature cannot be checked");
    }
    if (claims == null) {
      throw new AuthException(AuthException.Reason.MALFORMED, "token payload is not a JSON object");
    }
    long now = clock.instant().getEpochSecond();
    long skew = settings.clockSkew().toSeconds();
    Optional<BigDecimal> exp = numericClaim(claims, "exp");
    if (exp.isPresent() && BigDecimal.valueOf(now - skew).compareTo(exp.get()) >= 0) {
      throw new AuthException(AuthException.Reason.EXPIRED, "token has expired");
    }
    Optional<BigDecimal> nbf = numericClaim(claims, "nbf");
    if (nbf.isPresent() && BigDecimal.valueOf(now + skew).compareTo(nbf.get()) < 0) {
      throw new AuthException(AuthException.Reason.NOT_YET_VALID, "token is not valid yet");
    }
    if (settings.issuer() != null && !settings.issuer().equals(claims.get("iss"))) {
      throw new AuthException(AuthException.Reason.BAD_ISSUER, "token issuer is not accepted");
    }
    if (settings.audience() != null && !audience(claims.get("aud")).contains(settings.audience())) {
      throw new AuthException(AuthException.Reason.BAD_AUDIENCE, "token audience is not accepted");
    }
    UserId subject = subject(claims.get("sub"));
    if (userIdParam != null && !userIdParam.isEmpty()
        && !UserId.parse(userIdParam).map(subject::equals).orElse(false)) {
      throw new AuthException(AuthException.Reason.WRONG_USER, "user_id does not match the token subject");
    }
    Instant expiresAt = exp.map(e -> Instant.ofEpochSecond(e.longValue())).orElse(null);
    return new Verified(subject, channels(claims.get("channels")), expiresAt, claims.get("channel"));
  }

  private static UserId subject(Object sub) throws AuthException {
    Optional<UserId> id = Optional.empty();
    if (sub instanceof String s) {
      id = UserId.parse(s);
    } else if (sub instanceof Number n) {
      BigDecimal d = new BigDecimal(n.toString());
      if (d.signum() >= 0 && d.stripTrailingZeros().scale() <= 0) {
        id = UserId.parse(d.toBigInteger().toString());
      }
    }
    return id.orElseThrow(() -> new AuthException(AuthException.Reason.MISSING_SUBJECT,
        "token has no usable sub claim"));
  }

  private static Optional<BigDecimal> numericClaim(Map<String, Object> claims, String name)
      throws AuthException {
    Object value = claims.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Number n) {
      return Optional.of(new BigDecimal(n.toString()));
    }
    throw new AuthException(AuthException.Reason.MALFORMED, "token claim " + name + " is not a number");
  }

  private static Collection<String> audience(Object aud) {
    if (aud instanceof String s) {
      return List.of(s);
    }
    if (aud instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  private static List<String> channels(Object claim) {
    List<String> globs = new ArrayList<>();
    if (claim instanceof String s) {
      globs.addAll(Arrays.asList(s.trim().split("[\\s,]+")));
    } else if (claim instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof String s) {
          globs.add(s);
        }
      }
    }
    globs.removeIf(String::isEmpty);
    return globs;
  }

  private static boolean isAsymmetric(JWSAlgorithm alg) {
    return JWSAlgorithm.Family.RSA.contains(alg) || JWSAlgorithm.Family.EC.contains(alg);
  }

  private static JWSVerifier verifierFor(PublicKey key) throws JOSEException {
    if (key instanceof RSAPublicKey rsa) {
      return new RSASSAVerifier(rsa);
    }
    if (key instanceof ECPublicKey ec) {
      return new ECDSAVerifier(ec);
    }
    throw new JOSEException("public key must be RSA or EC, not " + key.getAlgorithm());
  }

  private static byte[] padded(byte[] secret) {
    return secret.length >= HMAC_PADDED_LENGTH ? secret : Arrays.copyOf(secret, HMAC_PADDED_LENGTH);
  }

  /** Stops the JWKS refresh thread, if there is a JWKS; checks already under way still complete. */
  @Override
  public void close() {
    if (jwks != null) {
      jwks.close();
    }
  }

  private static <T> CompletionStage<T> failed(AuthException.Reason reason, String message) {
    return CompletableFuture.failedFuture(new AuthException(reason, message));
  }
}
