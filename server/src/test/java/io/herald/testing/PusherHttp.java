package io.herald.testing;

import io.herald.pusher.Signatures;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Signs and sends Pusher HTTP API requests as the server SDKs do. */
public final class PusherHttp {
  private final TestServer server;
  private final String id;
  private final String key;
  private final String secret;
  public long timestamp = System.currentTimeMillis() / 1000;

  public PusherHttp(TestServer server, String id, String key, String secret) {
    this.server = server;
    this.id = id;
    this.key = key;
    this.secret = secret;
  }

  public HttpResponse<String> post(String subPath, String body) {
    return send("POST", subPath, Map.of(), body, "");
  }

  public HttpResponse<String> get(String subPath, Map<String, String> params) {
    return send("GET", subPath, params, null, "");
  }

  /** Signs {@code /apps/{id}/{subPath}} and sends it to {@code prefix + that path}. */
  public HttpResponse<String> send(String method, String subPath, Map<String, String> params, String body, String prefix) {
    String path = "/apps/" + id + "/" + subPath;
    Map<String, String> q = new LinkedHashMap<>(params);
    q.put("auth_key", key);
    q.put("auth_timestamp", Long.toString(timestamp));
    q.put("auth_version", "1.0");
    if (body != null) {
      q.put("body_md5", Signatures.md5(body.getBytes(StandardCharsets.UTF_8)));
    }
    q.put("auth_signature", Signatures.hmac(secret, Signatures.requestText(method, path, q)));
    return raw(method, prefix + path + "?" + query(q), body);
  }

  public HttpResponse<String> raw(String method, String pathAndQuery, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      return server.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + pathAndQuery + " failed", e);
    }
  }

  public static String query(Map<String, String> q) {
    return q.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
