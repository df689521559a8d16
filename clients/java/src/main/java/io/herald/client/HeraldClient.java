package io.herald.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.hub.Delivery;
import io.herald.hub.PushService;
import io.herald.hub.UserId;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link PushService} over Herald's admin HTTP API: application code written against the embedded
 * server's {@code PushService} runs unchanged against a Herald in another process.
 *
 * <pre>{@code
 * HeraldClient herald = HeraldClient.builder().url("http://127.0.0.1:5200").apiKey(key).build();
 * herald.sendToUser(UserId.of(42), "notification", Map.of("title", "Hello")).toCompletableFuture().join();
 * }</pre>
 *
 * <p>Every method returns at once; the stage completes with the answer's data or fails with a
 * {@link HeraldException} (one subclass per error status; {@link HeraldTimeoutException} and
 * {@link HeraldConnectionException} when no answer came). Connections are kept alive and reused
 * (HTTP/1.1). Calls are retried as {@link ClientSettings} describes; every POST carries an
 * {@code Idempotency-Key}, the same on each attempt, so a Herald that honours the header (SPEC §7)
 * never delivers a retried push twice. The client is thread-safe; make one and share it.
 *
 * <p>Counts differ from the embedded service in one way: a channel push reports
 * {@code users() == -1} (Herald counts a channel's connections, not its users), as embedded.
 */
public final class HeraldClient implements PushService, AutoCloseable {
  private final ClientSettings settings;
  private final ExecutorService executor;
  private final AdminCalls calls;
  private final ObjectMapper json;

  private HeraldClient(ClientSettings settings, ObjectMapper json) {
    this.settings = settings;
    this.json = json;
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "herald-client");
      t.setDaemon(true);
      return t;
    });
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
    this.calls = new AdminCalls(settings, http, json);
  }

  public static Builder builder() {
    return new Builder();
  }

  public ClientSettings settings() {
    return settings;
  }

  @Override
  public CompletionStage<Delivery> sendToUser(UserId userId, String type, Object data) {
    return post("send-to-user", body("user_id", userId, "type", type, "data", data)).thenApply(HeraldClient::delivery);
  }

  @Override
  public CompletionStage<Delivery> sendToUsers(Collection<UserId> userIds, String type, Object data) {
    return post("send-to-users", body("user_ids", userIds, "type", type, "data", data)).thenApply(HeraldClient::delivery);
  }

  @Override
  public CompletionStage<Delivery> broadcast(String type, Object data, Collection<UserId> excludeUserIds) {
    Map<String, Object> body = body("type", type, "data", data);
    if (excludeUserIds != null && !excludeUserIds.isEmpty()) {
      body.put("exclude_user_ids", excludeUserIds);
    }
    return post("broadcast", body).thenApply(HeraldClient::delivery);
  }

  @Override
  public CompletionStage<Delivery> sendToChannel(String channel, String type, Object data) {
    return post("send-to-channel", body("channel", channel, "type", type, "data", data))
        .thenApply(HeraldClient::channelDelivery);
  }

  @Override
  public CompletionStage<Long> getOnlineUserCount() {
    return calls.get("online-count").thenApply(d -> d.path("online_count").asLong());
  }

  @Override
  public CompletionStage<Boolean> isUserOnline(UserId userId) {
    return post("check-online", body("user_id", userId)).thenApply(d -> d.path("is_online").asBoolean());
  }

  @Override
  public CompletionStage<List<UserId>> getOnlineUsers() {
    return calls.get("online-users").thenApply(d -> {
      List<UserId> ids = new ArrayList<>();
      d.path("user_ids").forEach(n -> UserId.fromJson(n).ifPresent(ids::add));
      return ids;
    });
  }

  @Override
  public CompletionStage<Delivery> sendSystemNotification(
      Collection<UserId> userIds, String title, String message, String type, Object extraData) {
    Map<String, Object> body = body("title", title, "message", message);
    if (type != null) {
      body.put("type", type);
    }
    if (extraData != null) {
      body.put("extra_data", extraData);
    }
    if (userIds == null) {
      return post("send-notification", body).thenApply(HeraldClient::delivery);
    }
    body.put("user_ids", userIds);
    return post("send-notification-to-users", body).thenApply(HeraldClient::delivery);
  }

  @Override
  public CompletionStage<Delivery> pushDataUpdate(
      Collection<UserId> userIds, String resourceType, String action, Object data) {
    return post("push-data-update", body("user_ids", userIds, "resource_type", resourceType, "action", action,
        "data", data)).thenApply(HeraldClient::delivery);
  }

  @Override
  public CompletionStage<Delivery> pushDataUpdateToChannel(
      String channel, String resourceType, String action, Object data) {
    return post("push-data-update-channel", body("channel", channel, "resource_type", resourceType,
        "action", action, "data", data)).thenApply(HeraldClient::channelDelivery);
  }

  @Override
  public CompletionStage<Integer> disconnectUser(UserId userId) {
    return post("disconnect-user", body("user_id", userId)).thenApply(d -> d.path("connections").asInt());
  }

  /** A batch of pushes sent as {@code POST /admin/websocket/batch} (SPEC §7). */
  public Batch batch() {
    return new Batch(this);
  }

  CompletionStage<JsonNode> post(String endpoint, Object body) {
    return calls.post(endpoint, body);
  }

  ObjectMapper json() {
    return json;
  }

  /** Stops the client's threads; calls in flight fail. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  static Map<String, Object> body(Object... pairs) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) {
        throw new IllegalArgumentException(pairs[i] + " must not be null");
      }
      body.put((String) pairs[i], pairs[i + 1]);
    }
    return body;
  }

  static Delivery delivery(JsonNode d) {
    return new Delivery(d.path("users").asInt(), d.path("connections").asInt());
  }

  static Delivery channelDelivery(JsonNode d) {
    return new Delivery(-1, d.path("connections").asInt());
  }

  /** Builds a {@link HeraldClient}; {@code url} and {@code apiKey} are required. */
  public static final class Builder {
    private URI url;
    private String apiKey;
    private Duration connectTimeout = ClientSettings.DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = ClientSettings.DEFAULT_REQUEST_TIMEOUT;
    private int maxAttempts = ClientSettings.DEFAULT_MAX_ATTEMPTS;
    private Duration retryBackoff = ClientSettings.DEFAULT_RETRY_BACKOFF;
    private boolean idempotencyKeys = true;
    private int maxBatch = ClientSettings.DEFAULT_MAX_BATCH;
    private ObjectMapper json = new ObjectMapper();

    public Builder url(String url) {
      return url(URI.create(url));
    }

    public Builder url(URI url) {
      this.url = url;
      return this;
    }

    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder retryBackoff(Duration retryBackoff) {
      this.retryBackoff = retryBackoff;
      return this;
    }

    /** On by default: see {@link ClientSettings#idempotencyKeys()}. */
    public Builder idempotencyKeys(boolean idempotencyKeys) {
      this.idempotencyKeys = idempotencyKeys;
      return this;
    }

    public Builder maxBatch(int maxBatch) {
      this.maxBatch = maxBatch;
      return this;
    }

    /** The mapper that writes {@code data} values (default: a plain {@code ObjectMapper}). */
    public Builder objectMapper(ObjectMapper json) {
      this.json = Objects.requireNonNull(json, "objectMapper");
      return this;
    }

    public Builder settings(ClientSettings s) {
      return url(s.url()).apiKey(s.apiKey()).connectTimeout(s.connectTimeout()).requestTimeout(s.requestTimeout())
          .maxAttempts(s.maxAttempts()).retryBackoff(s.retryBackoff()).idempotencyKeys(s.idempotencyKeys())
          .maxBatch(s.maxBatch());
    }

    public HeraldClient build() {
      return new HeraldClient(new ClientSettings(url, apiKey, connectTimeout, requestTimeout, maxAttempts,
          retryBackoff, idempotencyKeys, maxBatch), json);
    }
  }
}
