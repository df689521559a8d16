package io.herald.ops;

import io.herald.testing.Tokens;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.HeraldServer;
import io.herald.hub.UserId;
import io.herald.testing.RawWs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stopping drains: messages accepted before the stop reach their clients, then 1001. */
@Timeout(60)
class DrainTest {

  @Test
  void closeDeliversEveryAcceptedMessageThenSends1001() {
    HeraldServer server = HeraldServer.start(OpsServers.config().build());
    try (WsProbe a = WsProbe.connect(WsProbe.uri("ws", server.port(), "5", Tokens.hs256(OpsServers.SECRET, "5")));
         WsProbe b = WsProbe.connect(WsProbe.uri("ws", server.port(), "6", Tokens.hs256(OpsServers.SECRET, "6")))) {
      a.nextOfType("connected");
      b.nextOfType("connected");
      int n = 500;
      for (int i = 0; i < n; i++) {
        server.service().sendToUser(UserId.of(5), "tick", Map.of("n", i));
      }
      server.service().broadcast("bye", Map.of("reason", "maintenance"));
      long started = System.nanoTime();
      server.close();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

      for (int i = 0; i < n; i++) {
        assertThat(a.nextText().path("data").path("n").asInt()).isEqualTo(i);
      }
      assertThat(a.nextText().path("type").asText()).isEqualTo("bye");
      assertThat(a.nextClose()).isEqualTo(1001);
      assertThat(b.nextText().path("type").asText()).isEqualTo("bye");
      assertThat(b.nextClose()).isEqualTo(1001);
      assertThat(server.hub().connectionCount()).isZero();
    } finally {
      server.close();
    }
  }

  @Test
  void drainTimeoutCutsAClientThatDoesNotTakeItsQueue() throws Exception {
    HeraldServer server = HeraldServer.start(OpsServers.config()
        .set("shutdown.drain_timeout", "500ms").set("limits.max_pending_bytes", "64MiB").build());
    try (RawWs stuck = RawWs.connect(server.port(), "/ws?user_id=5&token=" + Tokens.hs256(OpsServers.SECRET, "5"))) {
      stuck.read();
      // More than the socket buffers hold, less than the slow-consumer limit: the 1001 close
      // waits behind it, and the client never reads.
      String chunk = "x".repeat(64 * 1024);
      for (int i = 0; i < 256; i++) {
        server.service().sendToUser(UserId.of(5), "bulk", Map.of("chunk", chunk));
      }
      long started = System.nanoTime();
      server.close();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(4));
    } finally {
      server.close();
    }
  }

  @Test
  void closeIsIdempotentAndQuickWithoutConnections() {
    HeraldServer server = HeraldServer.start(OpsServers.config().build());
    long started = System.nanoTime();
    server.close();
    server.close();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }
}
