package io.herald.peer.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/** One handler for every connection: the client side of the contract. */
@Component
class PushHandler extends TextWebSocketHandler {
  static final CloseStatus UNAUTHORIZED = new CloseStatus(4001, "unauthorized");
  static final int HEARTBEAT_INTERVAL_SECONDS = 30;
  private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9_\\-:.@/]{1,128}");

  private final Connections connections;
  private final Delivery delivery;
  private final ObjectMapper json;

  PushHandler(Connections connections, Delivery delivery, ObjectMapper json) {
    this.connections = connections;
    this.delivery = delivery;
    this.json = json;
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession session) throws IOException {
    String userId = (String) session.getAttributes().get(TokenHandshakeInterceptor.USER_ID);
    if (userId == null) {
      session.close(UNAUTHORIZED);
      return;
    }
    ConcurrentWebSocketSessionDecorator decorated = connections.add(session, userId);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("user_id", Delivery.wireUserId(userId));
    data.put("connection_id", UUID.randomUUID().toString());
    data.put("heartbeat_interval", HEARTBEAT_INTERVAL_SECONDS);
    delivery.send(decorated, frame("connected", data));
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    ConcurrentWebSocketSessionDecorator self = connections.find(session);
    if (self == null) {
      return;
    }
    JsonNode frame;
    try {
      frame = json.readTree(message.getPayload());
    } catch (IOException e) {
      delivery.send(self, error("bad_json", "frame is not valid JSON"));
      return;
    }
    if (frame == null || !frame.isObject()) {
      delivery.send(self, error("bad_json", "frame must be a JSON object"));
      return;
    }
    JsonNode data = frame.path("data");
    switch (frame.path("type").asText("")) {
      case "ping" -> delivery.send(self, frame("pong", Map.of("timestamp", Instant.now().getEpochSecond())));
      case "heartbeat" -> delivery.send(self, frame("heartbeat_ack", Map.of("timestamp", Instant.now().getEpochSecond())));
      case "subscribe" -> onSubscription(self, true, data.path("channel"));
      case "unsubscribe" -> onSubscription(self, false, data.path("channel"));
      case "chat" -> onChat(self, data);
      default -> delivery.send(self, error("unknown_type", "unknown type: " + frame.path("type")));
    }
  }

  private void onSubscription(ConcurrentWebSocketSessionDecorator self, boolean subscribe, JsonNode channelNode) {
    String channel = channelNode.isTextual() ? channelNode.asText() : null;
    if (channel == null || !CHANNEL_NAME.matcher(channel).matches()) {
      delivery.send(self, error("bad_channel", "channel must match [A-Za-z0-9_-:.@/]{1,128}: " + channelNode));
      return;
    }
    if (channel.startsWith("private-")) {
      delivery.send(self, error("forbidden", "not allowed to join " + channel));
      return;
    }
    if (subscribe) {
      connections.subscribe(self, channel);
    } else {
      connections.unsubscribe(self, channel);
    }
    delivery.send(self, frame(subscribe ? "subscribed" : "unsubscribed", Map.of("channel", channel)));
  }

  private void onChat(ConcurrentWebSocketSessionDecorator self, JsonNode data) {
    JsonNode to = data.path("to_user_id");
    if (to.isMissingNode() || to.isNull() || data.path("content").isMissingNode()) {
      delivery.send(self, error("missing_field", "chat needs to_user_id and content"));
      return;
    }
    String from = (String) self.getAttributes().get(TokenHandshakeInterceptor.USER_ID);
    Map<String, Object> chat = new LinkedHashMap<>();
    chat.put("from_user_id", Delivery.wireUserId(from));
    chat.put("to_user_id", Delivery.wireUserId(to.asText()));
    chat.put("content", data.get("content"));
    chat.put("timestamp", Instant.now().getEpochSecond());
    delivery.send(connections.ofUser(to.asText()), frame("chat", chat));
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    String userId = (String) session.getAttributes().get(TokenHandshakeInterceptor.USER_ID);
    if (userId != null) {
      connections.remove(session, userId);
    }
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) throws IOException {
    session.close(CloseStatus.SERVER_ERROR);
  }

  private TextMessage frame(String type, Object data) {
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("type", type);
    frame.put("data", data);
    return delivery.encode(frame);
  }

  private TextMessage error(String code, String message) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("code", code);
    data.put("message", message);
    return frame("error", data);
  }
}
