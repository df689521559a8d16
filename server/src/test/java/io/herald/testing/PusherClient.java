package io.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.pusher.ChannelKind;
import io.herald.pusher.Signatures;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Pusher protocol 7 client over the JDK WebSocket, for tests: frames in, parsed frames out. */
public final class PusherClient implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  public final WsRecorder ws;
  public String socketId;

  private PusherClient(WsRecorder ws) {
    this.ws = ws;
  }

  public static PusherClient raw(TestServer server, String pathAndQuery) {
    return raw(server.http(), server.port(), pathAndQuery);
  }

  public static PusherClient raw(java.net.http.HttpClient http, int port, String pathAndQuery) {
    URI uri = URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    return new PusherClient(WsRecorder.connect(http, uri, Map.of()));
  }

  /** Connects to the app and reads connection_established. */
  public static PusherClient connect(TestServer server, String key) {
    return connect(server.http(), server.port(), key);
  }

  public static PusherClient connect(java.net.http.HttpClient http, int port, String key) {
    PusherClient c = raw(http, port, "/app/" + key + "?protocol=7&client=java&version=8.6.0&flash=false");
    JsonNode data = c.data(c.next("pusher:connection_established"));
    c.socketId = data.get("socket_id").asText();
    assertThat(data.get("activity_timeout").asInt()).isPositive();
    return c;
  }

  public JsonNode next() {
    return ws.next();
  }

  /** The next frame, which must be this event. */
  public JsonNode next(String event) {
    JsonNode f = ws.next();
    assertThat(f.path("event").asText()).as("event of %s", f).isEqualTo(event);
    assertThat(f.get("data") == null || f.get("data").isTextual()).as("data is a JSON string in %s", f).isTrue();
    return f;
  }

  /** A frame's data, decoded from its string. */
  public JsonNode data(JsonNode frame) {
    try {
      return JSON.readTree(frame.get("data").asText());
    } catch (Exception e) {
      throw new AssertionError("data is not JSON text: " + frame, e);
    }
  }

  public void send(String event, String channel, Object data) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("event", event);
    if (channel != null) {
      f.put("channel", channel);
    }
    f.put("data", data);
    try {
      ws.send(JSON.writeValueAsString(f));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public void subscribe(String channel, String auth, String channelData) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("channel", channel);
    d.put("auth", auth == null ? "" : auth);
    if (channelData != null) {
      d.put("channel_data", channelData);
    }
    send("pusher:subscribe", null, d);
  }

  /** Subscribes with a valid auth for the app and expects subscription_succeeded; returns its data. */
  public JsonNode join(String channel, String key, String secret, String channelData) {
    String auth = null;
    if (ChannelKind.of(channel).needsAuth()) {
      auth = key + ":" + Signatures.channel(secret, socketId, channel, channelData);
    }
    subscribe(channel, auth, channelData);
    return data(next("pusher_internal:subscription_succeeded"));
  }

  /** Proves nothing else is queued: a ping's pong must be the very next frame. */
  public void assertExhausted() {
    send("pusher:ping", null, Map.of());
    next("pusher:pong");
  }

  @Override
  public void close() {
    ws.close();
  }
}
