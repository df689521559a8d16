package io.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the application behind Herald's auth proxy: a JDK HttpServer on loopback whose
 * answer depends on the token (connect) or channel (subscribe), and that counts every call.
 *
 * <p>Connect tokens: {@code user-<id>} accepts user id (with {@code channels: ["private-team-*"]});
 * {@code exp-<seconds>-<id>} accepts with {@code expires_at} that far ahead; {@code expired}
 * accepts bob with an {@code expires_at} in the past; {@code bad} 401;
 * {@code banned} 403; {@code slow} answers only once {@link #release()}d; {@code error} 500;
 * {@code garbage} 200 with a non-JSON body; {@code shape} 200 {@code {"user":1}}; {@code huge} 200
 * with 2 MiB; {@code redirect} 302 to a URL that would accept. Subscribe: channels containing
 * {@code allowed} answer 200, others 403 with {"error":"not your team"}; {@code private-slow} waits.
 */
public final class AppEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final CountDownLatch slow = new CountDownLatch(1);

  public AppEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "app-endpoint");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/connect", this::connect);
    server.createContext("/subscribe", this::subscribe);
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Calls made for this token (connect) or channel (subscribe). */
  public int calls(String key) {
    AtomicInteger n = calls.get(key);
    return n == null ? 0 : n.get();
  }

  public int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  public List<JsonNode> bodies() {
    return bodies;
  }

  public List<String> authorizations() {
    return authorizations;
  }

  /** Lets every waiting {@code slow} request answer. */
  public void release() {
    slow.countDown();
  }

  private void connect(HttpExchange ex) throws IOException {
    try (ex) {
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      bodies.add(body);
      authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      String token = body.path("token").asText();
      calls.computeIfAbsent(token, k -> new AtomicInteger()).incrementAndGet();
      if (token.startsWith("user-")) {
        String id = token.substring(5);
        reply(ex, 200, "{\"user_id\":" + (id.matches("\\d+") ? id : JSON.writeValueAsString(id))
            + ",\"channels\":[\"private-team-*\"]}");
      } else if (token.startsWith("exp-")) {
        String[] parts = token.split("-", 3);
        long at = Instant.now().getEpochSecond() + Long.parseLong(parts[1]);
        reply(ex, 200, "{\"user_id\":\"" + parts[2] + "\",\"expires_at\":" + at + "}");
      } else {
        switch (token) {
          case "expired" -> reply(ex, 200, "{\"user_id\":\"bob\",\"expires_at\":"
              + (Instant.now().getEpochSecond() - 5) + "}");
          case "bad" -> reply(ex, 401, "{\"error\":\"invalid token\"}");
          case "banned" -> reply(ex, 403, "{\"error\":\"banned\"}");
          case "slow" -> {
            await();
            reply(ex, 200, "{\"user_id\":1}");
          }
          case "error" -> reply(ex, 500, "<html>oops</html>");
          case "garbage" -> reply(ex, 200, "this is not json");
          case "shape" -> reply(ex, 200, "{\"user\":1}");
          case "huge" -> reply(ex, 200, "{\"user_id\":1,\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");
          case "redirect" -> {
            ex.getResponseHeaders().set("Location", url("/connect?again"));
            reply(ex, 302, "");
          }
          default -> reply(ex, 401, "{}");
        }
      }
    }
  }

  private void subscribe(HttpExchange ex) throws IOException {
    try (ex) {
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      bodies.add(body);
      String channel = body.path("channel").asText();
      calls.computeIfAbsent(channel, k -> new AtomicInteger()).incrementAndGet();
      if (channel.equals("private-slow")) {
        await();
      }
      if (channel.contains("allowed")) {
        reply(ex, 200, "{}");
      } else if (channel.contains("broken")) {
        reply(ex, 500, "{}");
      } else {
        reply(ex, 403, "{\"error\":\"not your team\"}");
      }
    }
  }

  private void await() {
    try {
      slow.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    } catch (IOException e) {
      // the caller stopped reading (a body past its limit): nothing to do
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
