package io.herald.loadtool.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.loadtool.testing.FakePushServer;
import io.herald.loadtool.worker.WorkerConfig;
import io.herald.loadtool.worker.WorkerEngine;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PusherTest {
  private static final String SECRET = "pusher-test-secret-0123456789abcdef0123";

  @Test
  void everyPushIsAnsweredAndDeliveredWhenTheServerClosesKeepAliveConnections() throws Exception {
    try (FakePushServer server = new FakePushServer(SECRET)) {
      WorkerEngine engine = new WorkerEngine(new WorkerConfig("127.0.0.1", server.port(), "/ws", SECRET, 0, 4, 1000,
          2, "bench-", List.of("127.0.0.2"), 4, 0, 5_000, 1, 0));
      try {
        engine.connectAll().get(20, TimeUnit.SECONDS);
        URI admin = URI.create("http://127.0.0.1:" + server.port() + "/admin/websocket/");
        try (Pusher pusher = new Pusher(admin, "key", 2, Pusher.Target.channels(2, "bench-"), 64)) {
          Pusher.Result result = pusher.run(Duration.ofMillis(1500), 100);

          assertThat(result.errors()).as("errors %s", result.errorKinds()).isZero();
          // at least a few "Connection: close" cycles on each of the two connections
          assertThat(result.ok()).isEqualTo(result.issued()).isGreaterThanOrEqualTo(12L);
          long expected = 2 * (pusher.okFor(0) + pusher.okFor(1));
          await().atMost(Duration.ofSeconds(10)).until(() -> (Long) engine.stats().get("received") == expected);
          assertThat(engine.stats()).containsEntry("duplicates", 0L);
        }
      } finally {
        engine.close(2_000);
      }
    }
  }

  @Test
  void aPushNotAnsweredWithinThePushTimeoutIsTimedOutNotFailedAndFreesItsConnection() throws Exception {
    try (FakePushServer server = new FakePushServer(SECRET)) {
      server.answerAfter(Duration.ofSeconds(20));
      URI admin = URI.create("http://127.0.0.1:" + server.port() + "/admin/websocket/");
      try (Pusher pusher = new Pusher(admin, "key", 1, Pusher.Target.channels(1, "bench-"), 64, Duration.ofMillis(200))) {
        long start = System.nanoTime();
        Pusher.Result late = pusher.run(Duration.ofMillis(300), 0);

        assertThat(late.issued()).isPositive();
        assertThat(late.ok()).isZero();
        assertThat(late.errors()).isZero();
        assertThat(late.errorKinds()).isEmpty();
        assertThat(late.timedOut()).containsExactlyInAnyOrderElementsOf(
            LongStream.range(0, late.issued()).mapToObj(seq -> new Pusher.PushId(0, seq)).toList());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        server.answerAfter(Duration.ZERO);
        Pusher.Result prompt = pusher.run(Duration.ofMillis(300), 0);
        assertThat(prompt.errors()).as("errors %s", prompt.errorKinds()).isZero();
        assertThat(prompt.ok()).isEqualTo(prompt.issued()).isPositive();
      }
    }
  }
}
