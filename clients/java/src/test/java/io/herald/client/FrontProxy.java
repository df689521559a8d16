package io.herald.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback in front of Herald that forwards every request, records what it
 * saw, and can spoil the first answers: lose the answer after Herald handled the request (the
 * connection closes with no response), or answer 503 without forwarding.
 */
final class FrontProxy implements AutoCloseable {
  enum Fault { NONE, LOSE_ANSWER, UNAVAILABLE }

  record Seen(String method, String path, String idempotencyKey, int remotePort) {
  }

  private final HttpServer server;
  private final URI target;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger faultsLeft = new AtomicInteger();
  private volatile Fault fault = Fault.NONE;

  FrontProxy(int heraldPort) throws IOException {
    this.target = URI.create("http://127.0.0.1:" + heraldPort);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next {@code times} requests suffer {@code fault}. */
  void spoil(Fault fault, int times) {
    this.fault = fault;
    faultsLeft.set(times);
  }

  List<Seen> seen() {
    return seen;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(),
          ex.getRequestHeaders().getFirst("Idempotency-Key"), ex.getRemoteAddress().getPort()));
      byte[] body = ex.getRequestBody().readAllBytes();
      Fault now = faultsLeft.getAndDecrement() > 0 ? fault : Fault.NONE;
      if (now == Fault.UNAVAILABLE) {
        reply(ex, 503, "{\"code\":503,\"message\":\"try again\",\"data\":null}".getBytes());
        return;
      }
      HttpResponse<byte[]> answer = forward(ex, body);
      if (now == Fault.LOSE_ANSWER) {
        return; // closing the exchange without a response drops the connection
      }
      reply(ex, answer.statusCode(), answer.body());
    }
  }

  private HttpResponse<byte[]> forward(HttpExchange ex, byte[] body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(ex.getRequestURI()))
        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      String name = h.getKey();
      if (!List.of("host", "connection", "content-length").contains(name.toLowerCase())) {
        h.getValue().forEach(v -> b.header(name, v));
      }
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
