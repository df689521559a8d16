package io.herald.testing;

import static io.herald.testing.BrokerProbe.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.herald.broker.Broker;
import io.herald.broker.Route;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} must do on a single node. Subclasses say how to make one;
 * {@link ClusteredBrokerContract} adds what brokers spanning nodes must do.
 */
public abstract class BrokerContract {
  private final List<BrokerProbe> probes = new java.util.ArrayList<>();

  /** A new, unstarted broker for a node with this id. */
  protected abstract Broker newBroker(String nodeId);

  /** A started node. */
  protected BrokerProbe node(String nodeId) {
    BrokerProbe p = new BrokerProbe(newBroker(nodeId));
    probes.add(p);
    return p;
  }

  @AfterEach
  void closeNodes() {
    probes.forEach(BrokerProbe::close);
  }

  @Test
  void presenceFollowsOnlineAndOffline() {
    BrokerProbe a = node("a");
    a.connect("1");
    a.connect("alice");
    assertThat(join(a.broker().onlineCount())).isEqualTo(2);
    assertThat(join(a.broker().onlineUsers())).containsExactlyInAnyOrder("1", "alice");
    assertThat(join(a.broker().isOnline("alice"))).isTrue();
    assertThat(join(a.broker().isOnline("bob"))).isFalse();

    a.disconnect("alice");
    assertThat(join(a.broker().onlineCount())).isEqualTo(1);
    assertThat(join(a.broker().isOnline("alice"))).isFalse();
  }

  @Test
  void offlineIsIgnoredWhileTheUserIsStillLocal() {
    BrokerProbe a = node("a");
    a.connect("7");
    join(a.broker().userOffline("7")); // raced by a reconnect: the hub still holds the user
    assertThat(join(a.broker().isOnline("7"))).isTrue();
  }

  @Test
  void publishCompletesForEveryRoute() {
    BrokerProbe a = node("a");
    a.connect("1");
    a.subscribe("news");
    a.publish(new Route.ToUsers(List.of("1", "2")), "chat", "{\"type\":\"chat\",\"data\":{}}");
    a.publish(new Route.ToChannel("news"), "t", "{\"type\":\"t\",\"channel\":\"news\",\"data\":1}");
    a.publish(new Route.ToAll(Set.of("1")), "broadcast", "{\"type\":\"broadcast\",\"data\":2}");
    a.publish(new Route.Disconnect(List.of("1")), null, null);
    a.unsubscribe("news");
  }

  @Test
  void healthyWhileRunningAndCloseIsIdempotent() {
    BrokerProbe a = node("a");
    assertThat(a.broker().healthy()).isTrue();
    assertThat(a.broker().kind()).isNotBlank();
    assertThat(a.broker().status()).isNotNull();
    assertThatCode(() -> {
      a.broker().close();
      a.broker().close();
    }).doesNotThrowAnyException();
  }
}
