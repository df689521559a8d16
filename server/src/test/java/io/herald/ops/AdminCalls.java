package io.herald.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** Admin API and plain HTTP calls for the operations tests. */
public final class AdminCalls {
  /** A response: HTTP status and the parsed body (the envelope, or null for non-JSON). */
  public record Reply(int status, JsonNode body, String text) {
  }

  private final HttpClient http;
  private final URI base;

  public AdminCalls(URI base) {
    this(base, null);
  }

  public AdminCalls(URI base, SSLContext ssl) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (ssl != null) {
      b.sslContext(ssl);
    }
    this.http = b.build();
    this.base = base;
  }

  public Reply post(String key, String endpoint, Object body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(base.resolve("/admin/websocket/" + endpoint))
        .header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)))
        .timeout(Duration.ofSeconds(10)).build();
    return send(req);
  }

  public Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build());
  }

  private Reply send(HttpRequest req) throws Exception {
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    try {
      json = Json.MAPPER.readTree(res.body());
    } catch (Exception notJson) {
      // /metrics is text
    }
    return new Reply(res.statusCode(), json, res.body());
  }
}
