package io.herald.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.PusherClient;
import io.herald.testing.PusherHttp;
import io.herald.testing.RawWs;
import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Protocol 7 on /app/{key}, against a real server, frame by frame. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PusherProtocolTest {
  static final String ID = "1001";
  static final String KEY = "app-key";
  static final String SECRET = "app-secret";

  TestServer server;
  PusherHttp api;

  @BeforeEach
  void start() {
    server = TestServer.start(Map.of("pusher.app_id", ID, "pusher.app_key", KEY, "pusher.app_secret", SECRET));
    api = new PusherHttp(server, ID, KEY, SECRET);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void handshakeGivesASocketIdOfTheShapeTheSdksRequire() {
    try (PusherClient c = PusherClient.connect(server, KEY)) {
      assertThat(c.socketId).matches("\\d+\\.\\d+");
      c.assertExhausted();
    }
  }

  @Test
  void unknownAppKeyIsRefusedWith4001() {
    try (PusherClient c = PusherClient.raw(server, "/app/nope?protocol=7")) {
      JsonNode err = c.next("pusher:error");
      assertThat(c.data(err).get("code").asInt()).isEqualTo(4001);
      c.ws.expectClose(4001);
    }
  }

  @Test
  void missingOrUnsupportedProtocolIsRefused() {
    try (PusherClient c = PusherClient.raw(server, "/app/" + KEY)) {
      c.ws.expectClose(4008);
    }
    try (PusherClient c = PusherClient.raw(server, "/app/" + KEY + "?protocol=3")) {
      c.ws.expectClose(4007);
    }
  }

  @Test
  void publicChannelGetsApiEventsAndHeraldSubscribersToo() throws Exception {
    try (PusherClient c = PusherClient.connect(server, KEY); WsRecorder herald = server.connect("42")) {
      assertThat(c.join("orders", KEY, SECRET, null).size()).isZero();
      herald.send("subscribe", Map.of("channel", "orders"));
      herald.next("subscribed");
      var r = api.post("events", "{\"name\":\"App\\\\Events\\\\Shipped\",\"channels\":[\"orders\"],\"data\":\"{\\\"id\\\":7}\"}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{}");
      JsonNode e = c.next("App\\Events\\Shipped");
      assertThat(e.get("channel").asText()).isEqualTo("orders");
      assertThat(c.data(e).get("id").asInt()).isEqualTo(7);
      JsonNode h = herald.next("App\\Events\\Shipped");
      assertThat(h.get("data").get("id").asInt()).isEqualTo(7);
      // And back: Herald's admin API reaches the Pusher subscriber.
      assertThat(server.post("/admin/websocket/send-to-channel",
          Map.of("channel", "orders", "type", "note", "data", Map.of("x", 1))).status()).isEqualTo(200);
      assertThat(c.data(c.next("note")).get("x").asInt()).isEqualTo(1);
      herald.next("note");
    }
  }

  @Test
  void privateChannelNeedsAValidAuthAndABadOneKeepsTheSocket() {
    try (PusherClient c = PusherClient.connect(server, KEY)) {
      c.subscribe("private-a", KEY + ":" + "0".repeat(64), null);
      JsonNode err = c.next("pusher:subscription_error");
      assertThat(err.get("channel").asText()).isEqualTo("private-a");
      assertThat(c.data(err).get("status").asInt()).isEqualTo(401);
      c.subscribe("private-a", null, null);
      c.next("pusher:subscription_error");
      c.join("private-a", KEY, SECRET, null);
      c.join("private-encrypted-b", KEY, SECRET, null);
      c.assertExhausted();
    }
  }

  @Test
  void presenceCountsDistinctUsersAndTellsOthersOnlyOnFirstAndLastConnection() {
    String ch = "presence-room";
    String alice = "{\"user_id\":\"1\",\"user_info\":{\"name\":\"Alice\"}}";
    String bob = "{\"user_id\":2}";
    try (PusherClient a1 = PusherClient.connect(server, KEY)) {
      JsonNode p = a1.join(ch, KEY, SECRET, alice).get("presence");
      PusherClient b = PusherClient.connect(server, KEY);
      assertThat(p.get("count").asInt()).isEqualTo(1);
      assertThat(p.get("hash").get("1").get("name").asText()).isEqualTo("Alice");
      JsonNode pb = b.join(ch, KEY, SECRET, bob).get("presence");
      assertThat(pb.get("count").asInt()).isEqualTo(2);
      assertThat(pb.get("ids")).hasSize(2);
      assertThat(a1.data(a1.next("pusher_internal:member_added")).get("user_id").asText()).isEqualTo("2");
      try (PusherClient a2 = PusherClient.connect(server, KEY)) {
        assertThat(a2.join(ch, KEY, SECRET, alice).get("presence").get("count").asInt()).isEqualTo(2);
        b.assertExhausted(); // no member_added for Alice's second tab
      }
      b.assertExhausted(); // nor member_removed when it closes
      a1.close();
      JsonNode removed = b.next("pusher_internal:member_removed");
      assertThat(b.data(removed).get("user_id").asText()).isEqualTo("1");
      assertThat(api.get("channels/" + ch + "/users", Map.of()).body()).isEqualTo("{\"users\":[{\"id\":\"2\"}]}");
      b.close();
    }
  }

  @Test
  void clientEventsReachOthersWithUserIdAndAreNeverEchoed() {
    String ch = "presence-chat";
    // b connects after a joined: a member_added fanned out to b's event loop just before b
    // subscribes may otherwise overtake b's subscribe (pusher-js takes that in its stride).
    try (PusherClient a = PusherClient.connect(server, KEY)) {
      a.join(ch, KEY, SECRET, "{\"user_id\":\"1\"}");
      PusherClient b = PusherClient.connect(server, KEY);
      b.join(ch, KEY, SECRET, "{\"user_id\":\"2\"}");
      a.next("pusher_internal:member_added");
      a.send("client-typing", ch, Map.of("typing", true));
      JsonNode e = b.next("client-typing");
      assertThat(e.get("user_id").asText()).isEqualTo("1");
      assertThat(b.data(e).get("typing").asBoolean()).isTrue();
      a.assertExhausted();
      a.send("client-typing", "public-x", Map.of());
      assertThat(a.next("pusher:error")).isNotNull();
      a.assertExhausted();
      b.close();
    }
  }

  @Test
  void clientEventsAboveTheRateAreRefusedWith4301AndTheSocketStays() {
    String ch = "private-fast";
    try (PusherClient a = PusherClient.connect(server, KEY)) {
      a.join(ch, KEY, SECRET, null);
      for (int i = 0; i < 11; i++) {
        a.send("client-x", ch, Map.of("i", i));
      }
      assertThat(a.data(a.next("pusher:error")).get("code").asInt()).isEqualTo(4301);
      a.assertExhausted();
    }
  }

  @Test
  void oversizedClientEventGetsPusherErrorAndTheSocketStays() {
    try (PusherClient a = PusherClient.connect(server, KEY)) {
      a.join("private-big", KEY, SECRET, null);
      a.send("client-big", "private-big", Map.of("blob", "x".repeat(11 * 1024)));
      assertThat(a.data(a.next("pusher:error")).get("message").asText()).contains("too big");
      a.assertExhausted();
    }
  }

  @Test
  void cacheChannelReplaysTheLastServerEventOrSaysCacheMiss() {
    try (PusherClient a = PusherClient.connect(server, KEY)) {
      a.join("cache-prices", KEY, SECRET, null);
      a.next("pusher:cache_miss");
      assertThat(api.post("events", "{\"name\":\"tick\",\"channel\":\"cache-prices\",\"data\":\"{\\\"p\\\":3}\"}")
          .statusCode()).isEqualTo(200);
      a.next("tick");
    }
    try (PusherClient b = PusherClient.connect(server, KEY)) {
      b.join("cache-prices", KEY, SECRET, null);
      assertThat(b.data(b.next("tick")).get("p").asInt()).isEqualTo(3);
    }
  }

  @Test
  void malformedFramesGetPusherErrorAndTheSocketStays() {
    try (PusherClient a = PusherClient.connect(server, KEY)) {
      a.ws.send("not json");
      a.next("pusher:error");
      a.ws.send("[1,2]");
      a.next("pusher:error");
      a.ws.send("{\"event\":\"pusher:subscribe\",\"data\":{}}");
      a.next("pusher:subscription_error");
      a.ws.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-x\",\"auth\":\"k\"}}");
      a.next("pusher:subscription_error");
      a.assertExhausted();
    }
  }

  @Test
  void webSocketPingIsAnsweredAndInvalidUtf8ClosesWith1007() throws Exception {
    try (RawWs ws = RawWs.connect(server.port(), "/app/" + KEY + "?protocol=7")) {
      assertThat(ws.read().text()).contains("pusher:connection_established");
      ws.send(RawWs.PING, "abc".getBytes(), true);
      RawWs.Frame pong = ws.read();
      assertThat(pong.opcode()).isEqualTo(RawWs.PONG);
      assertThat(pong.text()).isEqualTo("abc");
      ws.send(RawWs.TEXT, new byte[] {(byte) 0xC3, (byte) 0x28}, true);
      RawWs.Frame close = ws.read();
      assertThat(close.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1007);
    }
  }

  @Test
  void signinThenUserChannelGetsSendToUserAndTerminateClosesIt() {
    try (PusherClient a = PusherClient.connect(server, KEY)) {
      String userData = "{\"id\":\"7\",\"user_info\":{\"name\":\"Ann\"}}";
      a.send("pusher:signin", null, Map.of("auth", KEY + ":" + Signatures.user(SECRET, a.socketId, userData),
          "user_data", userData));
      a.next("pusher:signin_success");
      a.subscribe("#server-to-user-7", "", null);
      a.next("pusher_internal:subscription_succeeded");
      assertThat(api.post("events", "{\"name\":\"hello\",\"channels\":[\"#server-to-user-7\"],\"data\":\"{}\"}")
          .statusCode()).isEqualTo(200);
      a.next("hello");
      assertThat(api.post("users/7/terminate_connections", "{}").body()).isEqualTo("{}");
      a.ws.expectClose(4009);
    }
  }

  @Test
  void anotherUsersChannelAndAForgedSigninAreRefused() {
    try (PusherClient a = PusherClient.connect(server, KEY)) {
      a.subscribe("#server-to-user-7", "", null);
      assertThat(a.data(a.next("pusher:subscription_error")).get("status").asInt()).isEqualTo(403);
      a.send("pusher:signin", null, Map.of("auth", KEY + ":" + "0".repeat(64), "user_data", "{\"id\":\"7\"}"));
      assertThat(a.data(a.next("pusher:error")).get("code").asInt()).isEqualTo(4009);
      a.ws.expectClose(4009);
    }
  }

  @Test
  void floodingClientGetsErrorsThenIsClosedWith4100() {
    try (TestServer strict = TestServer.start(Map.of("pusher.app_id", ID, "pusher.app_key", KEY, "pusher.app_secret", SECRET,
        "limits.messages_per_second", 1, "limits.message_burst", 3));
         PusherClient a = PusherClient.connect(strict, KEY)) {
      for (int i = 0; i < 12; i++) {
        a.send("pusher:ping", null, Map.of());
      }
      a.next("pusher:pong");
      JsonNode f = a.next();
      while (f.path("event").asText().equals("pusher:pong")) {
        f = a.next();
      }
      assertThat(f.path("event").asText()).isEqualTo("pusher:error");
      a.ws.expectClose(4100);
    }
  }

  @Test
  void drainClosesPusherConnectionsWith4200() {
    PusherClient a = PusherClient.connect(server, KEY);
    server.close();
    a.ws.expectClose(4200);
  }
}
