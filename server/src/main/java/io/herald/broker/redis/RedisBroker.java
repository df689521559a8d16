package io.herald.broker.redis;

import io.herald.broker.Broker;
import io.herald.broker.BrokerListener;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.Route;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
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
 * <p><b>Faults.</b> Two connections (commands, pub/sub) form a {@link RedisLink}. When either
 * drops, the node keeps serving its own connections, every cross-node call fails at once with
 * {@link BrokerUnavailableException} (admin API 503, WebSocket {@code unavailable}), and the
 * broker reconnects with capped, jittered exponential backoff. A new link subscribes the local
 * channels again and registers the local users again before the broker reports healthy.
 * Messages published while the link was down are not delivered to other nodes, and their
 * senders were told so.
 *
 * <p><b>Threading.</b> Nothing here blocks except {@link #start} and {@link #close}, which run on
 * the caller's (non event-loop) thread. Replies and messages arrive on Lettuce's I/O threads.
 * Two small locks keep "look at the hub, then queue the command" atomic, so a channel or a user
 * that comes and goes quickly leaves Redis in the hub's final state.
 */
public final class RedisBroker implements Broker {
  private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
  private static final long FIRST_RETRY_MILLIS = 100;
  private static final long MAX_RETRY_MILLIS = 5_000;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final AtomicReferenceFieldUpdater<RedisBroker, RedisLink> LINK =
      AtomicReferenceFieldUpdater.newUpdater(RedisBroker.class, RedisLink.class, "link");

  private final RedisSettings settings;
  private final RedisNames names;
  private final RedisPresence presence;
  private final String nodeId;
  private final ClientResources resources;
  private final RedisClient client;
  private final Object channelLock = new Object();
  private final Object presenceLock = new Object();
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private final AtomicLong reconnects = new AtomicLong();
  private final RedisPubSubAdapter<byte[], byte[]> messages = new RedisPubSubAdapter<>() {
    @Override
    public void message(byte[] channel, byte[] message) {
      receive(message);
    }
  };

  private volatile BrokerListener listener;
  /** The current link; null while Redis is unreachable. */
  private volatile RedisLink link;
  private volatile String lastError;
  private volatile Instant downSince;
  private volatile ScheduledFuture<?> heartbeat;
  private volatile boolean closed;

  public RedisBroker(RedisSettings settings) {
    this.settings = settings;
    this.nodeId = settings.nodeId();
    this.names = new RedisNames(settings.prefix());
    this.presence = new RedisPresence(names, nodeId, settings.presenceTtl().toMillis(),
        UUID.randomUUID().toString());
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).keepAlive(true).build())
        .build());
  }

  /** Connects, subscribes and registers this node; throws if Redis cannot be reached in time. */
  @Override
  public void start(BrokerListener listener) {
    this.listener = listener;
    try {
      connect().get(settings.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      close();
      throw new BrokerUnavailableException("cannot start cluster mode: Redis at " + settings.address()
          + " is unreachable: " + describe(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new BrokerUnavailableException("interrupted while connecting to Redis at " + settings.address(), e);
    }
    long every = settings.beatInterval().toMillis();
    heartbeat = resources.eventExecutorGroup().scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    log.info("cluster mode: node {} on Redis at {} (presence TTL {})", nodeId, settings.address(), settings.presenceTtl());
  }

  // ---- routing ----

  @Override
  public CompletionStage<Void> publish(Route route, String type, byte[] payload) {
    RedisLink l = link;
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
    return sent.handle((v, err) -> {
      if (err != null) {
        throw new BrokerUnavailableException("Redis at " + settings.address()
            + " did not take the message, so other nodes did not get it: " + describe(err), err);
      }
      return null;
    });
  }

  private CompletableFuture<?> toUsers(RedisLink l, String kind, List<String> userIds, String type, byte[] payload) {
    if (userIds.isEmpty()) {
      return DONE;
    }
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(userIds));
    byte[][] args = new byte[5 + distinct.size()][];
    args[0] = RedisNames.bytes(names.prefix());
    args[1] = RedisNames.bytes(nodeId);
    args[2] = RedisNames.bytes(kind);
    args[3] = RedisNames.bytes(type == null ? "" : type);
    args[4] = payload == null ? new byte[0] : payload;
    for (int i = 0; i < distinct.size(); i++) {
      args[5 + i] = RedisNames.bytes(distinct.get(i));
    }
    return l.run(Script.ROUTE, ScriptOutputType.INTEGER, args);
  }

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
      RedisLink l = link;
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
      return f;
    }
  }

  @Override
  public CompletionStage<Void> unsubscribe(String channel) {
    synchronized (channelLock) {
      RedisLink l = link;
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
      RedisLink l = link;
      return closed || l == null ? DONE : presence.online(l, userId);
    }
  }

  /** As {@link #userOnline}; ignored while the user still has a connection here. */
  @Override
  public CompletionStage<Void> userOffline(String userId) {
    synchronized (presenceLock) {
      RedisLink l = link;
      if (closed || l == null || listener.isLocal(userId)) {
        return DONE; // cleared on shutdown, rebuilt on reconnect, or the user reconnected meanwhile
      }
      return presence.offline(l, userId);
    }
  }

  @Override
  public CompletionStage<Long> onlineCount() {
    RedisLink l = link;
    return l == null ? unavailable("cannot count online users") : presence.count(l);
  }

  @Override
  public CompletionStage<List<String>> onlineUsers() {
    RedisLink l = link;
    return l == null ? unavailable("cannot list online users") : presence.users(l);
  }

  @Override
  public CompletionStage<Boolean> isOnline(String userId) {
    RedisLink l = link;
    return l == null ? unavailable("cannot check user " + userId) : presence.isOnline(l, userId);
  }

  // ---- health ----

  @Override
  public boolean healthy() {
    RedisLink l = link;
    return !closed && l != null && l.ready;
  }

  @Override
  public String kind() {
    return "redis";
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("address", settings.address());
    s.put("tls", settings.url().startsWith("rediss://"));
    s.put("state", closed ? "closed" : healthy() ? "connected" : reconnecting.get() ? "reconnecting" : "connecting");
    s.put("reconnects", reconnects.get());
    Instant since = downSince;
    if (since != null) {
      s.put("down_since", since.getEpochSecond());
    }
    String error = lastError;
    if (error != null) {
      s.put("last_error", error);
    }
    return s;
  }

  // ---- connection lifecycle ----

  private CompletableFuture<Void> connect() {
    return RedisLink.open(client, settings.uri(), messages, this::linkLost).thenCompose(l -> {
      if (closed) {
        l.close();
        return CompletableFuture.<Void>failedFuture(new BrokerUnavailableException("broker closed"));
      }
      link = l;
      return initialize(l).whenComplete((v, err) -> {
        if (err == null) {
          l.ready = true;
          downSince = null;
        } else if (LINK.compareAndSet(this, l, null)) {
          l.close();
        }
      });
    });
  }

  /** Loads scripts, subscribes, registers the local users: in this order on the connections. */
  private CompletableFuture<Void> initialize(RedisLink l) {
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

  /** Either connection of {@code l} dropped: on a Lettuce thread. */
  private void linkLost(RedisLink l) {
    if (!LINK.compareAndSet(this, l, null)) {
      return;
    }
    l.close();
    if (closed) {
      return;
    }
    downSince = Instant.now();
    lastError = "connection lost";
    log.warn("lost Redis at {}: node {} serves its own connections only until it reconnects", settings.address(), nodeId);
    startReconnecting();
  }

  private void startReconnecting() {
    if (reconnecting.compareAndSet(false, true)) {
      scheduleReconnect(1);
    }
  }

  private void scheduleReconnect(int attempt) {
    long cap = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempt - 1, 16));
    long delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    try {
      resources.eventExecutorGroup().schedule(() -> reconnect(attempt), delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      reconnecting.set(false); // shutting down
    }
  }

  private void reconnect(int attempt) {
    if (closed) {
      return;
    }
    connect().whenComplete((v, err) -> {
      if (err != null) {
        lastError = describe(err);
        if (attempt == 1 || attempt % 10 == 0) {
          log.warn("Redis at {} still unreachable after {} attempts: {}", settings.address(), attempt, lastError);
        }
        if (!closed) {
          scheduleReconnect(attempt + 1);
        }
        return;
      }
      reconnects.incrementAndGet();
      log.info("reconnected to Redis at {} after {} attempts: channels subscribed and users registered again",
          settings.address(), attempt);
      reconnecting.set(false);
      if (link == null) {
        startReconnecting(); // lost again while we were finishing
      }
    });
  }

  private void beat() {
    RedisLink l = link;
    if (l == null || !l.ready || closed) {
      return;
    }
    presence.beat(l).whenComplete((registered, err) -> {
      if (err != null) {
        if (unwrap(err) instanceof RedisCommandTimeoutException) {
          log.warn("Redis at {} did not answer the heartbeat within {}: reconnecting", settings.address(), settings.timeout());
          linkLost(l);
        } else {
          log.warn("heartbeat to Redis at {} failed: {}", settings.address(), describe(err));
        }
      } else if (!registered) {
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

  /** Removes this node from presence, then disconnects. Waits at most the Redis timeout. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ScheduledFuture<?> h = heartbeat;
    if (h != null) {
      h.cancel(false);
    }
    RedisLink l = LINK.getAndSet(this, null);
    if (l != null) {
      if (l.ready) {
        try {
          presence.leave(l).get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          log.warn("could not remove node {} from cluster presence ({}); other nodes drop it within {}",
              nodeId, describe(e), settings.presenceTtl());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    client.shutdown(0, 2, TimeUnit.SECONDS); // closes the link's connections too
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  private <T> CompletableFuture<T> unavailable(String consequence) {
    return CompletableFuture.failedFuture(new BrokerUnavailableException(
        "Redis at " + settings.address() + " is unreachable: " + consequence));
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable t) {
    Throwable c = unwrap(t);
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
