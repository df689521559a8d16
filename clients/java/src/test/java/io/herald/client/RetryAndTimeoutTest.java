package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.hub.Delivery;
import io.herald.hub.UserId;
import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Retries, idempotency keys, connection reuse and timeouts, through a real proxy and a hung server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryAndTimeoutTest {
  static TestServer herald;

  @BeforeAll
  static void start() {
    herald = TestServer.start();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  static HeraldClient client(String url, int attempts) {
    return HeraldClient.builder().url(url).apiKey(TestServer.API_KEY).maxAttempts(attempts)
        .retryBackoff(Duration.ofMillis(20)).requestTimeout(Duration.ofSeconds(10)).build();
  }

  @Test
  void lostAnswerIsRetriedWithTheSameIdempotencyKey() throws IOException {
    try (FrontProxy proxy = new FrontProxy(herald.port()); HeraldClient client = client(proxy.url(), 3);
         WsRecorder ws = herald.connect("201")) {
      proxy.spoil(FrontProxy.Fault.LOSE_ANSWER, 1);
      Delivery d = join(client.sendToUser(UserId.of(201), "order", Map.of("id", 1)));
      assertThat(d.connections()).isEqualTo(1);
      List<FrontProxy.Seen> seen = proxy.seen();
      assertThat(seen).hasSize(2);
      assertThat(seen.get(0).idempotencyKey()).isNotBlank().isEqualTo(seen.get(1).idempotencyKey());
      assertThat(ws.next("order").path("data").path("id").asInt()).isEqualTo(1);
      // Herald kept the first answer under the key: the retry is answered from it, not delivered again.
      ws.assertExhausted();
    }
  }

  @Test
  void unavailableIsRetriedAndDeliveredOnce() throws IOException {
    try (FrontProxy proxy = new FrontProxy(herald.port()); HeraldClient client = client(proxy.url(), 3);
         WsRecorder ws = herald.connect("202")) {
      proxy.spoil(FrontProxy.Fault.UNAVAILABLE, 2);
      join(client.sendToUser(UserId.of(202), "order", Map.of("id", 2)));
      assertThat(proxy.seen()).hasSize(3);
      assertThat(proxy.seen().stream().map(FrontProxy.Seen::idempotencyKey).distinct()).hasSize(1);
      assertThat(ws.next("order").path("data").path("id").asInt()).isEqualTo(2);
      ws.assertExhausted();
    }
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastError() throws IOException {
    try (FrontProxy proxy = new FrontProxy(herald.port()); HeraldClient client = client(proxy.url(), 2)) {
      proxy.spoil(FrontProxy.Fault.UNAVAILABLE, 5);
      assertThatThrownBy(() -> join(client.getOnlineUserCount())).hasCauseInstanceOf(UnavailableException.class);
      assertThat(proxy.seen()).hasSize(2);
    }
  }

  @Test
  void withoutIdempotencyKeysAPostWhoseAnswerIsLostIsNotRetried() throws IOException {
    try (FrontProxy proxy = new FrontProxy(herald.port());
         HeraldClient client = HeraldClient.builder().url(proxy.url()).apiKey(TestServer.API_KEY)
             .idempotencyKeys(false).retryBackoff(Duration.ofMillis(20)).build();
         WsRecorder ws = herald.connect("203")) {
      proxy.spoil(FrontProxy.Fault.LOSE_ANSWER, 1);
      assertThatThrownBy(() -> join(client.sendToUser(UserId.of(203), "order", Map.of("id", 3))))
          .hasCauseInstanceOf(HeraldConnectionException.class);
      assertThat(proxy.seen()).hasSize(1);
      assertThat(proxy.seen().get(0).idempotencyKey()).isNull();
      assertThat(ws.next("order").path("data").path("id").asInt()).isEqualTo(3);
      ws.assertExhausted();
    }
  }

  @Test
  void getsAreRetriedAndConnectionsReused() throws IOException {
    try (FrontProxy proxy = new FrontProxy(herald.port()); HeraldClient client = client(proxy.url(), 3)) {
      proxy.spoil(FrontProxy.Fault.LOSE_ANSWER, 1);
      join(client.getOnlineUserCount());
      for (int i = 0; i < 10; i++) {
        join(client.getOnlineUsers());
      }
      List<FrontProxy.Seen> seen = proxy.seen();
      assertThat(seen).hasSize(12);
      // After the dropped connection, one kept-alive connection carries every later call.
      assertThat(seen.subList(1, 12).stream().map(FrontProxy.Seen::remotePort).distinct()).hasSize(1);
    }
  }

  @Test
  void stalledServerTimesOutOnEveryAttempt() throws IOException {
    try (StalledServer stalled = new StalledServer();
         HeraldClient client = HeraldClient.builder().url(stalled.url()).apiKey("k").maxAttempts(2)
             .retryBackoff(Duration.ofMillis(10)).requestTimeout(Duration.ofMillis(300)).build()) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> join(client.sendToUser(UserId.of(1), "t", Map.of())))
          .hasCauseInstanceOf(HeraldTimeoutException.class)
          .cause().hasMessageContaining("no answer within 300 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
      assertThat(stalled.connections()).isEqualTo(2);
    }
  }

  @Test
  void refusedConnectionIsRetriedEvenForPostsWithoutKeys() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (HeraldClient client = HeraldClient.builder().url("http://127.0.0.1:" + port).apiKey("k")
        .idempotencyKeys(false).maxAttempts(3).retryBackoff(Duration.ofMillis(10)).build()) {
      assertThatThrownBy(() -> join(client.sendToUser(UserId.of(1), "t", Map.of())))
          .hasCauseInstanceOf(HeraldConnectionException.class)
          .cause().hasMessageContaining("127.0.0.1:" + port);
    }
  }
}
