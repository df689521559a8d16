package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import io.herald.testing.RawWs;
import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ConnectionTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String token(java.util.function.Consumer<com.nimbusds.jwt.JWTClaimsSet.Builder> claims) {
    return Tokens.hs256(Tokens.SECRET, claims);
  }

  private static Date in(Duration d) {
    return Date.from(Instant.now().plus(d));
  }

  @Test
  void framesSentRightBehindTheUpgradeAreAnsweredAfterConnected() throws Exception {
    for (int i = 0; i < 20; i++) {
      String user = Integer.toString(7000 + i);
      try (RawWs ws = RawWs.connect(server.port(), "/ws?user_id=" + user + "&token=" + Tokens.hs256(user))) {
        ws.sendText("{\"type\":\"subscribe\",\"data\":{\"channel\":\"early-" + i + "\"}}");
        ws.sendText("{\"type\":\"ping\"}");
        assertThat(ws.readSkippingPings().text()).contains("\"type\":\"connected\"");
        assertThat(ws.readSkippingPings().text()).contains("\"type\":\"subscribed\"").contains("early-" + i);
        assertThat(ws.readSkippingPings().text()).contains("\"type\":\"pong\"");
      }
    }
  }

  @Test
  void validTokenGetsConnectedFrameWithNumericUserId() {
    try (WsRecorder ws = server.connectRaw("user_id=42&token=" + Tokens.hs256("42"))) {
      JsonNode data = ws.connected();
      assertThat(data.get("user_id").isNumber()).isTrue();
      assertThat(data.get("user_id").asLong()).isEqualTo(42);
      assertThat(data.get("connection_id").isTextual()).isTrue();
      assertThat(data.get("connection_id").asText()).isNotEmpty();
      assertThat(data.get("heartbeat_interval").asInt()).isEqualTo(30);
      ws.assertExhausted();
    }
  }

  @Test
  void stringUserIdIsWrittenAsString() {
    try (WsRecorder ws = server.connectRaw("user_id=alice&token=" + Tokens.hs256("alice"))) {
      JsonNode data = ws.connected();
      assertThat(data.get("user_id").isTextual()).isTrue();
      assertThat(data.get("user_id").asText()).isEqualTo("alice");
    }
  }

  @Test
  void eachConnectionGetsItsOwnConnectionId() {
    try (WsRecorder a = server.connectRaw("user_id=7&token=" + Tokens.hs256("7"));
         WsRecorder b = server.connectRaw("user_id=7&token=" + Tokens.hs256("7"))) {
      assertThat(a.connected().get("connection_id").asText())
          .isNotEqualTo(b.connected().get("connection_id").asText());
    }
  }

  @Test
  void tokenInAuthorizationHeaderIsAccepted() {
    try (WsRecorder ws = server.connectWithHeaders("user_id=43", Map.of("Authorization", "Bearer " + Tokens.hs256("43")))) {
      assertThat(ws.connected().get("user_id").asLong()).isEqualTo(43);
    }
  }

  @Test
  void userIdParameterMayBeOmittedThenSubNamesTheUser() {
    try (WsRecorder ws = server.connectRaw("token=" + Tokens.hs256("44"))) {
      assertThat(ws.connected().get("user_id").asLong()).isEqualTo(44);
    }
  }

  @Test
  void numericSubClaimMatchesUserIdParameter() {
    String t = Tokens.hs256Raw(Tokens.SECRET.getBytes(), Map.of("sub", 45, "exp", Instant.now().getEpochSecond() + 60));
    try (WsRecorder ws = server.connectRaw("user_id=45&token=" + t)) {
      assertThat(ws.connected().get("user_id").asLong()).isEqualTo(45);
    }
  }

  @Test
  void leadingZerosNameTheSameNumericUser() {
    try (WsRecorder ws = server.connectRaw("user_id=0046&token=" + Tokens.hs256("46"))) {
      assertThat(ws.connected().get("user_id").asLong()).isEqualTo(46);
    }
  }

  @Test
  void badSignatureClosesWith4001WithoutConnectedFrame() {
    String t = Tokens.hs256("another-secret-that-is-long-enough-for-hs256!!", b -> b.subject("1").expirationTime(in(Duration.ofHours(1))));
    try (WsRecorder ws = server.connectRaw("user_id=1&token=" + t)) {
      ws.expectCloseOnly(4001);
    }
  }

  @Test
  void expiredTokenClosesWith4001() {
    String t = token(b -> b.subject("1").expirationTime(in(Duration.ofSeconds(-10))));
    try (WsRecorder ws = server.connectRaw("user_id=1&token=" + t)) {
      ws.expectCloseOnly(4001);
    }
  }

  @Test
  void notYetValidTokenClosesWith4001() {
    String t = token(b -> b.subject("1").notBeforeTime(in(Duration.ofMinutes(5))).expirationTime(in(Duration.ofHours(1))));
    try (WsRecorder ws = server.connectRaw("user_id=1&token=" + t)) {
      ws.expectCloseOnly(4001);
    }
  }

  @Test
  void subjectOfAnotherUserClosesWith4001() {
    try (WsRecorder ws = server.connectRaw("user_id=1&token=" + Tokens.hs256("2"))) {
      ws.expectCloseOnly(4001);
    }
  }

  @Test
  void missingTokenClosesWith4001() {
    try (WsRecorder ws = server.connectRaw("user_id=1")) {
      ws.expectCloseOnly(4001);
    }
  }

  @Test
  void garbageTokenClosesWith4001() {
    try (WsRecorder ws = server.connectRaw("user_id=1&token=not.a.jwt")) {
      ws.expectCloseOnly(4001);
    }
  }

  @Test
  void unsignedTokenClosesWith4001() {
    String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"sub\":\"1\"}".getBytes());
    try (WsRecorder ws = server.connectRaw("user_id=1&token=" + header + "." + payload + ".")) {
      ws.expectCloseOnly(4001);
    }
  }

  @Test
  void tokenWithoutSubClosesWith4001() {
    String t = token(b -> b.expirationTime(in(Duration.ofHours(1))));
    try (WsRecorder ws = server.connectRaw("token=" + t)) {
      ws.expectCloseOnly(4001);
    }
  }

  @Test
  void shortHmacSecretStillVerifies() {
    byte[] secret = "short".getBytes();
    try (TestServer s = TestServer.start(Map.of("jwt.secret", "short"))) {
      String t = Tokens.hs256Raw(secret, Map.of("sub", "5", "exp", Instant.now().getEpochSecond() + 60));
      try (WsRecorder ws = s.connectRaw("user_id=5&token=" + t)) {
        assertThat(ws.connected().get("user_id").asLong()).isEqualTo(5);
      }
      String forged = Tokens.hs256Raw("shorter".getBytes(), Map.of("sub", "5"));
      try (WsRecorder ws = s.connectRaw("user_id=5&token=" + forged)) {
        ws.expectCloseOnly(4001);
      }
    }
  }

  @Test
  void rs256TokenVerifiesWithConfiguredPublicKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair pair = gen.generateKeyPair();
    try (TestServer s = TestServer.start(Map.of("jwt.secret", "", "jwt.public_key", pem(pair)))) {
      String t = Tokens.sign(new RSASSASigner(pair.getPrivate()), JWSAlgorithm.RS256,
          b -> b.subject("9").expirationTime(in(Duration.ofHours(1))));
      try (WsRecorder ws = s.connectRaw("user_id=9&token=" + t)) {
        assertThat(ws.connected().get("user_id").asLong()).isEqualTo(9);
      }
      try (WsRecorder ws = s.connectRaw("user_id=9&token=" + Tokens.hs256("9"))) {
        ws.expectCloseOnly(4001);
      }
    }
  }

  @Test
  void es256TokenVerifiesWithConfiguredPublicKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    try (TestServer s = TestServer.start(Map.of("jwt.secret", "", "jwt.public_key", pem(pair)))) {
      String t = Tokens.sign(new ECDSASigner((ECPrivateKey) pair.getPrivate()), JWSAlgorithm.ES256,
          b -> b.subject("bob").expirationTime(in(Duration.ofHours(1))));
      try (WsRecorder ws = s.connectRaw("user_id=bob&token=" + t)) {
        assertThat(ws.connected().get("user_id").asText()).isEqualTo("bob");
      }
    }
  }

  @Test
  void authModeNoneTrustsUserIdParameter() {
    try (TestServer s = TestServer.start(Map.of("auth.mode", "none"))) {
      try (WsRecorder ws = s.connectRaw("user_id=77")) {
        assertThat(ws.connected().get("user_id").asLong()).isEqualTo(77);
      }
      try (WsRecorder ws = s.connectRaw("")) {
        ws.expectCloseOnly(4001);
      }
    }
  }

  @Test
  void plainHttpOnWsPathIsABadRequestEnvelope() {
    TestServer.Answer a = server.call("GET", "/ws", null, Map.of());
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body().get("code").asInt()).isEqualTo(400);
  }

  private static String pem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }
}
