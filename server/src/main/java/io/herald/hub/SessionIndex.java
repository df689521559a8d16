package io.herald.hub;

import io.herald.broker.Broker;
import io.herald.protocol.CloseCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's index of its sessions: by lane, by user and by channel, with the counts. It tells
 * the broker when a user's first session here opens and their last one closes, and when a channel
 * gains its first subscriber here or loses its last. {@link Hub}'s design note says which thread
 * touches what.
 */
final class SessionIndex {
  // The hub's logger: these warnings kept their category when the index left Hub.
  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  private final Broker broker;
  private final List<Lane> lanes = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Session[]> users = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();

  SessionIndex(Broker broker) {
    this.broker = broker;
  }

  Lane newLane(Executor executor, BooleanSupplier inLane) {
    Lane lane = new Lane(executor, inLane);
    lanes.add(lane);
    return lane;
  }

  /** The live list of lanes, for fan-out; callers outside the package get a read-only view. */
  List<Lane> lanes() {
    return lanes;
  }

  /** On the session's lane. */
  void join(Session s) {
    s.joined = true;
    s.lane().sessions.add(s);
    connections.incrementAndGet();
    if (s.anonymous()) {
      return;
    }
    boolean[] first = {false};
    users.compute(s.userId().value(), (k, current) -> {
      if (current == null) {
        first[0] = true;
        return new Session[] {s};
      }
      Session[] grown = Arrays.copyOf(current, current.length + 1);
      grown[current.length] = s;
      return grown;
    });
    if (first[0]) {
      broker.userOnline(s.userId().value()).whenComplete((v, err) -> {
        if (err != null) {
          log.warn("broker could not mark user {} online: {}", s.userId(), err.toString());
        }
      });
    }
  }

  /** On the session's lane; idempotent. */
  void leave(Session s) {
    if (!s.joined || s.left) {
      return;
    }
    s.left = true;
    s.lane().sessions.remove(s);
    connections.decrementAndGet();
    if (s.channels != null) {
      for (String channel : s.channels) {
        removeFromChannel(s, channel);
      }
      s.channels = null;
    }
    if (s.anonymous()) {
      return;
    }
    boolean[] last = {false};
    users.computeIfPresent(s.userId().value(), (k, current) -> {
      Session[] rest = Arrays.stream(current).filter(x -> x != s).toArray(Session[]::new);
      if (rest.length == 0) {
        last[0] = true;
        return null;
      }
      return rest;
    });
    if (last[0]) {
      broker.userOffline(s.userId().value()).whenComplete((v, err) -> {
        if (err != null) {
          log.warn("broker could not mark user {} offline: {}", s.userId(), err.toString());
        }
      });
    }
  }

  /**
   * Adds a session that is not yet subscribed to the channel; on its lane. The state's
   * {@code ready} completes once the broker has subscribed (at once when the channel already had
   * subscribers here).
   */
  ChannelState add(Session s, String channel) {
    s.addChannel(channel);
    s.lane().channels.computeIfAbsent(channel, k -> new LinkedHashSet<>()).add(s);
    ChannelState[] created = {null};
    ChannelState state = channels.compute(channel, (k, current) -> {
      if (current == null) {
        created[0] = new ChannelState();
        return created[0];
      }
      current.count++;
      return current;
    });
    if (created[0] != null) {
      broker.subscribe(channel).whenComplete((v, err) -> {
        if (err == null) {
          created[0].ready.complete(null);
        } else {
          created[0].ready.completeExceptionally(err);
        }
      });
    }
    return state;
  }

  /**
   * Undoes a subscription whose broker subscribe failed; on the session's lane. Only while the
   * channel still has the state that failed: after an unsubscribe and a new subscribe during the
   * slow broker call, the session's subscription belongs to a newer state (its own broker call),
   * and removing it would lose it. See issue 9, defect 10.
   */
  void rollBack(Session s, String channel, ChannelState failed) {
    if (channels.get(channel) == failed) {
      remove(s, channel);
    }
  }

  /** On the session's lane. False when it was not subscribed. */
  boolean remove(Session s, String channel) {
    if (!s.removeChannel(channel)) {
      return false;
    }
    removeFromChannel(s, channel);
    return true;
  }

  private void removeFromChannel(Session s, String channel) {
    Set<Session> local = s.lane().channels.get(channel);
    if (local != null) {
      local.remove(s);
      if (local.isEmpty()) {
        s.lane().channels.remove(channel);
      }
    }
    boolean[] last = {false};
    channels.computeIfPresent(channel, (k, state) -> {
      if (--state.count <= 0) {
        last[0] = true;
        return null;
      }
      return state;
    });
    if (last[0]) {
      broker.unsubscribe(channel).whenComplete((v, err) -> {
        if (err != null) {
          log.warn("broker could not unsubscribe channel {}: {}", channel, err.toString());
        }
      });
    }
  }

  // ---- lookups: any thread ----

  /** The user's sessions on this node, or null. */
  Session[] sessions(String userId) {
    return users.get(userId);
  }

  /** The channel's state on this node, or null when it has no subscribers here. */
  ChannelState channel(String channel) {
    return channels.get(channel);
  }

  Collection<String> userIds() {
    return Collections.unmodifiableSet(users.keySet());
  }

  Collection<String> channelNames() {
    return Collections.unmodifiableSet(channels.keySet());
  }

  boolean hasUser(String userId) {
    return users.containsKey(userId);
  }

  int connectionCount() {
    return connections.get();
  }

  int userCount() {
    return users.size();
  }

  int channelCount() {
    return channels.size();
  }

  /** The most subscribed channels first, at most {@code max} of them. */
  Map<String, Integer> channelSubscribers(int max) {
    List<Map.Entry<String, Integer>> all = new ArrayList<>(channels.size());
    channels.forEach((name, state) -> all.add(Map.entry(name, state.count)));
    all.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : all.subList(0, Math.min(max, all.size()))) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Closes every session, behind what is already queued on each lane. */
  void closeAll(CloseCode code) {
    for (Lane lane : lanes) {
      lane.execute(() -> {
        for (Session s : new ArrayList<>(lane.sessions)) {
          s.close(code);
        }
      });
    }
  }

  /** Subscribers of one channel on this node; {@code count} changes only inside map.compute. */
  static final class ChannelState {
    volatile int count = 1;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
  }
}
