package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many clients on one channel, pushes from several threads at once: each arrives exactly once. */
@Timeout(120)
class ConcurrencyTest {
  static final int CLIENTS = 1000;
  static final int PUSHES = 40;
  static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

  /** Counts the seq numbers each client receives on the channel. */
  static final class Client implements WebSocket.Listener {
    final ConcurrentLinkedQueue<Integer> seqs = new ConcurrentLinkedQueue<>();
    final CountDownLatch subscribed = new CountDownLatch(1);
    final StringBuilder partial = new StringBuilder();
    final CountDownLatch done;

    Client(CountDownLatch done) {
      this.done = done;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        if (text.contains("\"type\":\"subscribed\"")) {
          subscribed.countDown();
        } else if (text.contains("\"channel\":\"load\"")) {
          Matcher m = SEQ.matcher(text);
          if (m.find()) {
            seqs.add(Integer.parseInt(m.group(1)));
            if (seqs.size() == PUSHES) {
              done.countDown();
            }
          }
        }
      }
      ws.request(1);
      return null;
    }
  }

  @Test
  void everyPushReachesEverySubscriberExactlyOnce() throws Exception {
    try (TestServer server = TestServer.start(Map.of("limits.messages_per_second", 1000))) {
      HttpClient http = HttpClient.newHttpClient();
      CountDownLatch done = new CountDownLatch(CLIENTS);
      List<Client> clients = new ArrayList<>();
      List<CompletableFuture<WebSocket>> sockets = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        Client c = new Client(done);
        clients.add(c);
        String user = Integer.toString(10_000 + i);
        sockets.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
            .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws?user_id=" + user + "&token=" + Tokens.hs256(user)), c)
            .thenCompose(ws -> ws.sendText("{\"type\":\"subscribe\",\"data\":{\"channel\":\"load\"}}", true)));
      }
      CompletableFuture.allOf(sockets.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      for (Client c : clients) {
        assertThat(c.subscribed.await(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(server.server().hub().connectionCount()).isEqualTo(CLIENTS);

      ExecutorService pushers = Executors.newFixedThreadPool(4);
      List<CompletableFuture<Integer>> pushes = new ArrayList<>();
      for (int seq = 0; seq < PUSHES; seq++) {
        int n = seq;
        pushes.add(CompletableFuture.supplyAsync(() -> server.post("/admin/websocket/send-to-channel",
            Map.of("channel", "load", "type", "tick", "data", Map.of("seq", n))).status(), pushers));
      }
      for (CompletableFuture<Integer> p : pushes) {
        assertThat(p.get(30, TimeUnit.SECONDS)).isEqualTo(200);
      }
      pushers.shutdown();
      assertThat(done.await(60, TimeUnit.SECONDS)).as("every client got every push").isTrue();
      for (Client c : clients) {
        assertThat(c.seqs).hasSize(PUSHES).doesNotHaveDuplicates();
      }
      for (CompletableFuture<WebSocket> s : sockets) {
        s.join();
      }
    }
  }
}
