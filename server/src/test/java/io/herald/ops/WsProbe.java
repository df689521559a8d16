package io.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A JDK WebSocket client that records every event in a queue, for the operations tests: texts as
 * parsed JSON, a close as its code. Waits are bounded polls, never sleeps.
 */
public final class WsProbe implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** One recorded event: a text frame, a close (code), or a failure. */
  record Event(JsonNode text, int closeCode, Throwable error) {
    boolean isClose() {
      return closeCode >= 0;
    }

    @Override
    public String toString() {
      return text != null ? text.toString() : isClose() ? "close " + closeCode : "error " + error;
    }
  }

  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<Event> seen = new ArrayList<>();
  private final WebSocket ws;

  private WsProbe(URI uri, SSLContext ssl) {
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(WAIT);
    if (ssl != null) {
      http.sslContext(ssl);
    }
    this.ws = http.build().newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, new Listener())
        .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  public static WsProbe connect(URI uri) {
    return new WsProbe(uri, null);
  }

  public static WsProbe connect(URI uri, SSLContext ssl) {
    return new WsProbe(uri, ssl);
  }

  public static URI uri(String scheme, int port, String userId, String token) {
    return URI.create(scheme + "://localhost:" + port + "/ws?user_id=" + userId + "&token=" + token);
  }

  /** The next event, failing with what was seen so far when none arrives in time. */
  Event next() {
    try {
      Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(e).as("an event within %s; seen so far: %s", WAIT, seen).isNotNull();
      seen.add(e);
      return e;
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", ie);
    }
  }

  /** The next text frame; fails if the next event is not one. */
  public JsonNode nextText() {
    Event e = next();
    assertThat(e.text()).as("a text frame, got %s; seen: %s", e, seen).isNotNull();
    return e.text();
  }

  /** The next text frame of this type, skipping others (e.g. after a reconnect greeting). */
  public JsonNode nextOfType(String type) {
    while (true) {
      JsonNode t = nextText();
      if (t.path("type").asText().equals(type)) {
        return t;
      }
    }
  }

  /** The close code of the next event, which must be a close. */
  public int nextClose() {
    Event e = next();
    assertThat(e.isClose()).as("a close, got %s; seen: %s", e, seen).isTrue();
    return e.closeCode();
  }

  public void send(String type, Object data) {
    try {
      ws.sendText(Json.MAPPER.writeValueAsString(java.util.Map.of("type", type, "data", data)), true)
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot send " + type, e);
    }
  }

  /** Sends a ping frame and expects the pong: proof the connection is still open and served. */
  public void assertAlive() {
    send("ping", java.util.Map.of());
    assertThat(nextOfType("pong").path("data").has("timestamp")).isTrue();
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(1000, "bye");
    }
    ws.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          events.add(new Event(Json.MAPPER.readTree(partial.toString()), -1, null));
        } catch (Exception e) {
          events.add(new Event(null, -1, e));
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      events.add(new Event(null, statusCode, null));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      events.add(new Event(null, -1, error));
    }
  }
}
