package io.herald.loadtool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class JwtTest {
  private static final String SECRET = "bench-secret-0123456789abcdef0123456789";

  @Test
  void mintedTokenVerifiesWithAnIndependentImplementation() throws Exception {
    String token = new Jwt(SECRET).mint("1000042", 1_700_000_000L, 3600);
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("1000042");
    assertThat(jwt.getJWTClaimsSet().getIssueTime().getTime()).isEqualTo(1_700_000_000_000L);
    assertThat(jwt.getJWTClaimsSet().getExpirationTime().getTime()).isEqualTo(1_700_003_600_000L);
  }

  @Test
  void tokenSignedWithAnotherSecretDoesNotVerify() throws Exception {
    String token = new Jwt(SECRET + "x").mint("1", 1_700_000_000L, 60);
    assertThat(SignedJWT.parse(token).verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isFalse();
  }

  @Test
  void subjectIsEscaped() throws Exception {
    String token = new Jwt(SECRET).mint("a\"b\\c", 1_700_000_000L, 60);
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getSubject()).isEqualTo("a\"b\\c");
  }

  @Test
  void tokenIsUrlSafeWithoutPadding() {
    String token = new Jwt(SECRET).mint("user-1", 1_700_000_000L, 60);
    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  }

  @Test
  void emptySecretIsRejected() {
    assertThatThrownBy(() -> new Jwt("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret");
  }
}
