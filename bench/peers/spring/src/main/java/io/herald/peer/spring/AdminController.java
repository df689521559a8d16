package io.herald.peer.spring;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.socket.TextMessage;

/** The admin HTTP API subset, answering in the seed's envelope {code, message, data}. */
@RestController
@RequestMapping("/admin/websocket")
class AdminController {
  private final Connections connections;
  private final Delivery delivery;
  private final String apiKey;

  AdminController(Connections connections, Delivery delivery, @Value("${herald.api-key}") String apiKey) {
    this.connections = connections;
    this.delivery = delivery;
    this.apiKey = apiKey;
  }

  @GetMapping("/online-count")
  Map<String, Object> onlineCount(@RequestHeader HttpHeaders headers) {
    requireApiKey(headers);
    return success(Map.of("online_count", connections.onlineUsers()));
  }

  @PostMapping("/send-to-channel")
  Map<String, Object> sendToChannel(@RequestHeader HttpHeaders headers, @RequestBody JsonNode body) {
    requireApiKey(headers);
    String channel = requireText(body, "channel");
    String type = requireText(body, "type");
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("type", type);
    message.put("channel", channel);
    message.put("data", body.get("data"));
    int delivered = delivery.send(connections.ofChannel(channel), delivery.encode(message));
    return success(Map.of("channel", channel, "delivered", delivered));
  }

  @PostMapping("/broadcast")
  Map<String, Object> broadcast(@RequestHeader HttpHeaders headers, @RequestBody JsonNode body) {
    requireApiKey(headers);
    String type = requireText(body, "type");
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("type", type);
    message.put("data", body.get("data"));
    TextMessage frame = delivery.encode(message);
    int delivered = delivery.send(connections.all(), frame);
    return success(Map.of("delivered", delivered, "online_count", connections.onlineUsers()));
  }

  private void requireApiKey(HttpHeaders headers) {
    String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
    boolean ok = (authorization != null && authorization.equals("Bearer " + apiKey))
        || apiKey.equals(headers.getFirst("X-API-Key"));
    if (!ok) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, "missing or wrong API key");
    }
  }

  private static String requireText(JsonNode body, String field) {
    JsonNode value = body == null ? null : body.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, field + " is required and must be a non-empty string");
    }
    return value.asText();
  }

  private static Map<String, Object> success(Object data) {
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("code", 200);
    envelope.put("message", "success");
    envelope.put("data", data);
    return envelope;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Map<String, Object>> onApiException(ApiException e) {
    return envelope(e.status, e.getMessage());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, Object>> onBadJson(HttpMessageNotReadableException e) {
    return envelope(HttpStatus.BAD_REQUEST, "body is not valid JSON");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Map<String, Object>> onWrongMethod(HttpRequestMethodNotSupportedException e) {
    return envelope(HttpStatus.METHOD_NOT_ALLOWED, e.getMethod() + " not allowed");
  }

  private static ResponseEntity<Map<String, Object>> envelope(HttpStatus status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", status.value());
    body.put("message", message);
    body.put("data", null);
    return ResponseEntity.status(status).body(body);
  }

  static final class ApiException extends RuntimeException {
    final HttpStatus status;

    ApiException(HttpStatus status, String message) {
      super(message);
      this.status = status;
    }
  }
}
