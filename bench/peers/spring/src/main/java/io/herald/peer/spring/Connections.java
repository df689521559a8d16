package io.herald.peer.spring;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/** Who is online and who listens to which channel. Safe for concurrent use. */
@Component
class Connections {
  /** Sends that take longer than this, or queue more than this, close the session (the decorator's default policy). */
  static final int SEND_TIME_LIMIT_MILLIS = 10_000;
  static final int BUFFER_SIZE_LIMIT_BYTES = 512 * 1024;

  private final Map<String, ConcurrentWebSocketSessionDecorator> sessions = new ConcurrentHashMap<>();
  private final Map<String, Set<ConcurrentWebSocketSessionDecorator>> users = new ConcurrentHashMap<>();
  private final Map<String, Set<ConcurrentWebSocketSessionDecorator>> channels = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> channelsBySession = new ConcurrentHashMap<>();

  ConcurrentWebSocketSessionDecorator add(WebSocketSession session, String userId) {
    var decorated = new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MILLIS, BUFFER_SIZE_LIMIT_BYTES);
    sessions.put(session.getId(), decorated);
    users.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(decorated);
    return decorated;
  }

  ConcurrentWebSocketSessionDecorator find(WebSocketSession session) {
    return sessions.get(session.getId());
  }

  void remove(WebSocketSession session, String userId) {
    ConcurrentWebSocketSessionDecorator decorated = sessions.remove(session.getId());
    if (decorated == null) {
      return;
    }
    users.computeIfPresent(userId, (k, set) -> set.remove(decorated) && set.isEmpty() ? null : set);
    Set<String> joined = channelsBySession.remove(session.getId());
    if (joined != null) {
      for (String channel : joined) {
        channels.computeIfPresent(channel, (k, set) -> set.remove(decorated) && set.isEmpty() ? null : set);
      }
    }
  }

  void subscribe(ConcurrentWebSocketSessionDecorator session, String channel) {
    channelsBySession.computeIfAbsent(session.getId(), k -> ConcurrentHashMap.newKeySet()).add(channel);
    channels.computeIfAbsent(channel, k -> ConcurrentHashMap.newKeySet()).add(session);
  }

  void unsubscribe(ConcurrentWebSocketSessionDecorator session, String channel) {
    Set<String> joined = channelsBySession.get(session.getId());
    if (joined != null) {
      joined.remove(channel);
    }
    channels.computeIfPresent(channel, (k, set) -> set.remove(session) && set.isEmpty() ? null : set);
  }

  Collection<ConcurrentWebSocketSessionDecorator> ofUser(String userId) {
    Set<ConcurrentWebSocketSessionDecorator> set = users.get(userId);
    return set == null ? List.of() : set;
  }

  Collection<ConcurrentWebSocketSessionDecorator> ofChannel(String channel) {
    Set<ConcurrentWebSocketSessionDecorator> set = channels.get(channel);
    return set == null ? List.of() : set;
  }

  Collection<ConcurrentWebSocketSessionDecorator> all() {
    return sessions.values();
  }

  int onlineUsers() {
    return users.size();
  }
}
