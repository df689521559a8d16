package io.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.cli.Cli;
import io.herald.config.ConfigException;
import io.herald.config.ConfigLoader;
import io.herald.testing.RawHttp;
import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests of the defects listed in issue 9 ("Found in testing"), one or more per defect. */
@Timeout(60)
class Issue9Test {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SEND = "/admin/websocket/send-to-user";
  static TestServer server;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("api.max_body_bytes", 4096));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void assertEnvelope(RawHttp.Response r, int status) throws Exception {
    assertThat(r.status()).as("status of %s", r).isEqualTo(status);
    assertThat(r.headers().get("content-type")).startsWith("application/json");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("code").asInt()).as("envelope %s", r.body()).isEqualTo(status);
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(body.has("data")).isTrue();
  }

  // ---- 1. every 413 carries the envelope, whatever the framing ----

  @Test
  void defect1_413AnswerToExpect100ContinueCarriesTheEnvelope() throws Exception {
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.write("POST " + SEND + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServer.API_KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
      assertEnvelope(http.read(), 413);
    }
  }

  @Test
  void defect1_413ForADeclaredLengthOverTheLimitCarriesTheEnvelope() throws Exception {
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.write("POST " + SEND + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServer.API_KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"user_id\":1,");
      assertEnvelope(http.read(), 413);
    }
  }

  @Test
  void defect1_413ToAClosingClientStillSendingItsBodyIsReadInFull() throws Exception {
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.write("POST " + SEND + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServer.API_KEY
          + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 2000000\r\n\r\n");
      Thread sender = new Thread(() -> {
        try {
          for (int i = 0; i < 200; i++) {
            http.write(new byte[10_000]);
          }
        } catch (java.io.IOException expected) {
          // the server may stop reading once it has answered
        }
      });
      sender.start();
      assertEnvelope(http.read(), 413);
      sender.join(10_000);
    }
  }

  // ---- 2. malformed JSON: where it broke, in plain words, nothing of the parser ----

  @Test
  void defect2_malformedAdminJsonSaysWhereItBrokeAndNothingOfTheParser() throws Exception {
    TestServer.Answer a = server.call("POST", SEND, "{\"user_id\": 1,\n \"type\": ]}",
        Map.of("Authorization", "Bearer " + TestServer.API_KEY));
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body().get("message").asText())
        .isEqualTo("request body is not valid JSON: it breaks at line 2, column 10");
  }

  @Test
  void defect2_malformedClientFrameSaysWhereItBrokeAndNothingOfTheParser() throws Exception {
    try (WsRecorder ws = server.connect("9201")) {
      ws.send("{\"type\":\"ping\",");
      JsonNode error = ws.next("error");
      assertThat(error.at("/data/code").asText()).isEqualTo("invalid_json");
      assertThat(error.at("/data/message").asText()).isEqualTo("message is not valid JSON: it breaks at line 1, column 16");
    }
  }

  // ---- 7. configuration numbers: exact arithmetic, errors name the key (exit 2) ----

  // 2^34 + 1 GiB is 2^64 + 2^30 bytes, which a long multiplication wrapped to an accepted 1 GiB.
  @Test
  void defect7_sizeThatOverflowsIsRefusedNotWrapped() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_API_MAX_BODY_BYTES", "17179869185GiB"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("api.max_body_bytes (from HERALD_API_MAX_BODY_BYTES) must be between");
  }

  @Test
  void defect7_numbersOfMoreThan19DigitsAreConfigErrorsNamingTheKey() throws Exception {
    String huge = "123456789012345678901234";
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_LIMITS_MAX_FRAME_BYTES", huge), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("limits.max_frame_bytes");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_HEARTBEAT_TIMEOUT", huge + "h"), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("heartbeat.timeout");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_PORT", huge), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("port (from HERALD_PORT) must be between 0 and 65535");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("HERALD_SHUTDOWN_DRAIN_TIMEOUT", "9223372036854775807m"), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("shutdown.drain_timeout");
  }

  @Test
  void defect7_hugeNumberInTheFileExitsWith2NamingTheKey() throws Exception {
    Path file = dir.resolve("herald.yml");
    Files.writeString(file, "data_dir: " + dir.resolve("data") + "\nlimits:\n  max_frame_bytes: 123456789012345678901234\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = Cli.run("start", "--config", file.toString());
    } finally {
      System.setErr(saved);
    }
    assertThat(exit).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("limits.max_frame_bytes").doesNotContain("NumberFormat");
  }
}
