package io.herald.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.hub.UserId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Many pushes in one {@code POST /admin/websocket/batch}: add requests, then {@link #execute()}.
 * Answers come back one per request, in order; a bad request fails alone. Batches longer than
 * {@link ClientSettings#maxBatch()} go out as several POSTs, one after another. Each POST carries
 * its own {@code Idempotency-Key}, so a retried batch is not applied twice by a Herald that
 * honours the header.
 *
 * <pre>{@code
 * List<BatchResult> answers = herald.batch()
 *     .sendToUser(UserId.of(1), "notification", Map.of("title", "Hi"))
 *     .sendToChannel("orders", "order_created", order)
 *     .execute().toCompletableFuture().join();
 * }</pre>
 */
public final class Batch {
  private final HeraldClient client;
  private final List<Map<String, Object>> items = new ArrayList<>();

  Batch(HeraldClient client) {
    this.client = client;
  }

  public Batch sendToUser(UserId userId, String type, Object data) {
    return add("send-to-user", HeraldClient.body("user_id", userId, "type", type, "data", data));
  }

  public Batch sendToUsers(Collection<UserId> userIds, String type, Object data) {
    return add("send-to-users", HeraldClient.body("user_ids", userIds, "type", type, "data", data));
  }

  public Batch broadcast(String type, Object data) {
    return add("broadcast", HeraldClient.body("type", type, "data", data));
  }

  public Batch sendToChannel(String channel, String type, Object data) {
    return add("send-to-channel", HeraldClient.body("channel", channel, "type", type, "data", data));
  }

  public Batch pushDataUpdate(Collection<UserId> userIds, String resourceType, String action, Object data) {
    return add("push-data-update", HeraldClient.body("user_ids", userIds, "resource_type", resourceType,
        "action", action, "data", data));
  }

  public Batch pushDataUpdateToChannel(String channel, String resourceType, String action, Object data) {
    return add("push-data-update-channel", HeraldClient.body("channel", channel, "resource_type", resourceType,
        "action", action, "data", data));
  }

  /** Any admin POST endpoint by name (e.g. {@code "send-notification"}) with its body. */
  public Batch add(String path, Map<String, Object> body) {
    items.add(Map.of("path", path, "body", body));
    return this;
  }

  public int size() {
    return items.size();
  }

  /** Sends the batch; the stage completes with one result per request, in order. */
  public CompletionStage<List<BatchResult>> execute() {
    List<Map<String, Object>> todo = List.copyOf(items);
    CompletionStage<List<BatchResult>> done = CompletableFuture.completedFuture(new ArrayList<>());
    int max = client.settings().maxBatch();
    for (int from = 0; from < todo.size(); from += max) {
      List<Map<String, Object>> chunk = todo.subList(from, Math.min(todo.size(), from + max));
      done = done.thenCompose(results -> client.post("batch", Map.of("requests", chunk)).thenApply(data -> {
        results.addAll(results(data, chunk.size()));
        return results;
      }));
    }
    return done;
  }

  private static List<BatchResult> results(JsonNode data, int expected) {
    JsonNode responses = data.path("responses");
    if (!responses.isArray() || responses.size() != expected) {
      throw new HeraldException(200, "batch answer must hold " + expected + " responses: " + data);
    }
    List<BatchResult> out = new ArrayList<>(expected);
    for (JsonNode r : responses) {
      out.add(new BatchResult(r.path("code").asInt(), r.path("message").asText(), r.path("data")));
    }
    return out;
  }
}
