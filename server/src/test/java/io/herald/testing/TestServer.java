package io.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.HeraldServer;
import io.herald.broker.InMemoryBroker;
import io.herald.config.ServerConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A real Herald server on a free loopback port, with a fixed JWT secret and API key. */
public final class TestServer implements AutoCloseable {
  public static final String API_KEY = "test-api-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HeraldServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(HeraldServer server) {
    this.server = server;
  }

  public static TestServer start() {
    return start(Map.of());
  }

  /** Starts with these configuration keys on top of the test defaults. */
  public static TestServer start(Map<String, Object> settings) {
    return new TestServer(HeraldServer.start(config(settings)));
  }

  /** As {@link #start(Map)}, single node, on this clock (a {@link ManualClock} to move time by hand). */
  public static TestServer start(Map<String, Object> settings, Clock clock) {
    return new TestServer(HeraldServer.start(config(settings), new InMemoryBroker(), clock));
  }

  /** The configuration {@link #start(Map)} runs with: these keys on top of the test defaults. */
  public static ServerConfig config(Map<String, Object> settings) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("host", "127.0.0.1");
    all.put("port", 0);
    all.put("jwt.secret", Tokens.SECRET);
    all.put("api.key", API_KEY);
    all.put("transport", TestTransport.requested());
    all.putAll(settings);
    ServerConfig.Builder b = ServerConfig.builder();
    all.forEach(b::set);
    return b.build();
  }

  public HeraldServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public HttpClient http() {
    return http;
  }

  public URI wsUri(String query) {
    return URI.create("ws://127.0.0.1:" + port() + "/ws" + (query == null ? "" : "?" + query));
  }

  /** Connects {@code userId} with a valid token and consumes the connected frame. */
  public WsRecorder connect(String userId) {
    WsRecorder ws = connectRaw("user_id=" + enc(userId) + "&token=" + enc(Tokens.hs256(userId)));
    ws.connected();
    return ws;
  }

  /** Connects with this query string; nothing consumed. */
  public WsRecorder connectRaw(String query) {
    return WsRecorder.connect(http, wsUri(query), Map.of());
  }

  public WsRecorder connectWithHeaders(String query, Map<String, String> headers) {
    return WsRecorder.connect(http, wsUri(query), headers);
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** An admin API answer: status and the parsed envelope. */
  public record Answer(int status, JsonNode body, HttpResponse<String> response) {
    public JsonNode data() {
      return body.get("data");
    }
  }

  public Answer get(String path) {
    return call("GET", path, null, Map.of("Authorization", "Bearer " + API_KEY));
  }

  public Answer post(String path, Object body) {
    try {
      String json = body instanceof String s ? s : JSON.writeValueAsString(body);
      return call("POST", path, json, Map.of("Authorization", "Bearer " + API_KEY));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public Answer call(String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      boolean json = r.headers().firstValue("content-type").orElse("").startsWith("application/json");
      JsonNode parsed = json && !r.body().isEmpty() ? JSON.readTree(r.body()) : null;
      return new Answer(r.statusCode(), parsed, r);
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
