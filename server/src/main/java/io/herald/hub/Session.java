package io.herald.hub;

import io.herald.protocol.Message;
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
  /** Streams being recovered (see {@link Recovery.Gate}); null when none. */
  Map<StreamId, Recovery.Gate> gates;
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

  /** The user; null for an anonymous, channel-only session. */
  public UserId userId() {
    return userId;
  }

  /** A session without a user: it joins channels only (see {@link Hub}). */
  public boolean anonymous() {
    return userId == null;
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
    if (gates != null && message.stream() != null) {
      Recovery.Gate g = gates.get(message.stream());
      if (g != null) {
        if (!g.admit(message)) {
          return !left;
        }
        if (message.offset() > g.floor()) {
          ungate(message.stream());
        }
      }
    }
    return !left && connection.send(message);
  }

  void gate(StreamId stream, Recovery.Gate g) {
    if (gates == null) {
      gates = new HashMap<>(4);
    }
    gates.put(stream, g);
  }

  Recovery.Gate ungate(StreamId stream) {
    if (gates == null) {
      return null;
    }
    Recovery.Gate g = gates.remove(stream);
    if (gates.isEmpty()) {
      gates = null;
    }
    return g;
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
