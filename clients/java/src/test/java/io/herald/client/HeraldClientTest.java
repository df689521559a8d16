package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.hub.Delivery;
import io.herald.hub.UserId;
import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every {@code PushService} method over HTTP against a real Herald on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeraldClientTest {
  static TestServer herald;
  static HeraldClient client;

  @BeforeAll
  static void start() {
    herald = TestServer.start();
    client = HeraldClient.builder().url("http://127.0.0.1:" + herald.port()).apiKey(TestServer.API_KEY).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    herald.close();
  }

  static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void sendToUserReachesEveryConnectionOfTheUser() {
    try (WsRecorder a = herald.connect("101"); WsRecorder b = herald.connect("101")) {
      Delivery d = join(client.sendToUser(UserId.of(101), "notification", Map.of("title", "新消息")));
      assertThat(d).isEqualTo(new Delivery(1, 2));
      for (WsRecorder ws : List.of(a, b)) {
        JsonNode m = ws.next("notification");
        assertThat(m.path("data").path("title").asText()).isEqualTo("新消息");
      }
    }
  }

  @Test
  void sendToUsersAndStringIds() {
    try (WsRecorder a = herald.connect("102"); WsRecorder b = herald.connect("alice")) {
      Delivery d = join(client.sendToUsers(List.of(UserId.of(102), UserId.of("alice"), UserId.of(999)),
          "order", Map.of("id", 7)));
      assertThat(d).isEqualTo(new Delivery(2, 2));
      assertThat(a.next("order").path("data").path("id").asInt()).isEqualTo(7);
      assertThat(b.next("order").path("data").path("id").asInt()).isEqualTo(7);
    }
  }

  @Test
  void broadcastSkipsExcludedUsers() {
    try (WsRecorder a = herald.connect("103"); WsRecorder b = herald.connect("104")) {
      Delivery d = join(client.broadcast("announcement", Map.of("text", "hi"), List.of(UserId.of(104))));
      assertThat(d.users()).isGreaterThanOrEqualTo(1);
      assertThat(a.next("announcement").path("data").path("text").asText()).isEqualTo("hi");
      b.assertExhausted();
    }
  }

  @Test
  void sendToChannelAndDataUpdateToChannel() {
    try (WsRecorder a = herald.connect("105")) {
      a.send("subscribe", Map.of("channel", "system_monitor"));
      a.next("subscribed");
      Delivery d = join(client.sendToChannel("system_monitor", "monitor", Map.of("cpu_usage", 75)));
      assertThat(d).isEqualTo(new Delivery(-1, 1));
      JsonNode m = a.next("monitor");
      assertThat(m.path("channel").asText()).isEqualTo("system_monitor");
      assertThat(m.path("data").path("cpu_usage").asInt()).isEqualTo(75);

      join(client.pushDataUpdateToChannel("system_monitor", "order", "create", Map.of("id", 124)));
      JsonNode u = a.next("data_update");
      assertThat(u.path("channel").asText()).isEqualTo("system_monitor");
      assertThat(u.path("data").path("resource_type").asText()).isEqualTo("order");
      assertThat(u.path("data").path("action").asText()).isEqualTo("create");
    }
  }

  @Test
  void presenceQueries() {
    try (WsRecorder a = herald.connect("106")) {
      assertThat(join(client.isUserOnline(UserId.of(106)))).isTrue();
      assertThat(join(client.isUserOnline(UserId.of("nobody-here")))).isFalse();
      assertThat(join(client.getOnlineUserCount())).isGreaterThanOrEqualTo(1L);
      assertThat(join(client.getOnlineUsers())).contains(UserId.of(106));
    }
  }

  @Test
  void notificationsToAllAndToSomeUsers() {
    try (WsRecorder a = herald.connect("107")) {
      join(client.sendSystemNotification("系统维护", "今晚维护", "warning"));
      JsonNode all = a.next("notification").path("data");
      assertThat(all.path("title").asText()).isEqualTo("系统维护");
      assertThat(all.path("type").asText()).isEqualTo("warning");
      assertThat(all.has("extra_data")).isFalse();

      Delivery d = join(client.sendSystemNotification(List.of(UserId.of(107)), "订单更新", "已发货", null,
          Map.of("order_id", 9)));
      assertThat(d).isEqualTo(new Delivery(1, 1));
      JsonNode some = a.next("notification").path("data");
      assertThat(some.path("type").asText()).isEqualTo("info");
      assertThat(some.path("extra_data").path("order_id").asInt()).isEqualTo(9);
    }
  }

  @Test
  void pushDataUpdateToUsers() {
    try (WsRecorder a = herald.connect("108")) {
      Delivery d = join(client.pushDataUpdate(List.of(UserId.of(108)), "order", "update",
          Map.of("id", 123, "status", "shipped")));
      assertThat(d).isEqualTo(new Delivery(1, 1));
      JsonNode data = a.next("data_update").path("data");
      assertThat(data.path("resource_type").asText()).isEqualTo("order");
      assertThat(data.path("data").path("status").asText()).isEqualTo("shipped");
      assertThat(data.path("timestamp").asLong()).isPositive();
    }
  }

  @Test
  void disconnectUserClosesWith4002() {
    try (WsRecorder a = herald.connect("109"); WsRecorder b = herald.connect("109")) {
      assertThat(join(client.disconnectUser(UserId.of(109)))).isEqualTo(2);
      a.expectClose(4002);
      b.expectClose(4002);
    }
  }

  @Test
  void tokensMintedByTheHelperAreAcceptedByHerald() {
    HeraldTokens tokens = HeraldTokens.hs256(Tokens.SECRET);
    String token = tokens.userToken(UserId.of(110), Duration.ofMinutes(5), List.of("private-team-*"));
    try (WsRecorder ws = herald.connectRaw("user_id=110&token=" + token)) {
      assertThat(ws.connected().path("user_id").asInt()).isEqualTo(110);
      ws.send("subscribe", Map.of("channel", "private-team-1"));
      assertThat(ws.next("subscribed").path("data").path("channel").asText()).isEqualTo("private-team-1");
    }
    String other = HeraldTokens.hs256("another-secret-of-at-least-32-bytes!!").userToken(UserId.of(110), Duration.ofMinutes(5));
    try (WsRecorder ws = herald.connectRaw("user_id=110&token=" + other)) {
      ws.expectCloseOnly(4001);
    }
  }

  @Test
  void subscriptionTokensFromTheHelperOpenOnePrivateChannel() {
    HeraldTokens tokens = HeraldTokens.hs256(Tokens.SECRET);
    try (WsRecorder ws = herald.connect("111")) {
      ws.send("subscribe", Map.of("channel", "private-orders.111",
          "token", tokens.subscriptionToken(UserId.of(111), "private-orders.111", Duration.ofMinutes(1))));
      assertThat(ws.next("subscribed").path("data").path("channel").asText()).isEqualTo("private-orders.111");
      ws.send("subscribe", Map.of("channel", "private-orders.112",
          "token", tokens.subscriptionToken(UserId.of(111), "private-orders.111", Duration.ofMinutes(1))));
      assertThat(ws.next("error").path("data").path("code").asText()).isEqualTo("forbidden");
    }
  }

  @Test
  void validationErrorsAreTyped() {
    assertThatThrownBy(() -> join(client.sendToChannel("bad channel!", "t", Map.of())))
        .hasCauseInstanceOf(ValidationException.class)
        .cause().hasMessageContaining("channel")
        .satisfies(e -> assertThat(((HeraldException) e).status()).isEqualTo(422));
  }

  @Test
  void wrongApiKeyIsUnauthorized() {
    try (HeraldClient wrong = HeraldClient.builder().url("http://127.0.0.1:" + herald.port()).apiKey("nope").build()) {
      assertThatThrownBy(() -> join(wrong.getOnlineUserCount())).hasCauseInstanceOf(UnauthorizedException.class);
      assertThatThrownBy(() -> join(wrong.sendToUser(UserId.of(1), "t", Map.of())))
          .hasCauseInstanceOf(UnauthorizedException.class);
    }
  }

  @Test
  void oversizedBodyIsPayloadTooLarge() {
    String big = "x".repeat(2 * 1024 * 1024);
    assertThatThrownBy(() -> join(client.sendToUser(UserId.of(1), "t", Map.of("blob", big))))
        .hasCauseInstanceOf(PayloadTooLargeException.class);
  }

  @Test
  void nullArgumentsAreRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> client.sendToUser(null, "t", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("user_id must not be null");
  }

  @Test
  void settingsNameTheBadValue() {
    assertThatThrownBy(() -> HeraldClient.builder().url("ftp://x").apiKey("k").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://x");
    assertThatThrownBy(() -> HeraldClient.builder().url("http://x").apiKey("k").maxAttempts(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be 1-10: 0");
    assertThat(HeraldClient.builder().url("http://x").apiKey("secret-key").build().settings().toString())
        .doesNotContain("secret-key");
  }
}
