package io.herald.broker.redis;

import io.herald.util.Failures;
import static io.herald.broker.redis.RedisConnector.describe;

import io.herald.broker.Broker;
import io.herald.broker.BrokerListener;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.ClusterStats;
import io.herald.broker.Route;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: nodes sharing one Redis act as one server. docs/cluster.md has the whole story.
 *
 * <p><b>Routing.</b> A node receives only traffic it has recipients for. Channel messages go to
 * {@code <p>:ch:<channel>}, which a node subscribes to while it has a local subscriber. Messages to
 * users and disconnects go through {@code route.lua}, which looks the users up in presence and
 * publishes once to the inbox {@code <p>:node:<id>} of each other node holding any of them.
 * Broadcasts go to {@code <p>:all}. Every envelope names its origin; a node drops its own channel
 * and broadcast messages when they come back, so nothing is delivered twice.
 *
 * <p><b>Presence.</b> See {@link RedisPresence}: per-node user sets, a heartbeat key with a TTL,
 * dead nodes dropped by whoever looks next.
 *
 * <p><b>Faults.</b> {@link RedisConnector} keeps the connections. While Redis is unreachable the
 * node serves its own connections, and every cross-node call fails at once with
 * {@link BrokerUnavailableException} (admin API 503, WebSocket {@code unavailable}); nothing is
 * queued for later. A new link subscribes the local channels and registers the local users again
 * ({@link #setUp}) before the broker reports healthy.
 *
 * <p><b>Threading.</b> Nothing here blocks except {@link #start} and {@link #close}, which run on
 * the caller's (non event-loop) thread. Replies and messages arrive on Lettuce's I/O threads.
 * Two small locks keep "look at the hub, then queue the command" atomic, so a channel or a user
 * that comes and goes quickly leaves Redis in the hub's final state (commands on one connection
 * run in the order they were queued).
 */
public final class RedisBroker implements Broker {
  private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final RedisSettings settings;
  private final RedisNames names;
  private final RedisPresence presence;
  private final String nodeId;
  private final RedisConnector connector;
  private final RedisStats stats;
  private final Object channelLock = new Object();
  private final Object presenceLock = new Object();
  private final RedisChannelStore store;
  private volatile BrokerListener listener;
  private volatile boolean closed;

  public RedisBroker(RedisSettings settings) {
    this.settings = settings;
    this.nodeId = settings.nodeId();
    this.names = new RedisNames(settings.prefix());
    this.presence = new RedisPresence(names, nodeId, settings.presenceTtl().toMillis(), UUID.randomUUID().toString());
    this.connector = new RedisConnector(settings, this::receive, this::setUp);
    this.stats = new RedisStats(connector, settings, names);
    this.store = new RedisChannelStore(connector, names, nodeId);
  }

  /** Connects, subscribes and registers this node; throws if Redis cannot be reached in time. */
  @Override
  public void start(BrokerListener listener) {
    this.listener = listener;
    try {
      connector.connect();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    connector.every(settings.beatInterval().toMillis(), this::beat);
    log.info("cluster mode: node {} on Redis at {} (presence TTL {})", nodeId, settings.address(), settings.presenceTtl());
  }

  /** Loads scripts, subscribes, registers the local users: in this order on the connections. */
  private CompletableFuture<Void> setUp(RedisLink l) {
    List<CompletableFuture<?>> steps = new ArrayList<>();
    steps.add(l.loadScripts());
    steps.add(l.subscribe(names.inbox(nodeId), names.all()));
    synchronized (channelLock) {
      for (String c : listener.localChannels()) {
        CompletableFuture<Void> f = l.subscribe(names.channel(c));
        l.channels.put(c, f);
        steps.add(f);
      }
    }
    synchronized (presenceLock) {
      steps.add(presence.register(l, listener.localUsers()));
    }
    return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new));
  }

  // ---- routing ----

  @Override
  public CompletionStage<Void> publish(Route route, String type, byte[] payload) {
    RedisLink l = connector.current();
    if (l == null) {
      return unavailable("the message was delivered on this node only");
    }
    CompletableFuture<?> sent;
    if (route instanceof Route.ToChannel c) {
      sent = l.publish(names.channel(c.channel()), Envelope.encode(nodeId, route, type, payload));
    } else if (route instanceof Route.ToAll) {
      sent = l.publish(names.all(), Envelope.encode(nodeId, route, type, payload));
    } else if (route instanceof Route.ToUsers u) {
      sent = toUsers(l, "U", u.userIds(), type, payload);
    } else {
      sent = toUsers(l, "D", ((Route.Disconnect) route).userIds(), null, null);
    }
    return failingAsUnavailable(sent, "did not take the message, so other nodes did not get it").thenRun(() -> { });
  }

  private CompletableFuture<?> toUsers(RedisLink l, String kind, List<String> userIds, String type, byte[] payload) {
    if (userIds.isEmpty()) {
      return DONE;
    }
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(userIds));
    byte[][] args = new byte[6 + distinct.size()][];
    args[0] = RedisNames.bytes(names.prefix());
    args[1] = RedisNames.bytes(nodeId);
    args[2] = RedisNames.bytes(kind);
    args[3] = RedisNames.bytes(type == null ? "" : type);
    args[4] = payload == null ? new byte[0] : payload;
    args[5] = RedisNames.bytes(l.publishCommand());
    for (int i = 0; i < distinct.size(); i++) {
      args[6 + i] = RedisNames.bytes(distinct.get(i));
    }
    return l.run(Script.ROUTE, ScriptOutputType.INTEGER, args);
  }

  /** A message from Redis: on a Lettuce I/O thread. */
  private void receive(byte[] message) {
    Envelope e;
    try {
      e = Envelope.decode(message);
    } catch (RuntimeException ex) {
      log.warn("ignored a malformed message from Redis ({} bytes): {}", message.length, ex.getMessage());
      return;
    }
    BrokerListener l = listener;
    if (nodeId.equals(e.origin()) || l == null || closed) {
      return; // our own channel or broadcast publish coming back: already delivered locally
    }
    try {
      l.onMessage(e.route(), e.type(), e.payload());
    } catch (RuntimeException ex) {
      log.error("delivering a {} message from node {} failed", e.type(), e.origin(), ex);
    }
  }

  @Override
  public CompletionStage<Void> subscribe(String channel) {
    synchronized (channelLock) {
      RedisLink l = connector.current();
      if (l == null) {
        return unavailable("cannot subscribe to channel " + channel);
      }
      if (!listener.localChannels().contains(channel)) {
        return DONE; // its last local subscriber already left
      }
      CompletableFuture<Void> f = l.channels.get(channel);
      if (f == null) {
        CompletableFuture<Void> sent = l.subscribe(names.channel(channel));
        l.channels.put(channel, sent);
        sent.whenComplete((v, err) -> {
          if (err != null) {
            l.channels.remove(channel, sent);
          }
        });
        f = sent;
      }
      return failingAsUnavailable(f, "did not subscribe to channel " + channel);
    }
  }

  @Override
  public CompletionStage<Void> unsubscribe(String channel) {
    synchronized (channelLock) {
      RedisLink l = connector.current();
      if (l == null || listener.localChannels().contains(channel) || l.channels.remove(channel) == null) {
        return DONE; // nothing subscribed, or a new local subscriber arrived meanwhile
      }
      return l.unsubscribe(names.channel(channel));
    }
  }

  // ---- presence ----

  /**
   * While Redis is unreachable this completes at once: the reconnect registers every local user
   * anyway, from the hub's own view, which is the truth to restore.
   */
  @Override
  public CompletionStage<Void> userOnline(String userId) {
    synchronized (presenceLock) {
      RedisLink l = connector.current();
      return closed || l == null ? DONE : presence.online(l, userId);
    }
  }

  /** As {@link #userOnline}; ignored while the user still has a connection here. */
  @Override
  public CompletionStage<Void> userOffline(String userId) {
    synchronized (presenceLock) {
      RedisLink l = connector.current();
      if (closed || l == null || listener.isLocal(userId)) {
        return DONE; // cleared on shutdown, rebuilt on reconnect, or the user reconnected meanwhile
      }
      return presence.offline(l, userId);
    }
  }

  @Override
  public CompletionStage<Long> onlineCount() {
    RedisLink l = connector.current();
    return l == null ? unavailable("cannot count online users")
        : failingAsUnavailable(presence.count(l), "did not count online users");
  }

  @Override
  public CompletionStage<List<String>> onlineUsers() {
    RedisLink l = connector.current();
    return l == null ? unavailable("cannot list online users")
        : failingAsUnavailable(presence.users(l), "did not list online users");
  }

  @Override
  public CompletionStage<UsersPage> onlineUsersPage(String cursor, int limit) {
    RedisLink l = connector.current();
    return l == null ? unavailable("cannot list online users") : presence.usersPage(l, cursor, limit);
  }

  @Override
  public CompletionStage<Boolean> isOnline(String userId) {
    RedisLink l = connector.current();
    return l == null ? unavailable("cannot check user " + userId)
        : failingAsUnavailable(presence.isOnline(l, userId), "did not check user " + userId);
  }

  /** Renews the heartbeat; registers again if this node dropped out; on Lettuce's scheduler. */
  private void beat() {
    RedisLink l = connector.current();
    if (l == null || !l.ready || closed) {
      return;
    }
    presence.beat(l).whenComplete((found, err) -> {
      if (err != null) {
        if (Failures.cause(err) instanceof RedisCommandTimeoutException) {
          log.warn("Redis at {} did not answer the heartbeat within {}: reconnecting", settings.address(), settings.timeout());
          connector.lost(l);
        } else {
          log.warn("heartbeat to Redis at {} failed: {}", settings.address(), describe(err));
        }
      } else if (found == RedisPresence.Beat.DUPLICATE) {
        // Registering again would wipe the other process's users; say so loudly at every beat.
        log.error("another Herald process uses node id {}: node ids must be unique in a cluster, "
            + "or messages and presence for the two nodes' users go wrong", nodeId);
      } else if (found == RedisPresence.Beat.GONE) {
        log.warn("node {} had dropped out of cluster presence (heartbeat expired or Redis lost its data): "
            + "registering its users again", nodeId);
        CompletableFuture<Void> again;
        synchronized (presenceLock) {
          again = presence.register(l, listener.localUsers());
        }
        again.whenComplete((x, e) -> {
          if (e != null) {
            log.warn("could not register node {} again: {}", nodeId, describe(e));
          }
        });
      }
    });
  }

  @Override
  public io.herald.broker.ChannelStore channelStore() {
    return store;
  }

  // ---- health ----

  @Override
  public boolean healthy() {
    return !closed && connector.healthy();
  }

  @Override
  public String kind() {
    return "redis";
  }

  @Override
  public Optional<ClusterStats> clusterStats() {
    return Optional.of(stats);
  }

  @Override
  public Map<String, Object> status() {
    return connector.status();
  }

  /** Removes this node from presence, then disconnects. Waits at most the Redis timeout. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    connector.close(l -> {
      try {
        presence.leave(l).get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.warn("could not remove node {} from cluster presence ({}); other nodes drop it within {}",
            nodeId, describe(e), settings.presenceTtl());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /**
   * {@code stage}, with any Lettuce, timeout or I/O failure turned into the
   * {@link BrokerUnavailableException} the {@link Broker} interface promises.
   */
  private <T> CompletableFuture<T> failingAsUnavailable(CompletableFuture<T> stage, String consequence) {
    return stage.handle((v, err) -> {
      if (err == null) {
        return v;
      }
      if (Failures.cause(err) instanceof BrokerUnavailableException b) {
        throw b;
      }
      throw new BrokerUnavailableException("Redis at " + settings.address() + " " + consequence + ": "
          + describe(err), Failures.cause(err));
    });
  }

  private <T> CompletableFuture<T> unavailable(String consequence) {
    return CompletableFuture.failedFuture(new BrokerUnavailableException(
        "Redis at " + settings.address() + " is unreachable: " + consequence));
  }
}
