package io.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.HeraldServer;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldTokens;
import io.herald.hub.Delivery;
import io.herald.hub.PushService;
import io.herald.hub.UserId;
import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** The starter in a real Spring Boot application context, remote and embedded. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeraldStarterTest {

  /** An application's own service: it only knows {@link PushService}. */
  static final class OrderNotifier {
    private final PushService push;

    OrderNotifier(PushService push) {
      this.push = push;
    }

    Delivery shipped(long userId, long orderId) {
      return push.pushDataUpdate(List.of(UserId.of(userId)), "order", "update",
          Map.of("id", orderId, "status", "shipped")).toCompletableFuture().join();
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    OrderNotifier orderNotifier(PushService push) {
      return new OrderNotifier(push);
    }
  }

  static ConfigurableApplicationContext run(String... properties) {
    return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(properties).run();
  }

  @Test
  void remoteModePushesThroughTheAdminApi() {
    try (TestServer herald = TestServer.start();
         ConfigurableApplicationContext app = run("herald.url=http://127.0.0.1:" + herald.port(),
             "herald.api-key=" + TestServer.API_KEY, "herald.request-timeout=3s", "herald.jwt-secret=" + Tokens.SECRET);
         WsRecorder ws = herald.connect("41")) {
      assertThat(app.getBean(PushService.class)).isInstanceOf(HeraldClient.class);
      assertThat(((HeraldClient) app.getBean(PushService.class)).settings().requestTimeout())
          .isEqualTo(Duration.ofSeconds(3));
      assertThat(app.getBean(OrderNotifier.class).shipped(41, 123)).isEqualTo(new Delivery(1, 1));
      assertThat(ws.next("data_update").path("data").path("data").path("id").asInt()).isEqualTo(123);

      String token = app.getBean(HeraldTokens.class).userToken(UserId.of(42), Duration.ofMinutes(1));
      try (WsRecorder other = herald.connectRaw("user_id=42&token=" + token)) {
        assertThat(other.connected().path("user_id").asInt()).isEqualTo(42);
      }
    }
  }

  @Test
  void embeddedModeStartsHeraldInProcessAndStopsItWithTheContext() throws Exception {
    int port;
    try (ConfigurableApplicationContext app = run("herald.mode=embedded", "herald.server.host=127.0.0.1",
        "herald.server.port=0", "herald.server.jwt.secret=" + Tokens.SECRET, "herald.server.api.key=k-embedded")) {
      HeraldServer server = app.getBean(HeraldServer.class);
      port = server.port();
      assertThat(app.getBean(PushService.class)).isSameAs(server.service());
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?user_id=43&token=" + Tokens.hs256("43"));
      try (WsRecorder ws = WsRecorder.connect(http, uri, Map.of())) {
        ws.connected();
        assertThat(app.getBean(OrderNotifier.class).shipped(43, 7)).isEqualTo(new Delivery(1, 1));
        assertThat(ws.next("data_update").path("data").path("data").path("id").asInt()).isEqualTo(7);
      }
    }
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void applicationBeanWins() {
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class, OwnPush.class)
        .web(WebApplicationType.NONE).properties("herald.url=http://127.0.0.1:1", "herald.api-key=k").run()) {
      assertThat(app.getBean(PushService.class)).isSameAs(OwnPush.CLIENT);
      assertThat(app.getBeansOfType(HeraldTokens.class)).isEmpty();
    }
  }

  static class OwnPush {
    static final HeraldClient CLIENT = HeraldClient.builder().url("http://127.0.0.1:2").apiKey("own").build();

    @Bean
    PushService ownPush() {
      return CLIENT;
    }
  }

  @Test
  void remoteModeWithoutApiKeyFailsAtStartupNamingTheProperty() {
    assertThatThrownBy(() -> run("herald.url=http://127.0.0.1:1").close())
        .rootCause().hasMessageContaining("apiKey must not be empty");
  }
}
