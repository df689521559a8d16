package io.herald.pusher;

import io.herald.broker.ChannelStore;
import io.herald.config.ServerConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an app's webhooks: {@code POST {"time_ms":…,"events":[e]}} with {@code X-Pusher-Key} and
 * {@code X-Pusher-Signature} (hex HMAC-SHA256 of the body under the app secret). Each event is
 * decided by exactly one node (the one whose change the {@link ChannelStore} reported as first or
 * last), so the cluster sends it once. {@code channel_vacated} and {@code member_removed} wait
 * {@code pusher.webhook_delay} and are dropped when the channel or member is back by then (and
 * then the matching {@code channel_occupied} / {@code member_added} is not sent either). A
 * failed send (no answer, or not 2xx) is retried with exponential backoff for up to 5 minutes.
 * Nothing here runs until an app with webhooks produces an event.
 */
public final class Webhooks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration GIVE_UP_AFTER = Duration.ofMinutes(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final ServerConfig.Pusher settings;
  private final ChannelStore store;
  private final Clock clock;
  /** Delayed vacated / removed events waiting on this node, by app, name, channel and user. */
  private final java.util.concurrent.ConcurrentHashMap<String, Object> pending = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile ScheduledExecutorService timer;
  private volatile HttpClient http;

  Webhooks(ServerConfig.Pusher settings, ChannelStore store, Clock clock) {
    this.settings = settings;
    this.store = store;
    this.clock = clock;
  }

  void occupied(ServerConfig.PusherApp app, String channel) {
    if (app.webhooks().isEmpty()) {
      return;
    }
    if (cancelPending(app, "channel_vacated", channel, null)) {
      return; // back within the delay: the receiver never heard it was vacated
    }
    send(app, event("channel_occupied", channel));
  }

  void vacated(ServerConfig.PusherApp app, String channel) {
    if (app.webhooks().isEmpty()) {
      return;
    }
    later(app, event("channel_vacated", channel),
        () -> store.subscribers(channel).thenApply(n -> n == 0));
  }

  void memberAdded(ServerConfig.PusherApp app, String channel, String userId) {
    if (app.webhooks().isEmpty()) {
      return;
    }
    if (cancelPending(app, "member_removed", channel, userId)) {
      return; // back within the delay: the receiver never heard the member left
    }
    Map<String, Object> e = event("member_added", channel);
    e.put("user_id", userId);
    send(app, e);
  }

  void memberRemoved(ServerConfig.PusherApp app, String channel, String userId) {
    if (app.webhooks().isEmpty()) {
      return;
    }
    Map<String, Object> e = event("member_removed", channel);
    e.put("user_id", userId);
    later(app, e, () -> store.members(channel).thenApply(m -> !m.containsKey(userId)));
  }

  void clientEvent(ServerConfig.PusherApp app, String channel, String name, String data, String socketId,
                   String userId) {
    if (app.webhooks().isEmpty()) {
      return;
    }
    Map<String, Object> e = event("client_event", channel);
    e.put("event", name);
    e.put("data", data);
    e.put("socket_id", socketId);
    if (userId != null) {
      e.put("user_id", userId);
    }
    send(app, e);
  }

  void cacheMiss(ServerConfig.PusherApp app, String channel) {
    if (app.webhooks().isEmpty()) {
      return;
    }
    send(app, event("cache_miss", channel));
  }

  private static Map<String, Object> event(String name, String channel) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("name", name);
    e.put("channel", channel);
    return e;
  }

  private void later(ServerConfig.PusherApp app, Map<String, Object> e, Supplier<CompletionStage<Boolean>> stillTrue) {
    if (!wanted(app, (String) e.get("name"))) {
      return;
    }
    String key = pendingKey(app, (String) e.get("name"), (String) e.get("channel"), (String) e.get("user_id"));
    Object token = new Object();
    pending.put(key, token);
    timer().schedule(() -> {
      if (!pending.remove(key, token)) {
        return; // cancelled: the channel or member came back on this node
      }
      stillTrue.get().whenComplete((yes, err) -> {
      if (err != null) {
        log.warn("webhook {} for {} dropped: cannot check the channel ({})", e.get("name"), e.get("channel"), err.toString());
      } else if (yes) {
        send(app, e);
      }
      });
    }, settings.webhookDelay().toMillis(), TimeUnit.MILLISECONDS);
  }

  private boolean cancelPending(ServerConfig.PusherApp app, String name, String channel, String userId) {
    return pending.remove(pendingKey(app, name, channel, userId)) != null;
  }

  private static String pendingKey(ServerConfig.PusherApp app, String name, String channel, String userId) {
    return app.id() + '\n' + name + '\n' + channel + '\n' + (userId == null ? "" : userId);
  }

  private boolean wanted(ServerConfig.PusherApp app, String name) {
    for (ServerConfig.Webhook w : app.webhooks()) {
      if (w.eventTypes().isEmpty() || w.eventTypes().contains(name)) {
        return true;
      }
    }
    return false;
  }

  private void send(ServerConfig.PusherApp app, Map<String, Object> e) {
    String name = (String) e.get("name");
    for (ServerConfig.Webhook w : app.webhooks()) {
      if (w.eventTypes().isEmpty() || w.eventTypes().contains(name)) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("time_ms", clock.millis());
        body.put("events", List.of(e));
        byte[] bytes = PusherFrames.json(body).getBytes(StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(w.url())
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("X-Pusher-Key", app.key())
            .header("X-Pusher-Signature", Signatures.hmac(app.secret(), bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
        attempt(req, name, System.nanoTime(), FIRST_RETRY);
      }
    }
  }

  private void attempt(HttpRequest req, String name, long startedNanos, Duration backoff) {
    http().sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, err) -> {
      if (err == null && r.statusCode() / 100 == 2) {
        return;
      }
      String why = err != null ? err.toString() : "status " + r.statusCode();
      if (Duration.ofNanos(System.nanoTime() - startedNanos).plus(backoff).compareTo(GIVE_UP_AFTER) > 0) {
        log.warn("webhook {} to {} given up after 5 minutes: {}", name, req.uri(), why);
        return;
      }
      log.info("webhook {} to {} failed ({}): retrying in {} ms", name, req.uri(), why, backoff.toMillis());
      timer().schedule(() -> attempt(req, name, startedNanos, backoff.multipliedBy(2)),
          backoff.toMillis(), TimeUnit.MILLISECONDS);
    });
  }

  private ScheduledExecutorService timer() {
    ScheduledExecutorService t = timer;
    if (t == null) {
      synchronized (this) {
        if (timer == null) {
          timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "herald-webhooks");
            th.setDaemon(true);
            return th;
          });
        }
        t = timer;
      }
    }
    return t;
  }

  private HttpClient http() {
    HttpClient h = http;
    if (h == null) {
      synchronized (this) {
        if (http == null) {
          http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).executor(timer()).build();
        }
        h = http;
      }
    }
    return h;
  }

  @Override
  public void close() {
    ScheduledExecutorService t = timer;
    if (t != null) {
      t.shutdownNow();
    }
  }
}
