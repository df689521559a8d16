package io.herald.peer.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/** Serialises a message once and sends the same {@link TextMessage} to every recipient. */
@Component
class Delivery {
  private static final Logger log = LoggerFactory.getLogger(Delivery.class);

  private final ObjectMapper json;

  Delivery(ObjectMapper json) {
    this.json = json;
  }

  TextMessage encode(Object message) {
    try {
      return new TextMessage(json.writeValueAsString(message));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("message cannot be written as JSON", e);
    }
  }

  int send(Collection<ConcurrentWebSocketSessionDecorator> recipients, TextMessage message) {
    int delivered = 0;
    for (ConcurrentWebSocketSessionDecorator session : recipients) {
      if (send(session, message)) {
        delivered++;
      }
    }
    return delivered;
  }

  boolean send(ConcurrentWebSocketSessionDecorator session, TextMessage message) {
    if (!session.isOpen()) {
      return false;
    }
    try {
      session.sendMessage(message);
      return true;
    } catch (IOException | RuntimeException e) {
      // The decorator closes sessions over its time or buffer limit; anything else is a dead socket.
      log.debug("send to session {} failed: {}", session.getId(), e.toString());
      try {
        session.close(CloseStatus.SESSION_NOT_RELIABLE);
      } catch (IOException ignored) {
        // already closing
      }
      return false;
    }
  }

  /** Ids made only of digits are written as JSON numbers (SPEC §2). */
  static Object wireUserId(String userId) {
    if (!userId.isEmpty() && userId.length() <= 18 && userId.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Long.parseLong(userId);
    }
    return userId;
  }
}
