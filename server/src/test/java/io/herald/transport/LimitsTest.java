package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.RawWs;
import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LimitsTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of(
        "limits.max_frame_bytes", 1024,
        "limits.messages_per_second", 5,
        "limits.message_burst", 10,
        "heartbeat.interval", "200ms",
        "heartbeat.timeout", "800ms"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static RawWs raw(String user) throws Exception {
    RawWs ws = RawWs.connect(server.port(), "/ws?user_id=" + user + "&token=" + Tokens.hs256(user));
    RawWs.Frame connected = ws.read();
    assertThat(connected.text()).contains("\"type\":\"connected\"").contains("\"heartbeat_interval\":1");
    return ws;
  }

  @Test
  void oversizedFrameClosesWith1009() throws Exception {
    try (RawWs ws = raw("1")) {
      ws.sendText("{\"type\":\"ping\",\"data\":{\"pad\":\"" + "x".repeat(2000) + "\"}}");
      RawWs.Frame f = ws.readSkippingPings();
      assertThat(f.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(f.closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void oversizedFragmentedMessageClosesWith1009() throws Exception {
    try (RawWs ws = raw("2")) {
      byte[] part = "x".repeat(700).getBytes();
      ws.send(RawWs.TEXT, part, false);
      ws.send(0, part, true);
      RawWs.Frame f = ws.readSkippingPings();
      assertThat(f.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(f.closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void frameJustUnderTheLimitIsAccepted() throws Exception {
    try (RawWs ws = raw("3")) {
      String frame = "{\"type\":\"ping\",\"data\":{\"pad\":\"" + "x".repeat(1024 - 34) + "\"}}";
      assertThat(frame.length()).isLessThanOrEqualTo(1024);
      ws.sendText(frame);
      assertThat(ws.readSkippingPings().text()).contains("\"type\":\"pong\"");
    }
  }

  @Test
  void floodIsRateLimitedThenClosedWith4008() throws Exception {
    try (RawWs ws = raw("4")) {
      try {
        for (int i = 0; i < 60; i++) {
          ws.sendText("{\"type\":\"ping\"}");
        }
      } catch (java.io.IOException closedWhileSending) {
        // The server may close (4008) before the last frames are written; what it sent is read below.
      }
      List<String> replies = new ArrayList<>();
      RawWs.Frame f = ws.readSkippingPings();
      while (f.opcode() == RawWs.TEXT) {
        replies.add(f.text());
        f = ws.readSkippingPings();
      }
      assertThat(f.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(f.closeCode()).isEqualTo(4008);
      assertThat(replies.stream().filter(r -> r.contains("\"pong\"")).count()).isBetween(10L, 15L);
      assertThat(replies).anySatisfy(r -> assertThat(r).contains("\"rate_limited\""));
    }
  }

  @Test
  void serverPingsAndClosesASilentConnectionWith4003() throws Exception {
    try (RawWs ws = raw("5")) {
      RawWs.Frame f = ws.read();
      assertThat(f.opcode()).isEqualTo(RawWs.PING);
      f = ws.readSkippingPings();
      assertThat(f.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(f.closeCode()).isEqualTo(4003);
    }
  }

  @Test
  void aClientThatHeartbeatsOnItsOwnIsNotPinged() throws Exception {
    try (TestServer quiet = TestServer.start(Map.of("heartbeat.interval", "2s", "heartbeat.timeout", "10s"));
         RawWs ws = RawWs.connect(quiet.port(), "/ws?user_id=8&token=" + Tokens.hs256("8"))) {
      assertThat(ws.read().text()).contains("\"type\":\"connected\"");
      List<Integer> opcodes = new ArrayList<>();
      for (int i = 0; i < 16; i++) { // 16 × 300 ms: twice the interval, never quiet for 2 s
        ws.sendText("{\"type\":\"heartbeat\"}");
        RawWs.Frame f = ws.read();
        opcodes.add(f.opcode());
        if (f.opcode() == RawWs.TEXT) {
          assertThat(f.text()).contains("heartbeat_ack");
        }
        Thread.sleep(300); // the client's own heartbeat period, not a wait for the server
      }
      assertThat(opcodes).as("frames the server sent").containsOnly(RawWs.TEXT);
      // Once the client goes quiet, the server pings it again.
      assertThat(ws.read().opcode()).isEqualTo(RawWs.PING);
    }
  }

  @Test
  void answeringPingsKeepsTheConnectionAlive() throws Exception {
    try (RawWs ws = raw("6")) {
      long until = System.nanoTime() + 2_000_000_000L;
      int pings = 0;
      while (System.nanoTime() < until) {
        RawWs.Frame f = ws.read();
        assertThat(f.opcode()).as("frame %s", f.text()).isEqualTo(RawWs.PING);
        ws.send(RawWs.PONG, f.payload(), true);
        pings++;
      }
      assertThat(pings).isGreaterThanOrEqualTo(5);
    }
  }

  @Test
  void clientPingFrameGetsPong() throws Exception {
    try (RawWs ws = raw("7")) {
      ws.send(RawWs.PING, "abc".getBytes(), true);
      RawWs.Frame f = ws.readSkippingPings();
      assertThat(f.opcode()).isEqualTo(RawWs.PONG);
      assertThat(f.text()).isEqualTo("abc");
    }
  }

  @Test
  void invalidUtf8ClosesWith1007() throws Exception {
    try (RawWs ws = raw("8")) {
      ws.send(RawWs.TEXT, new byte[] {(byte) 0xC3, (byte) 0x28}, true);
      RawWs.Frame f = ws.readSkippingPings();
      assertThat(f.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(f.closeCode()).isEqualTo(1007);
    }
  }

  @Test
  void invalidUtf8AcrossFragmentsClosesWith1007() throws Exception {
    try (RawWs ws = raw("8b")) {
      ws.send(RawWs.TEXT, "{\"type\":\"ping\",\"data\":{\"x\":\"".getBytes(), false);
      ws.send(0, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}', '}'}, true); // a surrogate
      RawWs.Frame f = ws.readSkippingPings();
      assertThat(f.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(f.closeCode()).isEqualTo(1007);
    }
  }

  @Test
  void characterSplitAcrossFragmentsIsJoinedAndAnswered() throws Exception {
    try (RawWs ws = raw("8c")) {
      byte[] e = "é".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ws.send(RawWs.TEXT, "{\"type\":\"ping\",\"data\":{\"x\":\"".getBytes(), false);
      ws.send(0, new byte[] {e[0]}, false);
      ws.send(0, new byte[] {e[1], '"', '}', '}'}, true);
      assertThat(ws.readSkippingPings().text()).contains("\"type\":\"pong\"");
    }
  }

  @Test
  void clientCloseIsEchoedAndTheUserGoesOffline() throws Exception {
    RawWs ws = raw("9");
    ws.send(RawWs.CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
    RawWs.Frame f = ws.readSkippingPings();
    assertThat(f.opcode()).isEqualTo(RawWs.CLOSE);
    assertThat(f.closeCode()).isEqualTo(1000);
    ws.close();
    org.awaitility.Awaitility.await().until(() -> server.server().hub().connectionCount() == 0
        || !server.server().hub().isLocal("9"));
  }

  @Test
  void clientThatStopsReadingIsClosedWith4008WhileOthersKeepReceiving() throws Exception {
    try (TestServer s = TestServer.start(Map.of("limits.max_pending_bytes", "16KiB"));
         WsRecorder fast = s.connect("fast")) {
      java.net.Socket socket = new java.net.Socket();
      socket.setReceiveBufferSize(4096);
      socket.close();
      try (RawWs slow = RawWs.connect(s.port(), "/ws?user_id=slow&token=" + Tokens.hs256("slow"))) {
        slow.read();
        String blob = "x".repeat(32 * 1024);
        int pushes = 0;
        while (s.server().hub().isLocal("slow") && pushes < 1000) {
          TestServer.Answer a = s.post("/admin/websocket/broadcast", Map.of("type", "blob", "data", blob));
          assertThat(a.status()).isEqualTo(200);
          pushes++;
          assertThat(fast.next("blob").get("data").asText()).hasSize(blob.length());
        }
        assertThat(s.server().hub().isLocal("slow")).as("slow client closed after %s pushes", pushes).isFalse();
        RawWs.Frame f = slow.readSkippingPings();
        while (f.opcode() == RawWs.TEXT) {
          f = slow.readSkippingPings();
        }
        assertThat(f.opcode()).isEqualTo(RawWs.CLOSE);
        assertThat(f.closeCode()).isEqualTo(4008);
        fast.assertExhausted();
      }
    }
  }

  @Test
  void jdkClientStaysConnectedAcrossManyHeartbeats() {
    try (WsRecorder ws = server.connect("10")) {
      org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(1500))
          .atMost(java.time.Duration.ofSeconds(5)).until(() -> !ws.socket().isInputClosed());
      ws.assertExhausted();
    }
  }
}
