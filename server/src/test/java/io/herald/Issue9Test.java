package io.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.cli.Cli;
import io.herald.broker.Broker;
import io.herald.broker.BrokerListener;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.InMemoryBroker;
import io.herald.broker.Route;
import io.herald.config.ServerConfig;
import io.herald.hub.ChannelPolicy;
import io.herald.hub.Connection;
import io.herald.hub.Hub;
import io.herald.hub.HubSettings;
import io.herald.hub.Lane;
import io.herald.hub.Session;
import io.herald.hub.UserId;
import io.herald.protocol.CloseCode;
import io.herald.protocol.Message;
import io.herald.testing.ManualClock;
import io.herald.testing.RawWs;
import io.herald.testing.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

  // ---- 3. a frame over limits.max_frame_bytes ends with a 1009 close frame, not a dropped connection ----

  @Test
  void defect3_textFrameOverTheLimitIsAnsweredWithClose1009AndTheRestIsReadNotReset() throws Exception {
    oversizedFrameIsAnsweredWithClose1009(RawWs.TEXT, 70 * 1024);
  }

  @Test
  void defect3_binaryFrameOfOneMebibyteIsAnsweredWithClose1009AndTheRestIsReadNotReset() throws Exception {
    oversizedFrameIsAnsweredWithClose1009(RawWs.BINARY, 1024 * 1024);
  }

  /**
   * A client (a browser) is still sending the frame when the server decides it is too big. The
   * server must answer 1009 and read the rest: a socket closed with unread bytes sends a TCP reset,
   * which discards the close frame on the client's side (seen there as 1006, a network failure).
   */
  private static void oversizedFrameIsAnsweredWithClose1009(int opcode, int size) throws Exception {
    try (RawWs ws = RawWs.connect(server.port(), "/ws?token=" + Tokens.hs256("9231"))) {
      ws.read();
      byte[] payload = new byte[size];
      byte[] frame = RawWs.frame(opcode, payload, true);
      java.io.OutputStream out = ws.socket().getOutputStream();
      out.write(frame, 0, 4096);
      out.flush();
      RawWs.Frame close = ws.readSkippingPings();
      assertThat(close.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1009);
      for (int at = 4096; at < frame.length; at += 16 * 1024) {
        out.write(frame, at, Math.min(16 * 1024, frame.length - at));
        out.flush();
      }
      ws.send(RawWs.CLOSE, new byte[] {(byte) (1009 >> 8), (byte) 1009}, true);
      assertThat(ws.socket().getInputStream().read()).as("a clean end of stream, not a reset").isEqualTo(-1);
    }
  }

  // ---- 4. a close frame with a code RFC 6455 §7.4 forbids fails the connection with 1002 ----

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 2999, 5000, 65535})
  void defect4_closeFrameWithAnInvalidCodeIsAnsweredWith1002(int code) throws Exception {
    try (RawWs ws = RawWs.connect(server.port(), "/ws?token=" + Tokens.hs256("9241"))) {
      ws.read();
      ws.send(RawWs.CLOSE, new byte[] {(byte) (code >> 8), (byte) code}, true);
      RawWs.Frame close = ws.readSkippingPings();
      assertThat(close.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1002);
    }
  }

  @Test
  void defect4_closeFrameWithAValidCodeIsStillEchoed() throws Exception {
    try (RawWs ws = RawWs.connect(server.port(), "/ws?token=" + Tokens.hs256("9242"))) {
      ws.read();
      ws.send(RawWs.CLOSE, new byte[] {(byte) (4100 >> 8), (byte) 4100}, true);
      RawWs.Frame close = ws.readSkippingPings();
      assertThat(close.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(close.closeCode()).isEqualTo(4100);
    }
  }

  // ---- 5. an upgrade URL too long for the HTTP decoder gets 414 with an envelope ----

  @Test
  void defect5_upgradeWithA100KilobyteTokenIsAnswered414WithAnEnvelope() throws Exception {
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.write("GET /ws?token=" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      RawHttp.Response r = http.read();
      assertEnvelope(r, 414);
      assertThat(JSON.readTree(r.body()).get("message").asText()).contains("Authorization: Bearer");
    }
  }

  @Test
  void defect5_headersTooLargeAreAnswered431WithAnEnvelope() throws Exception {
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(40_000) + "\r\n\r\n");
      assertEnvelope(http.read(), 431);
    }
  }

  // ---- 6. a repeated user_id or token is ambiguous: 4001 ----

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"user_id=9261&user_id=9262&token=%s", "user_id=9261&token=%s&token=%s"})
  void defect6_repeatedUserIdOrTokenIsRefusedWith4001(String query) throws Exception {
    String token = Tokens.hs256("9261");
    try (RawWs ws = RawWs.connect(server.port(), "/ws?" + query.replace("%s", token))) {
      RawWs.Frame close = ws.readSkippingPings();
      assertThat(close.opcode()).as("no connected frame: %s", close.text()).isEqualTo(RawWs.CLOSE);
      assertThat(close.closeCode()).isEqualTo(4001);
      assertThat(close.reason()).contains("given 2 times");
    }
  }

  // ---- 9. a close reason is at most 123 bytes of UTF-8 ----

  @Test
  void defect9_rejectionWithALongNonAsciiReasonStillArrivesAs4001() throws Exception {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString(("{\"alg\":\"" + "令牌".repeat(60) + "\"}").getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString("{\"sub\":\"9291\"}".getBytes(StandardCharsets.UTF_8));
    String token = header + "." + payload + "." + b64.encodeToString(new byte[32]);
    try (RawWs ws = RawWs.connect(server.port(), "/ws?token=" + token)) {
      RawWs.Frame close = ws.readSkippingPings();
      assertThat(close.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(close.closeCode()).isEqualTo(4001);
      assertThat(close.payload().length).isLessThanOrEqualTo(125);
      assertThat(close.reason()).endsWith("…");
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

  // ---- 10. a failed broker subscribe rolls back only the subscription that failed ----

  @Test
  void defect10_failedBrokerSubscribeDoesNotUndoANewerSubscriptionOfTheSameChannel() throws Exception {
    GatedBroker broker = new GatedBroker();
    Hub hub = new Hub(HubSettings.defaults(), broker, Clock.systemUTC());
    hub.start();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    Thread[] laneThread = new Thread[1];
    thread.submit(() -> laneThread[0] = Thread.currentThread()).get();
    Lane lane = hub.newLane(thread, () -> Thread.currentThread() == laneThread[0]);
    LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
    Connection connection = new Connection() {
      @Override
      public boolean send(Message message) {
        return received.add(message);
      }

      @Override
      public void close(CloseCode code) {
      }
    };
    Session s = new Session("s1", UserId.of(1), ChannelPolicy.NONE, lane, connection);
    try {
      CompletableFuture<Void> first = new CompletableFuture<>();
      CompletableFuture<Void> second = new CompletableFuture<>();
      thread.submit(() -> {
        hub.join(s);
        hub.subscribe(s, "orders").whenComplete((v, e) -> pipe(first, e));   // slow broker call #1
        hub.unsubscribe(s, "orders");
        hub.subscribe(s, "orders").whenComplete((v, e) -> pipe(second, e));  // broker call #2
      }).get();
      broker.subscribeCalls.take().completeExceptionally(new BrokerUnavailableException("redis went away"));
      broker.subscribeCalls.take().complete(null);
      assertThat(second).succeedsWithin(Duration.ofSeconds(5));
      assertThat(first).failsWithin(Duration.ofSeconds(5));
      assertThat(thread.submit(s::channels).get()).as("the newer subscription survives").containsExactly("orders");
      hub.sendToChannel("orders", "order", Map.of("id", 7));
      Message m = received.poll(5, TimeUnit.SECONDS);
      assertThat(m).as("the channel's messages still reach the session").isNotNull();
      assertThat(m.type()).isEqualTo("order");
    } finally {
      thread.shutdownNow();
    }
  }

  private static void pipe(CompletableFuture<Void> to, Throwable err) {
    if (err == null) {
      to.complete(null);
    } else {
      to.completeExceptionally(err);
    }
  }

  /** The in-memory broker, except that each subscribe waits for the test to complete it. */
  private static final class GatedBroker implements Broker {
    final LinkedBlockingQueue<CompletableFuture<Void>> subscribeCalls = new LinkedBlockingQueue<>();
    private final InMemoryBroker memory = new InMemoryBroker();

    @Override
    public void start(BrokerListener listener) {
      memory.start(listener);
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
      CompletableFuture<Void> call = new CompletableFuture<>();
      subscribeCalls.add(call);
      return call;
    }

    @Override
    public CompletionStage<Void> publish(Route route, String type, byte[] payload) {
      return memory.publish(route, type, payload);
    }

    @Override
    public io.herald.broker.ChannelStore channelStore() {
      return memory.channelStore();
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
      return memory.unsubscribe(channel);
    }

    @Override
    public CompletionStage<Void> userOnline(String userId) {
      return memory.userOnline(userId);
    }

    @Override
    public CompletionStage<Void> userOffline(String userId) {
      return memory.userOffline(userId);
    }

    @Override
    public CompletionStage<Long> onlineCount() {
      return memory.onlineCount();
    }

    @Override
    public CompletionStage<List<String>> onlineUsers() {
      return memory.onlineUsers();
    }

    @Override
    public CompletionStage<Boolean> isOnline(String userId) {
      return memory.isOnline(userId);
    }

    @Override
    public boolean healthy() {
      return true;
    }

    @Override
    public String kind() {
      return "gated";
    }

    @Override
    public void close() {
      memory.close();
    }
  }

  // ---- 11. the heartbeat sweep follows a reloaded heartbeat.interval ----

  @Test
  void defect11_reloadedHeartbeatIntervalSetsThePaceOfPings() throws Exception {
    // Started with the 30 s default, the sweep runs once a second: one ping a second at most.
    try (TestServer fresh = TestServer.start()) {
      fresh.server().reload(ServerConfig.builder().set("host", "127.0.0.1").set("port", 0)
          .set("jwt.secret", Tokens.SECRET).set("api.key", TestServer.API_KEY)
          .set("heartbeat.interval", "100ms").set("heartbeat.timeout", "60s").build());
      try (RawWs ws = RawWs.connect(fresh.port(), "/ws?token=" + Tokens.hs256("9211"))) {
        assertThat(ws.read().text()).contains("\"connected\"");
        long started = System.nanoTime();
        for (int pings = 0; pings < 10; ) {
          if (ws.read().opcode() == RawWs.PING) {
            pings++;
          }
        }
        // Nominally 1 s at the new pace; 10 s or more at the old one.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
      }
    }
  }

  // ---- 12. uptime comes from the injected clock ----

  @Test
  void defect12_uptimeIsMeasuredWithTheServersClock() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    ServerConfig config = ServerConfig.builder().set("host", "127.0.0.1").set("port", 0)
        .set("jwt.secret", Tokens.SECRET).set("api.key", TestServer.API_KEY).build();
    try (HeraldServer herald = HeraldServer.start(config, new InMemoryBroker(), clock)) {
      clock.advance(Duration.ofHours(5));
      assertThat(herald.uptime()).isEqualTo(Duration.ofHours(5));
      java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + herald.port() + "/health")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(health.body()).at("/data/uptime_seconds").asLong()).isEqualTo(5 * 3600);
    }
  }
}
