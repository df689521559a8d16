package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.TestServer;
import io.herald.testing.WsRecorder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Presence stays true when nodes die (kill -9 of a child JVM), restart, or shut down. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterPresenceTest {
  private static final Logger log = LoggerFactory.getLogger(ClusterPresenceTest.class);
  private static TestCluster cluster;
  private static TestServer a;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
    a = cluster.node(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static boolean online(String user) {
    return a.post("/admin/websocket/check-online", Map.of("user_id", user)).data().get("is_online").asBoolean();
  }

  private static long onlineCount() {
    return a.get("/admin/websocket/online-count").data().get("online_count").asLong();
  }

  @Test
  void killedNodeLeavesPresenceWithinTheTtl() {
    try (ChildNode child = ChildNode.start(cluster.redisUrl(), "node-killed", TestCluster.PRESENCE_TTL);
         WsRecorder survivor = a.connect("2002")) {
      WsRecorder victim = child.connect("2001");
      victim.send("subscribe", Map.of("channel", "doomed"));
      victim.next("subscribed");
      cluster.awaitUserOn("2001", "node-killed");
      assertThat(online("2001")).isTrue();
      assertThat(onlineCount()).isEqualTo(2);

      long killedAt = System.nanoTime();
      child.kill();
      await().atMost(TestCluster.PRESENCE_TTL.plusSeconds(2)).pollInterval(Duration.ofMillis(50))
          .until(() -> !online("2001"));
      Duration gone = Duration.ofNanos(System.nanoTime() - killedAt);
      log.info("a node killed with SIGKILL left presence after {} ms (TTL {} ms)", gone.toMillis(),
          TestCluster.PRESENCE_TTL.toMillis());
      assertThat(onlineCount()).isEqualTo(1);
      assertThat(a.get("/admin/websocket/online-users").data().get("user_ids").toString()).isEqualTo("[2002]");
      assertThat(a.post("/admin/websocket/send-to-user", Map.of("user_id", 2001, "type", "t", "data", 1)).status())
          .isEqualTo(200);
      survivor.assertExhausted();
    }
  }

  @Test
  void nodeRestartedWithTheSameIdDoesNotResurrectStaleUsers() {
    try (ChildNode child = ChildNode.start(cluster.redisUrl(), "node-phoenix", Duration.ofSeconds(15))) {
      child.connect("2101");
      cluster.awaitUserOn("2101", "node-phoenix");
      child.kill(); // its heartbeat key still has ~15 s to live
      try (TestServer reborn = cluster.startNode("node-phoenix")) {
        assertThat(online("2101")).as("the restart cleared the dead process's entries").isFalse();
        try (WsRecorder back = reborn.connect("2101")) {
          cluster.awaitUserOn("2101", "node-phoenix");
          assertThat(online("2101")).isTrue();
        }
      }
    }
  }

  @Test
  void gracefullyClosedNodeLeavesPresenceAtOnce() {
    TestServer leaving = cluster.startNode("node-leaving");
    WsRecorder ws = leaving.connect("2201");
    cluster.awaitUserOn("2201", "node-leaving");
    leaving.close();
    assertThat(online("2201")).isFalse();
    ws.close();
  }
}
