package io.herald.broker.redis;

import static io.herald.testing.BrokerProbe.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.BrokerProbe;
import io.herald.testing.RedisPerClass;
import io.herald.testing.RedisProcess;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Presence stays true when nodes die, restart, or lose their registration. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisPresenceTest {
  private static final Duration TTL = Duration.ofSeconds(1);
  @RegisterExtension
  static final RedisPerClass<RedisProcess> redis = RedisPerClass.standalone();
  private final List<BrokerProbe> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    nodes.forEach(BrokerProbe::close);
  }

  private BrokerProbe node(String id) {
    BrokerProbe p = new BrokerProbe(new RedisBroker(new RedisSettings(redis.get().url(), id, TTL, Duration.ofSeconds(2), "herald")));
    nodes.add(p);
    return p;
  }

  /** What a node killed with kill -9 leaves behind: its entries, and a heartbeat that will expire. */
  private static void ghostNode(String node, String user, Duration heartbeatLeft) {
    redis.get().call(c -> {
      c.sadd("{herald}:nodes", node);
      c.sadd("{herald}:node:" + node + ":users", user);
      c.sadd("{herald}:user:" + user, node);
      c.sadd("{herald}:online", user);
      return c.set("{herald}:node:" + node + ":alive", "old", SetArgs.Builder.px(heartbeatLeft.toMillis()));
    });
  }

  @Test
  void deadNodeLeavesPresenceWhenItsHeartbeatExpires() {
    BrokerProbe a = node("a");
    a.connect("1");
    ghostNode("dead", "zed", Duration.ofMillis(800));
    assertThat(join(a.broker().isOnline("zed"))).isTrue();
    assertThat(join(a.broker().onlineCount())).isEqualTo(2);

    await().atMost(Duration.ofSeconds(3)).until(() -> !join(a.broker().isOnline("zed")));
    assertThat(join(a.broker().onlineUsers())).containsExactly("1");
    List<String> leftovers = redis.get().call(c -> c.keys("{herald}:*dead*"));
    assertThat(leftovers).as("entries cleaned up").isEmpty();
    Set<String> registered = redis.get().call(c -> c.smembers("{herald}:nodes"));
    assertThat(registered).containsExactly("a");
  }

  @Test
  void heartbeatsAloneCleanUpDeadNodes() {
    node("a");
    ghostNode("dead", "zed", Duration.ofMillis(300));
    await().atMost(Duration.ofSeconds(3)).until(() -> redis.get().call(c -> c.sismember("{herald}:online", "zed")) == Boolean.FALSE);
  }

  @Test
  void restartWithTheSameIdDoesNotResurrectStaleUsers() {
    ghostNode("a", "zed", Duration.ofSeconds(30)); // the previous process died a moment ago
    BrokerProbe a = node("a");
    assertThat(join(a.broker().isOnline("zed"))).isFalse();
    assertThat(join(a.broker().onlineCount())).isZero();
  }

  @Test
  void nodeDroppedFromPresenceRegistersItsUsersAgain() {
    BrokerProbe a = node("a");
    BrokerProbe b = node("b");
    a.connect("1");
    a.connect("2");
    // As after a stall longer than the TTL: another node swept a out.
    // Any query sweeps a's users out now; a's next heartbeat finds itself gone and registers them
    // again (it may do so before the query below, so no "0 right now" is asserted: that raced).
    redis.get().call(c -> c.del("{herald}:node:a:alive"));
    join(b.broker().onlineCount());

    await().atMost(Duration.ofSeconds(3)).until(() -> redis.get().call(c -> c.exists("{herald}:node:a:alive")) == 1L
        && join(b.broker().onlineCount()) == 2L);
    assertThat(join(b.broker().onlineUsers())).containsExactlyInAnyOrder("1", "2");
  }

  @Test
  void aSecondProcessWithTheSameIdDoesNotWipeTheFirstOnesUsers() {
    BrokerProbe first = node("twin");
    first.connect("1");
    BrokerProbe second = node("twin"); // misconfiguration: registering wipes "1" once, then never again
    second.connect("2");
    await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(3))
        .until(() -> join(first.broker().isOnline("2")));
    first.connect("3");
    assertThat(join(second.broker().onlineUsers())).contains("2", "3");
  }

  @Test
  void livingNodesStayWhileTheyBeat() {
    BrokerProbe a = node("a");
    BrokerProbe b = node("b");
    a.connect("1");
    await().during(TTL.multipliedBy(3)).atMost(TTL.multipliedBy(4))
        .until(() -> join(b.broker().isOnline("1")));
    long ttlLeft = redis.get().call(c -> c.pttl("{herald}:node:a:alive"));
    assertThat(ttlLeft).isPositive();
  }
}
