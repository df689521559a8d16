package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.herald.testing.FuzzChecks;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credentials of an upgrade request: its query string as Netty decodes it, then
 * {@link Credentials} and the token check. Half of the inputs carry a token correctly signed over
 * fuzzed header and claims, so the claim checks behind the signature are reached too. Every
 * outcome is a principal or an {@link AuthException} with a plain message.
 */
class UpgradeCredentialsFuzzTest {
  private static final byte[] SECRET = "fuzz-secret-0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final TokenAuthenticator authenticator = new TokenAuthenticator(
      JwtSettings.hmac(SECRET),
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC), Runnable::run);

  @FuzzTest
  void upgradeCredentials(FuzzedDataProvider data) throws Exception {
    boolean signed = data.consumeBoolean();
    String uri = data.consumeString(512);
    String bearer = data.consumeBoolean() ? data.consumeString(256) : null;
    String input = uri + " " + bearer;
    Credentials credentials;
    try {
      credentials = Credentials.from(new QueryStringDecoder(uri).parameters(), bearer);
    } catch (AuthException e) {
      assertThat(e.reason()).isEqualTo(AuthException.Reason.AMBIGUOUS);
      FuzzChecks.assertPlainMessage(e.getMessage(), input);
      return;
    } catch (IllegalArgumentException e) {
      // Netty refuses a malformed %-escape; the transport answers such a request with 400.
      assertThat(e.getClass()).isEqualTo(IllegalArgumentException.class);
      return;
    }
    String token = signed ? sign(data.consumeString(200), data.consumeRemainingAsString()) : credentials.token();
    input = input + " " + decoded(token);
    CompletableFuture<Principal> result = authenticator.authenticate(credentials.userId(), token).toCompletableFuture();
    try {
      Principal p = result.get(10, TimeUnit.SECONDS);
      assertThat(p.userId()).isNotNull();
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(AuthException.class);
      FuzzChecks.assertPlainMessage(e.getCause().getMessage(), input);
    }
  }

  /** The token with its base64url parts decoded, where markers of the input would show. */
  private static String decoded(String token) {
    StringBuilder out = new StringBuilder(String.valueOf(token));
    if (token != null) {
      for (String part : token.split("\\.")) {
        try {
          out.append(' ').append(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
          // left as it is
        }
      }
    }
    return out.toString();
  }

  private static String sign(String header, String claims) throws Exception {
    String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }
}
