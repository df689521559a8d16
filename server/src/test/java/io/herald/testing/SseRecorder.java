package io.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads a Server-Sent Events response: each event (name and JSON data) goes into a queue. */
public final class SseRecorder implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One event: its name and its data as JSON. */
  public record Event(String name, JsonNode data) {
  }

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<Event> seen = new ArrayList<>();

  private SseRecorder(HttpResponse<InputStream> response) {
    this.response = response;
    Thread reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens the stream; a status other than 200 is returned as the response, without a recorder. */
  public static SseRecorder open(HttpClient http, URI uri, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
    headers.forEach(b::header);
    try {
      HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        throw new StatusException(r.statusCode(), body);
      }
      return new SseRecorder(r);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A stream that answered something else than 200. */
  public static final class StatusException extends RuntimeException {
    public final int status;

    StatusException(int status, String body) {
      super("status " + status + ": " + body);
      this.status = status;
    }
  }

  public HttpResponse<InputStream> response() {
    return response;
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String name = "message";
      StringBuilder data = new StringBuilder();
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            events.add(new Event(name, JSON.readTree(data.toString())));
          }
          name = "message";
          data.setLength(0);
        } else if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
    } catch (IOException ignored) {
      // closed
    }
  }

  /** The next event named {@code name} within {@code wait}, skipping others; fails with what was seen. */
  public Event next(String name, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      for (;;) {
        Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (e == null) {
          throw new AssertionError("no '" + name + "' event within " + wait + "; seen: " + seen);
        }
        seen.add(e);
        if (e.name().equals(name)) {
          return e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Events that arrive within {@code wait}. */
  public List<Event> drain(Duration wait) {
    List<Event> out = new ArrayList<>();
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      for (Event e; (e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
        out.add(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    seen.addAll(out);
    return out;
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
