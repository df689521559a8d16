package io.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.herald.broker.Broker;
import io.herald.broker.BrokerListener;
import io.herald.broker.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for a node's hub in broker tests: keeps local users and channels the way the hub
 * does (hub state first, then the broker call) and records what the broker delivers.
 */
public final class BrokerProbe implements BrokerListener, AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** One delivery from the broker; payload as text. */
  public record Received(Route route, String type, String payload) {
  }

  private final Set<String> users = ConcurrentHashMap.newKeySet();
  private final Set<String> channels = ConcurrentHashMap.newKeySet();
  private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final List<Received> seen = Collections.synchronizedList(new ArrayList<>());
  private final Broker broker;

  public BrokerProbe(Broker broker) {
    this.broker = broker;
    broker.start(this);
  }

  public Broker broker() {
    return broker;
  }

  public void connect(String user) {
    users.add(user);
    join(broker.userOnline(user));
  }

  public void disconnect(String user) {
    users.remove(user);
    join(broker.userOffline(user));
  }

  public void subscribe(String channel) {
    channels.add(channel);
    join(broker.subscribe(channel));
  }

  public void unsubscribe(String channel) {
    channels.remove(channel);
    join(broker.unsubscribe(channel));
  }

  /** Publishes a text frame and waits for the broker to accept it. */
  public void publish(Route route, String type, String payload) {
    join(broker.publish(route, type, payload == null ? null : payload.getBytes(StandardCharsets.UTF_8)));
  }

  /** The next delivery, waiting up to 5 s; fails with what was seen so far. */
  public Received next() {
    try {
      Received r = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) {
        fail("no broker delivery within " + WAIT + "; seen so far: " + seen);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Nothing has been delivered that was not taken with {@link #next}. */
  public void assertNothingPending() {
    assertThat(received).as("unexpected deliveries").isEmpty();
  }

  @Override
  public void onMessage(Route route, String type, byte[] payload) {
    Received r = new Received(route, type, payload == null ? null : new String(payload, StandardCharsets.UTF_8));
    seen.add(r);
    received.add(r);
  }

  @Override
  public Collection<String> localUsers() {
    return Collections.unmodifiableSet(users);
  }

  @Override
  public Collection<String> localChannels() {
    return Collections.unmodifiableSet(channels);
  }

  @Override
  public boolean isLocal(String userId) {
    return users.contains(userId);
  }

  @Override
  public void close() {
    broker.close();
  }

  public static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("broker call failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("broker call did not complete: " + e, e);
    }
  }
}
