package io.herald.testing;

import static io.herald.testing.BrokerProbe.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.Route;
import io.herald.testing.BrokerProbe.Received;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a broker that spans nodes must do, on three nodes in one JVM. To show that something did
 * not arrive without sleeping, a test sends a marker afterwards on a path that must arrive, and
 * checks the marker is the first thing received: Redis keeps the order of messages from one
 * publisher, and a publish completes only after Redis took it.
 */
public abstract class ClusteredBrokerContract extends BrokerContract {

  @Test
  void userMessageReachesOnlyTheNodesHoldingTheUsers() {
    BrokerProbe a = node("a");
    BrokerProbe b = node("b");
    BrokerProbe c = node("c");
    a.connect("4");
    b.connect("1");
    b.connect("3");
    c.connect("2");
    c.connect("3");

    a.publish(new Route.ToUsers(List.of("1", "2", "3", "4", "ghost")), "chat", "{\"m\":\"hi\"}");

    Received atB = b.next();
    assertThat(atB.route()).isEqualTo(new Route.ToUsers(List.of("1", "3")));
    assertThat(atB.type()).isEqualTo("chat");
    assertThat(atB.payload()).isEqualTo("{\"m\":\"hi\"}");
    assertThat(c.next().route()).isEqualTo(new Route.ToUsers(List.of("2", "3")));
    b.publish(new Route.ToUsers(List.of("4")), "marker", "{}");
    assertThat(a.next().type()).as("the origin never gets its own message back").isEqualTo("marker");
    a.assertNothingPending();
    b.assertNothingPending();
    c.assertNothingPending();
  }

  @Test
  void channelMessageReachesOnlySubscribedNodes() {
    BrokerProbe a = node("a");
    BrokerProbe b = node("b");
    BrokerProbe c = node("c");
    a.subscribe("news");
    b.subscribe("news");
    c.subscribe("other");

    a.publish(new Route.ToChannel("news"), "t", "{\"n\":1}");
    a.publish(new Route.ToChannel("other"), "marker", "{}");

    Received atB = b.next();
    assertThat(atB.route()).isEqualTo(new Route.ToChannel("news"));
    assertThat(atB.payload()).isEqualTo("{\"n\":1}");
    assertThat(c.next().type()).as("c has no news subscriber").isEqualTo("marker");
    b.publish(new Route.ToChannel("news"), "marker", "{}");
    assertThat(a.next().type()).as("no echo of a's own publish").isEqualTo("marker");
  }

  @Test
  void unsubscribedChannelStopsTraffic() {
    BrokerProbe a = node("a");
    BrokerProbe b = node("b");
    b.subscribe("x");
    b.subscribe("y");
    b.unsubscribe("x");
    a.publish(new Route.ToChannel("x"), "t", "{}");
    a.publish(new Route.ToChannel("y"), "marker", "{}");
    assertThat(b.next().type()).isEqualTo("marker");
  }

  @Test
  void broadcastReachesEveryOtherNodeWithItsExclusions() {
    BrokerProbe a = node("a");
    BrokerProbe b = node("b");
    BrokerProbe c = node("c");
    a.publish(new Route.ToAll(Set.of("1", "bob")), "broadcast", "{\"b\":true}");
    for (BrokerProbe other : List.of(b, c)) {
      Received r = other.next();
      assertThat(r.route()).isEqualTo(new Route.ToAll(Set.of("1", "bob")));
      assertThat(r.payload()).isEqualTo("{\"b\":true}");
    }
    b.publish(new Route.ToAll(Set.of()), "marker", "{}");
    assertThat(a.next().type()).isEqualTo("marker");
  }

  @Test
  void disconnectReachesEveryNodeHoldingTheUser() {
    BrokerProbe a = node("a");
    BrokerProbe b = node("b");
    BrokerProbe c = node("c");
    b.connect("9");
    c.connect("9");
    a.publish(new Route.Disconnect(List.of("9")), null, null);
    for (BrokerProbe other : List.of(b, c)) {
      Received r = other.next();
      assertThat(r.route()).isEqualTo(new Route.Disconnect(List.of("9")));
      assertThat(r.type()).isNull();
      assertThat(r.payload()).isNull();
    }
  }

  @Test
  void presenceCountsDistinctUsersAcrossNodes() {
    BrokerProbe a = node("a");
    BrokerProbe b = node("b");
    BrokerProbe c = node("c");
    a.connect("1");
    b.connect("1");
    c.connect("ünï cödé");
    assertThat(join(c.broker().onlineCount())).isEqualTo(2);
    assertThat(join(c.broker().onlineUsers())).containsExactlyInAnyOrder("1", "ünï cödé");

    a.disconnect("1");
    assertThat(join(c.broker().isOnline("1"))).as("still on b").isTrue();
    b.disconnect("1");
    assertThat(join(c.broker().isOnline("1"))).isFalse();
    assertThat(join(a.broker().onlineCount())).isEqualTo(1);
  }

  @Test
  void onlineUsersPagesListEveryUserWithoutListingAllAtOnce() {
    BrokerProbe a = node("a");
    BrokerProbe b = node("b");
    java.util.Set<String> all = new java.util.HashSet<>();
    for (int i = 0; i < 600; i++) {
      String user = (i % 3 == 0 ? "u-" : "") + i;
      (i % 2 == 0 ? a : b).connect(user);
      all.add(user);
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    int pages = 0;
    String cursor = "0";
    do {
      io.herald.broker.Broker.UsersPage page = join(b.broker().onlineUsersPage(cursor, 100));
      assertThat(page.userIds().size()).as("a page of a large set holds about the limit").isLessThan(300);
      seen.addAll(page.userIds());
      cursor = page.next();
      pages++;
    } while (cursor != null && pages < 100);
    assertThat(seen).isEqualTo(all);
    assertThat(pages).isGreaterThan(2);
  }

  @Test
  void closedNodeLeavesPresenceAtOnce() {
    BrokerProbe a = node("a");
    BrokerProbe b = node("b");
    b.connect("5");
    assertThat(join(a.broker().isOnline("5"))).isTrue();
    b.close();
    assertThat(join(a.broker().isOnline("5"))).isFalse();
    assertThat(join(a.broker().onlineCount())).isZero();
  }
}
