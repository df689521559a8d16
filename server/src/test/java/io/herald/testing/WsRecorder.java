package io.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client that records every event in a queue. {@link #next()} waits up to 5 s for
 * the next text message and fails with what was seen so far; {@link #assertExhausted()} proves
 * nothing unexpected arrived by a ping/pong round trip (the server keeps per-connection order).
 */
public final class WsRecorder implements WebSocket.Listener, AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One recorded event. */
  public sealed interface Event {
  }

  public record Text(String text) implements Event {
  }

  public record Closed(int code, String reason) implements Event {
  }

  public record Failed(Throwable error) implements Event {
  }

  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<Event> seen = new ArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket socket;

  public static WsRecorder connect(HttpClient client, URI uri, Map<String, String> headers) {
    WsRecorder recorder = new WsRecorder();
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(WAIT);
    headers.forEach(builder::header);
    recorder.socket = builder.buildAsync(uri, recorder).orTimeout(10, TimeUnit.SECONDS).join();
    return recorder;
  }

  public WebSocket socket() {
    return socket;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      events.add(new Text(partial.toString()));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    events.add(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    events.add(new Failed(error));
  }

  private Event poll(Duration wait) {
    try {
      Event e = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (e != null) {
        seen.add(e);
      }
      return e;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    }
  }

  /** The next text message as JSON. */
  public JsonNode next() {
    Event e = poll(WAIT);
    if (e instanceof Text t) {
      try {
        return JSON.readTree(t.text());
      } catch (Exception ex) {
        return fail("not JSON: " + t.text());
      }
    }
    return fail("expected a text message, got " + e + "; seen so far: " + seen);
  }

  /** The next text message, which must have this type. */
  public JsonNode next(String type) {
    JsonNode m = next();
    assertThat(m.path("type").asText()).as("type of %s", m).isEqualTo(type);
    return m;
  }

  /** Skips the connected frame and returns its data. */
  public JsonNode connected() {
    return next("connected").get("data");
  }

  /** The connection must close next, with this code. */
  public Closed expectClose(int code) {
    Event e = poll(WAIT);
    while (e instanceof Text) {
      e = poll(WAIT);
    }
    if (e instanceof Closed c) {
      assertThat(c.code()).as("close code, reason %s", c.reason()).isEqualTo(code);
      return c;
    }
    return fail("expected close " + code + ", got " + e + "; seen so far: " + seen);
  }

  /** The connection must close next, with this code, and nothing may arrive before. */
  public Closed expectCloseOnly(int code) {
    return expectCloseOnly(code, WAIT);
  }

  /** As {@link #expectCloseOnly(int)}, for a close that may take longer than {@link #WAIT}. */
  public Closed expectCloseOnly(int code, Duration within) {
    Event e = poll(within);
    if (e instanceof Closed c) {
      assertThat(c.code()).as("close code, reason %s", c.reason()).isEqualTo(code);
      return c;
    }
    return fail("expected only close " + code + ", got " + e + "; seen so far: " + seen);
  }

  public WsRecorder send(String text) {
    socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    return this;
  }

  public WsRecorder send(String type, Object data) {
    try {
      return send(JSON.writeValueAsString(Map.of("type", type, "data", data)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Proves nothing else is queued: a ping's pong must be the very next message. */
  public void assertExhausted() {
    send("{\"type\":\"ping\"}");
    JsonNode m = next();
    assertThat(m.path("type").asText()).as("expected nothing before the pong, got %s", m).isEqualTo("pong");
  }

  @Override
  public void close() {
    WebSocket s = socket;
    if (s != null && !s.isOutputClosed()) {
      s.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
          .exceptionally(e -> null).join();
    }
    if (s != null) {
      s.abort();
    }
  }
}
