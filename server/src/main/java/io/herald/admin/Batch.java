package io.herald.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /admin/websocket/batch}: {@code {"requests":[{"path":"send-to-user","body":{…}},…]}}
 * runs up to {@code api.max_batch} of the other endpoints and answers
 * {@code {"responses":[envelope,…]}}, one envelope per request, in order. Each request is started
 * in order on the calling thread, so pushes to one stream keep their order; a bad request is
 * answered with its own error envelope and the others still run.
 */
final class Batch {
  static final String NAME = "batch";

  /** Runs one endpoint by name with a body; never fails: errors are envelopes. */
  interface Runner {
    CompletionStage<AdminApi.Response> run(String name, JsonNode body);
  }

  private Batch() {
  }

  static CompletionStage<Object> run(Body body, int maxBatch, Runner runner) {
    JsonNode requests = body.json().get("requests");
    if (requests == null || requests.isNull()) {
      throw new IllegalArgumentException("requests is required: a list of {\"path\", \"body\"} objects");
    }
    if (!requests.isArray()) {
      throw new IllegalArgumentException("requests must be a list of {\"path\", \"body\"} objects");
    }
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("requests must not be empty");
    }
    if (requests.size() > maxBatch) {
      throw new IllegalArgumentException("requests may hold at most " + maxBatch + " entries (api.max_batch): " + requests.size());
    }
    List<CompletableFuture<AdminApi.Response>> answers = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      answers.add(one(i, requests.get(i), runner).toCompletableFuture());
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<RawValue> envelopes = new ArrayList<>(answers.size());
      for (CompletableFuture<AdminApi.Response> a : answers) {
        envelopes.add(new RawValue(new String(a.join().body(), StandardCharsets.UTF_8)));
      }
      return Map.of("responses", envelopes);
    });
  }

  private static CompletionStage<AdminApi.Response> one(int index, JsonNode item, Runner runner) {
    String where = "requests[" + index + "]";
    if (item == null || !item.isObject()) {
      return error(422, where + " must be an object {\"path\", \"body\"}");
    }
    JsonNode path = item.get("path");
    if (path == null || !path.isTextual() || path.asText().isEmpty()) {
      return error(422, where + ".path is required: an endpoint name such as \"send-to-user\"");
    }
    String name = path.asText();
    if (name.startsWith(AdminApi.PREFIX)) {
      name = name.substring(AdminApi.PREFIX.length());
    } else if (name.startsWith("/")) {
      name = name.substring(1);
    }
    if (name.equals(NAME)) {
      return error(422, where + ".path: a batch cannot contain another batch");
    }
    JsonNode body = item.get("body");
    if (body != null && !body.isNull() && !body.isObject()) {
      return error(400, where + ".body must be a JSON object");
    }
    return runner.run(name, body == null || body.isNull() ? null : body);
  }

  private static CompletionStage<AdminApi.Response> error(int status, String message) {
    return CompletableFuture.completedFuture(new AdminApi.Response(status, AdminApi.render(status, message, null), null));
  }
}
