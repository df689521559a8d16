package io.herald.broker.redis;

import static io.herald.testing.BrokerProbe.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.Route;
import io.herald.testing.BrokerProbe;
import io.herald.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Redis going away and coming back, wrong passwords, unreachable servers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisBrokerFaultTest {
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private RedisProcess redis(String password) {
    RedisProcess r = RedisProcess.start(password);
    resources.add(r);
    return r;
  }

  private BrokerProbe node(String url, String id) {
    BrokerProbe p = new BrokerProbe(new RedisBroker(settings(url, id)));
    resources.add(p);
    return p;
  }

  private static RedisSettings settings(String url, String id) {
    return new RedisSettings(url, id, Duration.ofSeconds(2), Duration.ofSeconds(1), "herald");
  }

  @Test
  void redisRestartIsSurvivedAndNothingIsDeliveredTwice() {
    RedisProcess redis = redis(null);
    BrokerProbe a = node(redis.url(), "a");
    BrokerProbe b = node(redis.url(), "b");
    b.connect("1");
    b.subscribe("news");

    redis.stop();
    await().atMost(Duration.ofSeconds(5)).until(() -> !a.broker().healthy() && !b.broker().healthy());
    assertThat(a.broker().status()).containsEntry("state", "reconnecting");
    assertThatThrownBy(() -> a.broker().publish(new Route.ToChannel("news"), "t", "{}".getBytes())
        .toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(BrokerUnavailableException.class).hasMessageContaining("127.0.0.1:" + redis.port());
    assertThatThrownBy(() -> a.broker().onlineCount().toCompletableFuture().get())
        .cause().isInstanceOf(BrokerUnavailableException.class);
    b.connect("2"); // joins during the outage: its online call fails, the reconnect registers it

    redis.restart(); // comes back empty: presence and subscriptions must be rebuilt by the nodes
    await().atMost(Duration.ofSeconds(10)).until(() -> a.broker().healthy() && b.broker().healthy());
    assertThat(join(a.broker().onlineUsers())).containsExactlyInAnyOrder("1", "2");
    assertThat(a.broker().status()).containsEntry("state", "connected").containsEntry("reconnects", 1L);

    a.publish(new Route.ToChannel("news"), "after", "{\"n\":1}");
    a.publish(new Route.ToUsers(List.of("2")), "direct", "{\"n\":2}");
    assertThat(b.next().type()).isEqualTo("after");
    assertThat(b.next().type()).isEqualTo("direct");
    b.publish(new Route.ToAll(java.util.Set.of()), "marker", "{}");
    assertThat(a.next().type()).isEqualTo("marker");
    b.assertNothingPending();
  }

  @Test
  void presenceQueriesThatTimeOutFailAsBrokerUnavailable() {
    RedisProcess redis = redis(null);
    BrokerProbe a = node(redis.url(), "a");
    redis.call(c -> c.clientPause(3000)); // Redis stops answering for longer than redis.timeout (1 s)
    var count = a.broker().onlineCount().toCompletableFuture();
    var users = a.broker().onlineUsers().toCompletableFuture();
    var online = a.broker().isOnline("1").toCompletableFuture();
    for (var query : List.of(count, users, online)) {
      assertThatThrownBy(query::get).isInstanceOf(ExecutionException.class).cause()
          .isInstanceOf(BrokerUnavailableException.class).hasMessageContaining("127.0.0.1:" + redis.port());
    }
  }

  @Test
  void passwordProtectedRedisWorks() {
    RedisProcess redis = redis("s3cret-pw");
    BrokerProbe a = node(redis.url(), "a");
    BrokerProbe b = node(redis.url(), "b");
    b.connect("1");
    a.publish(new Route.ToUsers(List.of("1")), "t", "{}");
    assertThat(b.next().type()).isEqualTo("t");
    assertThat(String.valueOf(a.broker().status())).doesNotContain("s3cret-pw");
  }

  @Test
  void wrongPasswordFailsStartWithoutLeakingIt() {
    RedisProcess redis = redis("s3cret-pw");
    String wrong = "redis://:not-it@127.0.0.1:" + redis.port();
    RedisBroker broker = new RedisBroker(settings(wrong, "a"));
    assertThatThrownBy(() -> broker.start(new BrokerProbeListener()))
        .isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + redis.port())
        .hasMessageNotContaining("not-it");
    assertThat(broker.healthy()).isFalse();
  }

  @Test
  void unreachableRedisFailsStartQuickly() {
    RedisProcess redis = redis(null);
    String url = redis.url();
    redis.stop();
    RedisBroker broker = new RedisBroker(settings(url, "a"));
    long start = System.nanoTime();
    assertThatThrownBy(() -> broker.start(new BrokerProbeListener()))
        .isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("unreachable");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  /** A listener for brokers that never start. */
  private static final class BrokerProbeListener implements io.herald.broker.BrokerListener {
    @Override
    public void onMessage(Route route, String type, byte[] payload) {
    }

    @Override
    public java.util.Collection<String> localUsers() {
      return List.of();
    }

    @Override
    public java.util.Collection<String> localChannels() {
      return List.of();
    }

    @Override
    public boolean isLocal(String userId) {
      return false;
    }
  }
}
