package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.AppEndpoint;
import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections and private channels decided by the application, through a real Herald. */
@Timeout(120)
class AuthProxyTest {
  AppEndpoint app;
  TestServer server;

  @BeforeEach
  void start() throws Exception {
    app = new AppEndpoint();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    app.close();
  }

  TestServer herald(Map<String, Object> extra) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("auth.proxy.connect_url", app.url("/connect"));
    settings.put("auth.proxy.subscribe_url", app.url("/subscribe"));
    settings.put("auth.proxy.timeout", "1s");
    settings.put("auth.proxy.key", "app-key");
    settings.putAll(extra);
    server = TestServer.start(settings);
    return server;
  }

  @Test
  void theApplicationNamesTheUserAndItsChannels() {
    herald(Map.of());
    try (WsRecorder ws = server.connectRaw("token=user-42")) {
      assertThat(ws.connected().path("user_id").asLong()).isEqualTo(42);
      ws.send("subscribe", Map.of("channel", "private-team-3"));
      assertThat(ws.next("subscribed").path("data").path("channel").asText()).isEqualTo("private-team-3");
    }
    JsonNode asked = app.bodies().get(0);
    assertThat(asked.path("token").asText()).isEqualTo("user-42");
    assertThat(asked.get("user_id").isNull()).isTrue();
    assertThat(asked.path("remote_addr").asText()).startsWith("127.0.0.1:");
    assertThat(app.authorizations()).containsExactly("Bearer app-key");
  }

  @Test
  void userIdParameterMustMatchTheApplicationsAnswer() {
    herald(Map.of());
    try (WsRecorder ok = server.connectRaw("user_id=42&token=user-42")) {
      ok.connected();
    }
    try (WsRecorder wrong = server.connectRaw("user_id=43&token=user-42")) {
      wrong.expectCloseOnly(4001);
    }
  }

  @Test
  void withJwtFirstValidJwtsSkipTheApplicationAndOthersAskIt() {
    herald(Map.of("auth.proxy.jwt_first", "true"));
    try (WsRecorder jwt = server.connectRaw("user_id=77&token=" + io.herald.testing.Tokens.hs256("77"));
         WsRecorder opaque = server.connectRaw("token=user-78")) {
      assertThat(jwt.connected().path("user_id").asLong()).isEqualTo(77);
      assertThat(opaque.connected().path("user_id").asLong()).isEqualTo(78);
    }
    assertThat(app.totalCalls()).isEqualTo(1);
    assertThat(app.calls("user-78")).isEqualTo(1);
    try (WsRecorder bad = server.connectRaw("token=bad")) {
      bad.expectCloseOnly(4001);
    }
  }

  @Test
  void refusalsCloseWith4001() {
    herald(Map.of());
    for (String token : List.of("bad", "banned")) {
      try (WsRecorder ws = server.connectRaw("token=" + token)) {
        ws.expectCloseOnly(4001);
      }
    }
    try (WsRecorder ws = server.connectRaw("user_id=1")) {
      ws.expectCloseOnly(4001);
    }
  }

  @Test
  void anApplicationThatFailsMakesClientsRetryLaterNeverAccepts() {
    herald(Map.of("auth.proxy.timeout", "500ms", "auth.proxy.max_body_bytes", "4096"));
    for (String token : List.of("error", "garbage", "shape", "huge", "redirect", "slow")) {
      try (WsRecorder ws = server.connectRaw("token=" + token)) {
        assertThat(ws.expectCloseOnly(1013).reason()).as(token).isEqualTo("try again later");
      }
    }
    assertThat(app.calls("redirect")).isEqualTo(1);
  }

  @Test
  void anApplicationThatIsDownMakesClientsRetryLater() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    herald(Map.of("auth.proxy.connect_url", "http://127.0.0.1:" + port + "/connect"));
    try (WsRecorder ws = server.connectRaw("token=user-1")) {
      ws.expectCloseOnly(1013);
    }
  }

  @Test
  void answersAreCachedSoConnectionsOfOneTokenMakeOneCall() {
    herald(Map.of("auth.proxy.cache_ttl", "60s"));
    List<WsRecorder> good = new ArrayList<>();
    List<WsRecorder> bad = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        good.add(server.connectRaw("token=user-7"));
        bad.add(server.connectRaw("token=bad"));
      }
      good.forEach(WsRecorder::connected);
      bad.forEach(ws -> ws.expectCloseOnly(4001));
    } finally {
      good.forEach(WsRecorder::close);
      bad.forEach(WsRecorder::close);
    }
    assertThat(app.calls("user-7")).isEqualTo(1);
    assertThat(app.calls("bad")).isEqualTo(1);
  }

  @Test
  void privateChannelsAskTheApplication() {
    herald(Map.of());
    try (WsRecorder ws = server.connectRaw("token=user-5")) {
      ws.connected();
      ws.send("subscribe", Map.of("channel", "private-allowed-1"));
      assertThat(ws.next("subscribed").path("data").path("channel").asText()).isEqualTo("private-allowed-1");
      ws.send("subscribe", Map.of("channel", "private-other"));
      JsonNode refused = ws.next("error").path("data");
      assertThat(refused.path("code").asText()).isEqualTo("forbidden");
      assertThat(refused.path("message").asText()).endsWith("not your team");
      ws.send("subscribe", Map.of("channel", "private-broken"));
      assertThat(ws.next("error").path("data").path("code").asText()).isEqualTo("unavailable");
      ws.assertExhausted();
    }
    assertThat(app.bodies().stream().filter(b -> b.has("channel")).map(JsonNode::toString))
        .contains("{\"user_id\":5,\"channel\":\"private-allowed-1\"}");
  }
}
