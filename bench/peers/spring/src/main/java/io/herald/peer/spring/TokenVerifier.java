package io.herald.peer.spring;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Date;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Checks HS256 tokens: signature, exp/nbf when present, and sub == user_id when user_id is given. */
@Component
class TokenVerifier {
  private final MACVerifier verifier;

  TokenVerifier(@Value("${herald.jwt-secret}") String secret) throws JOSEException {
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    if (key.length < 32) {
      // MACVerifier insists on 256-bit keys; pad short development secrets like other HS256 libraries accept them.
      key = java.util.Arrays.copyOf(key, 32);
    }
    this.verifier = new MACVerifier(key);
  }

  Optional<String> verify(String userIdParam, String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date now = new Date();
      if (claims.getExpirationTime() != null && !now.before(claims.getExpirationTime())) {
        return Optional.empty();
      }
      if (claims.getNotBeforeTime() != null && now.before(claims.getNotBeforeTime())) {
        return Optional.empty();
      }
      Object sub = claims.getClaim("sub");
      String subject = sub == null ? "" : sub.toString();
      if (subject.isEmpty() || (userIdParam != null && !userIdParam.equals(subject))) {
        return Optional.empty();
      }
      return Optional.of(subject);
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
  }
}
