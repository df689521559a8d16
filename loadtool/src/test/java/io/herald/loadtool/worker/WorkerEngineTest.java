package io.herald.loadtool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.loadtool.EpochClock;
import io.herald.loadtool.testing.FakePushServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WorkerEngineTest {
  private static final String SECRET = "worker-engine-test-secret-0123456789abcdef";
  private FakePushServer server;
  private WorkerEngine engine;

  @BeforeEach
  void startServer() throws Exception {
    server = new FakePushServer(SECRET);
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) {
      engine.close(2_000);
    }
    server.close();
  }

  private WorkerEngine engine(String secret, int clients, int channels) throws Exception {
    return new WorkerEngine(new WorkerConfig("127.0.0.1", server.port(), "/ws", secret, 0, clients, 1000, channels,
        "bench-", List.of("127.0.0.2", "127.0.0.3"), 8, 0, 5_000, 1, 0));
  }

  private Map<String, Object> connect(WorkerEngine e) throws Exception {
    e.connectAll().get(20, TimeUnit.SECONDS);
    return e.connectResult().get(5, TimeUnit.SECONDS);
  }

  @Test
  void readyClientsReceiveEveryPushOnceAndAreTimed() throws Exception {
    engine = engine(SECRET, 20, 2);
    Map<String, Object> result = connect(engine);
    assertThat(result).containsEntry("ready", 20).containsEntry("failed", 0);
    assertThat((int[]) result.get("subscribed_per_channel")).containsExactly(10, 10);

    for (int seq = 0; seq < 5; seq++) {
      server.push("bench-0", seq, EpochClock.micros());
      server.push("bench-1", seq, EpochClock.micros());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> (Long) engine.stats().get("received") == 100L);
    assertThat(engine.stats()).containsEntry("duplicates", 0L).containsEntry("malformed", 0L);
    assertThat(engine.takeLatency().getTotalCount()).isEqualTo(100);
  }

  @Test
  void repeatedSequenceNumbersCountAsDuplicates() throws Exception {
    engine = engine(SECRET, 6, 1);
    connect(engine);
    server.push("bench-0", 0, EpochClock.micros());
    server.push("bench-0", 0, EpochClock.micros());
    await().atMost(Duration.ofSeconds(10)).until(() -> (Long) engine.stats().get("duplicates") == 6L);
    assertThat(engine.stats()).containsEntry("received", 6L);
  }

  @Test
  void resetForgetsLatenciesButKeepsDeliveryCounts() throws Exception {
    engine = engine(SECRET, 2, 1);
    connect(engine);
    server.push("bench-0", 0, EpochClock.micros());
    await().atMost(Duration.ofSeconds(10)).until(() -> (Long) engine.stats().get("received") == 2L);
    engine.reset();
    assertThat(engine.stats()).containsEntry("received", 2L).containsEntry("received_since_reset", 0L);
    assertThat(engine.takeLatency().getTotalCount()).isZero();
  }

  @Test
  void receiversCountTheClientsOfThePushesChannelThatGotIt() throws Exception {
    // two io threads: each client's bitset is read on its own loop and the loops' counts summed
    engine = new WorkerEngine(new WorkerConfig("127.0.0.1", server.port(), "/ws", SECRET, 0, 6, 1000, 2,
        "bench-", List.of("127.0.0.2"), 8, 0, 5_000, 2, 0));
    connect(engine);
    server.push("bench-0", 0, EpochClock.micros());
    server.push("bench-1", 1, EpochClock.micros());
    await().atMost(Duration.ofSeconds(10)).until(() -> (Long) engine.stats().get("received") == 6L);

    long[] receivers = engine.receivers(new int[] {0, 0, 1, 1}, new long[] {0, 1, 1, 0}).get(5, TimeUnit.SECONDS);
    assertThat(receivers).containsExactly(3, 0, 3, 0);
  }

  @Test
  void tokensSignedWithTheWrongSecretFailWith4001() throws Exception {
    engine = engine("not-the-server-secret-0123456789abcdef", 4, 1);
    Map<String, Object> result = connect(engine);
    assertThat(result).containsEntry("ready", 0).containsEntry("failed", 4);
    @SuppressWarnings("unchecked")
    Map<String, Long> failures = (Map<String, Long>) result.get("failures");
    assertThat(failures).containsOnlyKeys("closed 4001 unauthorized");
  }

  @Test
  void refusedConnectionsAreCountedNotHung() throws Exception {
    int port = server.port();
    server.close();
    server = new FakePushServer(SECRET); // another port; the old one refuses
    engine = new WorkerEngine(new WorkerConfig("127.0.0.1", port, "/ws", SECRET, 0, 3, 1000, 0,
        "bench-", List.of("127.0.0.2"), 8, 0, 5_000, 1, 0));
    Map<String, Object> result = connect(engine);
    assertThat(result).containsEntry("failed", 3);
    assertThat(result.get("failures")).isEqualTo(Map.of("connection refused", 3L));
  }

  @Test
  void failureReasonsLeaveOutAddresses() {
    assertThat(WorkerEngine.describe(new java.io.IOException("bind(..) failed: /127.0.0.2:41234 busy")))
        .isEqualTo("IOException: bind(..) failed: ADDR busy");
  }
}
