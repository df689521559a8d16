package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.hub.UserId;
import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Batches through {@code POST /admin/websocket/batch} of a real Herald. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchTest {
  static TestServer herald;

  @BeforeAll
  static void start() {
    herald = TestServer.start();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void batchAnswersInOrderAndABadItemFailsAlone() {
    try (HeraldClient client = HeraldClient.builder().url("http://127.0.0.1:" + herald.port())
        .apiKey(TestServer.API_KEY).maxBatch(2).build();
         WsRecorder ws = herald.connect("301")) {
      List<BatchResult> results = client.batch()
          .sendToUser(UserId.of(301), "first", Map.of("n", 1))
          .sendToChannel("bad channel!", "x", Map.of())
          .pushDataUpdate(List.of(UserId.of(301)), "order", "update", Map.of("n", 3))
          .execute().toCompletableFuture().join();
      assertThat(results).extracting(BatchResult::code).containsExactly(200, 422, 200);
      assertThat(results.get(0).orThrow().path("connections").asInt()).isEqualTo(1);
      assertThat(results.get(1).message()).contains("channel");
      assertThat(ws.next("first").path("data").path("n").asInt()).isEqualTo(1);
      assertThat(ws.next("data_update").path("data").path("data").path("n").asInt()).isEqualTo(3);
      ws.assertExhausted();
    }
  }

  @Test
  void batchWhoseAnswerIsLostIsRetriedUnderOneKeyAndDeliveredOnce() throws IOException {
    try (FrontProxy proxy = new FrontProxy(herald.port());
         HeraldClient client = HeraldClient.builder().url(proxy.url()).apiKey(TestServer.API_KEY)
             .maxAttempts(3).retryBackoff(Duration.ofMillis(20)).build();
         WsRecorder ws = herald.connect("302")) {
      proxy.spoil(FrontProxy.Fault.LOSE_ANSWER, 1);
      List<BatchResult> results = client.batch()
          .sendToUser(UserId.of(302), "first", Map.of("n", 1))
          .sendToUser(UserId.of(302), "second", Map.of("n", 2))
          .execute().toCompletableFuture().join();
      assertThat(results).extracting(BatchResult::code).containsExactly(200, 200);
      assertThat(proxy.seen()).hasSize(2);
      assertThat(proxy.seen().get(0).idempotencyKey()).isNotBlank().isEqualTo(proxy.seen().get(1).idempotencyKey());
      assertThat(ws.next("first").path("data").path("n").asInt()).isEqualTo(1);
      assertThat(ws.next("second").path("data").path("n").asInt()).isEqualTo(2);
      // The retry is answered with the batch's first answer: nothing is delivered twice.
      ws.assertExhausted();
    }
  }
}
