package io.herald.hub;

import io.herald.protocol.CloseCode;
import io.herald.history.StreamId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** One authenticated connection as the hub knows it. */
public final class Session {
  private final String id;
  private final UserId userId;
  private final ChannelPolicy policy;
  private final Lane lane;
  private final Connection connection;

  // Only accessed on the lane's thread.
  Set<String> channels;
  /** Streams whose live messages wait while their missed messages are read; null when none. */
  Map<StreamId, Recovery.Held> held;
  boolean joined;
  boolean left;

  public Session(String id, UserId userId, ChannelPolicy policy, Lane lane, Connection connection) {
    this.id = id;
    this.userId = userId;
    this.policy = policy;
    this.lane = lane;
    this.connection = connection;
  }

  public String id() {
    return id;
  }

  public UserId userId() {
    return userId;
  }

  public Lane lane() {
    return lane;
  }

  /** The transport side of this session. */
  public Connection connection() {
    return connection;
  }

  ChannelPolicy policy() {
    return policy;
  }

  /** Queues a frame; on the lane's thread only. False once the connection is gone. */
  public boolean send(Message message) {
    if (held != null && message.stream() != null) {
      Recovery.Held h = held.get(message.stream());
      if (h != null) {
        h.add(message);
        return !left;
      }
    }
    return !left && connection.send(message);
  }

  void hold(StreamId stream, Recovery.Held h) {
    if (held == null) {
      held = new HashMap<>(4);
    }
    held.put(stream, h);
  }

  Recovery.Held release(StreamId stream) {
    Recovery.Held h = held.remove(stream);
    if (held.isEmpty()) {
      held = null;
    }
    return h;
  }

  /** Closes the connection; any thread. */
  public void close(CloseCode code) {
    connection.close(code);
  }

  /** Channels this session is subscribed to; lane thread only. */
  public Set<String> channels() {
    return channels == null ? Set.of() : Set.copyOf(channels);
  }

  boolean addChannel(String channel) {
    if (channels == null) {
      channels = new HashSet<>(4);
    }
    return channels.add(channel);
  }

  boolean removeChannel(String channel) {
    return channels != null && channels.remove(channel);
  }

  int channelCount() {
    return channels == null ? 0 : channels.size();
  }

  @Override
  public String toString() {
    return "Session[" + id + ", user " + userId + "]";
  }
}
