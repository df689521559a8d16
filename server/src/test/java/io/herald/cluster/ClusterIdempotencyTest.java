package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SPEC §7: the same Idempotency-Key sent at once to two nodes delivers once, and both get one answer. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterIdempotencyTest {
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static CompletableFuture<HttpResponse<String>> post(TestServer node, String key, int n) {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/admin/websocket/send-to-user"))
        .header("Authorization", "Bearer " + TestServer.API_KEY)
        .header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":77,\"type\":\"note\",\"data\":{\"n\":" + n + "}}"))
        .build();
    return node.http().sendAsync(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theSameKeyOnTwoNodesAtOnceDeliversOnce() {
    TestServer a = cluster.node(0);
    TestServer b = cluster.node(1);
    try (WsRecorder ws = a.connect("77")) {
      cluster.awaitUserOn("77", "node-0");
      int keys = 20;
      List<CompletableFuture<HttpResponse<String>>[]> pairs = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        @SuppressWarnings("unchecked")
        CompletableFuture<HttpResponse<String>>[] pair = new CompletableFuture[] {post(a, "key-" + k, k), post(b, "key-" + k, k)};
        pairs.add(pair);
      }
      for (CompletableFuture<HttpResponse<String>>[] pair : pairs) {
        HttpResponse<String> one = pair[0].join();
        HttpResponse<String> two = pair[1].join();
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        assertThat(two.statusCode()).as(two.body()).isEqualTo(200);
        assertThat(two.body()).isEqualTo(one.body());
      }
      List<Integer> seen = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        seen.add(ws.next("note").get("data").get("n").asInt());
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, keys).boxed().toList());
      ws.assertExhausted();
    }
  }
}
