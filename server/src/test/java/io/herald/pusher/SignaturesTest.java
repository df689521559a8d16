package io.herald.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test vectors of Pusher's documentation (auth-signatures, rest-api). */
class SignaturesTest {
  static final String KEY = "278d425bdf160c739803";
  static final String SECRET = "7ad3773142a6692b25b8";

  @Test
  void privateChannelVector() {
    assertThat(Signatures.channel(SECRET, "1234.1234", "private-foobar", null))
        .isEqualTo("58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
  }

  @Test
  void presenceChannelVectorSignsChannelDataByteForByte() {
    String data = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Pusher\"}}";
    assertThat(Signatures.channel(SECRET, "1234.1234", "presence-foobar", data))
        .isEqualTo("afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c");
  }

  @Test
  void userAuthenticationVector() {
    assertThat(Signatures.user(SECRET, "1234.1234", "{\"id\":\"12345\"}"))
        .isEqualTo("4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba");
  }

  @Test
  void httpApiVector() {
    byte[] body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(Signatures.md5(body)).isEqualTo("ec365a775a4cd0599faeb73354201b6f");
    Map<String, String> query = new LinkedHashMap<>();
    query.put("auth_key", KEY);
    query.put("auth_timestamp", "1353088179");
    query.put("auth_version", "1.0");
    query.put("body_md5", "ec365a775a4cd0599faeb73354201b6f");
    query.put("auth_signature", "ignored");
    assertThat(Signatures.hmac(SECRET, Signatures.requestText("POST", "/apps/3/events", query)))
        .isEqualTo("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
  }

  @Test
  void authStringMustCarryTheKeyAndTheExactSignature() {
    String sig = Signatures.channel(SECRET, "1234.1234", "private-foobar", null);
    assertThat(Signatures.matches(KEY + ":" + sig, KEY, sig)).isTrue();
    assertThat(Signatures.matches("other:" + sig, KEY, sig)).isFalse();
    assertThat(Signatures.matches(KEY + ":" + sig.substring(1) + "0", KEY, sig)).isFalse();
    assertThat(Signatures.matches(sig, KEY, sig)).isFalse();
    assertThat(Signatures.matches(null, KEY, sig)).isFalse();
  }
}
