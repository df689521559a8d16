package io.herald.broker.redis;

import io.herald.util.Failures;
import io.herald.broker.BrokerUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one working {@link RedisLink}. Opens it, runs the broker's set-up on it (scripts,
 * subscriptions, presence) before calling it healthy, notices when it breaks, and opens a new one
 * with capped, jittered exponential backoff (100 ms doubling to 5 s) until Redis answers again.
 * Runs on Lettuce's threads; only {@link #connect} and {@link #close} block their caller.
 */
final class RedisConnector {
  private static final Logger log = LoggerFactory.getLogger(RedisConnector.class);
  private static final long FIRST_RETRY_MILLIS = 100;
  private static final long MAX_RETRY_MILLIS = 5_000;

  private final RedisSettings settings;
  private final Consumer<byte[]> messages;
  private final Function<RedisLink, CompletableFuture<Void>> setUp;
  private final ClientResources resources;
  private final ClientOptions options;
  /** Chosen by {@link #connect} from what the URL points at. */
  private volatile LinkOpener opener;
  /** The current link; null while Redis is unreachable. */
  private final AtomicReference<RedisLink> link = new AtomicReference<>();
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private final AtomicLong reconnects = new AtomicLong();
  private volatile String lastError;
  private volatile Instant downSince;
  private volatile ScheduledFuture<?> ticker;
  private volatile boolean closed;

  RedisConnector(RedisSettings settings, Consumer<byte[]> messages,
                 Function<RedisLink, CompletableFuture<Void>> setUp) {
    this.settings = settings;
    this.messages = messages;
    this.setUp = setUp;
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    this.options = RedisTopology.options(settings.timeout()); // no auto-reconnect: see RedisLink
  }

  /**
   * Finds out whether the URL points at a single Redis or a Redis Cluster, then connects and sets
   * up the first link, waiting at most three Redis timeouts.
   */
  void connect() {
    try {
      opener = RedisTopology.detect(resources, settings, options);
    } catch (IllegalArgumentException e) {
      throw new BrokerUnavailableException("cannot start cluster mode: " + e.getMessage(), e);
    }
    try {
      open().get(settings.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new BrokerUnavailableException("cannot start cluster mode: Redis at " + settings.address()
          + " is unreachable: " + describe(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerUnavailableException("interrupted while connecting to Redis at " + settings.address(), e);
    }
  }

  /** Runs {@code task} at a fixed rate on Lettuce's scheduler until {@link #close}. */
  void every(long millis, Runnable task) {
    ticker = resources.eventExecutorGroup().scheduleAtFixedRate(task, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** The current link, possibly still being set up; null while Redis is unreachable. */
  RedisLink current() {
    return link.get();
  }

  boolean healthy() {
    RedisLink l = link.get();
    return !closed && l != null && l.ready;
  }

  /** {@code l} broke (either connection dropped, or Redis stopped answering): replace it. */
  void lost(RedisLink l) {
    if (!link.compareAndSet(l, null)) {
      return;
    }
    l.close();
    if (closed) {
      return;
    }
    downSince = Instant.now();
    lastError = "connection lost";
    log.warn("lost Redis at {}: node {} serves its own connections only until it reconnects",
        settings.address(), settings.nodeId());
    if (reconnecting.compareAndSet(false, true)) {
      scheduleReconnect(1);
    }
  }

  Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("address", settings.address());
    s.put("tls", settings.url().startsWith("rediss://"));
    LinkOpener o = opener;
    if (o != null) {
      s.put("mode", o.mode());
    }
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

  /** Stops reconnecting, lets {@code farewell} use the link a last time, then disconnects. */
  void close(Consumer<RedisLink> farewell) {
    if (closed) {
      return;
    }
    closed = true;
    ScheduledFuture<?> t = ticker;
    if (t != null) {
      t.cancel(false);
    }
    RedisLink l = link.getAndSet(null);
    if (l != null && l.ready) {
      farewell.accept(l);
    }
    if (l != null) {
      l.close();
    }
    LinkOpener o = opener;
    if (o != null) {
      o.shutdown();
    }
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  private CompletableFuture<Void> open() {
    return opener.open(messages, this::lost).thenCompose(l -> {
      if (closed) {
        l.close();
        return CompletableFuture.<Void>failedFuture(new BrokerUnavailableException("broker closed"));
      }
      link.set(l);
      return setUp.apply(l).whenComplete((v, err) -> {
        if (err == null) {
          l.ready = true;
          downSince = null;
        } else if (link.compareAndSet(l, null)) {
          l.close();
        }
      });
    });
  }

  private void scheduleReconnect(int attempt) {
    long cap = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempt - 1, 16));
    long delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    try {
      resources.eventExecutorGroup().schedule(() -> reconnect(attempt), delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      reconnecting.set(false); // shutting down
    }
  }

  private void reconnect(int attempt) {
    if (closed) {
      return;
    }
    open().whenComplete((v, err) -> {
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
      if (link.get() == null && !closed && reconnecting.compareAndSet(false, true)) {
        scheduleReconnect(1); // lost again while we were finishing
      }
    });
  }

  static String describe(Throwable t) {
    Throwable c = Failures.cause(t);
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
