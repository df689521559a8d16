package io.herald.hub;

import io.herald.broker.Broker;
import io.herald.broker.BrokerListener;
import io.herald.broker.Route;
import io.herald.history.History;
import io.herald.history.MemoryHistory;
import io.herald.history.Position;
import io.herald.history.RecoveryOutcome;
import io.herald.history.Retention;
import io.herald.history.StreamId;
import io.herald.protocol.Message;
import io.herald.protocol.ServerFrames;
import io.herald.protocol.ChannelName;
import io.herald.protocol.CloseCode;
import io.herald.protocol.ErrorCode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes messages to connections: users, channels, presence. Knows nothing of the transport.
 *
 * <p><b>Concurrency.</b> Connections are partitioned into {@link Lane}s, one per transport
 * thread. A session's channel memberships and its lane's indexes are touched only on that lane's
 * thread, so they need no locks. Two shared maps, both {@link ConcurrentHashMap}s, give the
 * cross-thread views: {@code users} (user id to that user's sessions, copy-on-write arrays) and
 * {@code channels} (channel to a subscriber count). Connection-side calls ({@link #join},
 * {@link #leave}, {@link #subscribe}, {@link #chat}, …) run on the session's lane; the
 * {@link PushService} methods run on any thread.
 *
 * <p><b>Delivery.</b> A message is serialized once ({@link Message}) and handed to each lane in
 * one task, which queues it to every local recipient; transports coalesce the flushes. The broker
 * carries the same bytes to other nodes and never echoes them back, so a message reaches each
 * connection at most once. Messages from one producer thread to one connection keep their order.
 * A push completes once local delivery is enqueued and the broker has accepted the message.
 *
 * <p><b>Presence.</b> A user is online while they hold at least one connection. The hub tells the
 * broker when a user's first connection on this node opens and their last one closes; online
 * counts and lists come from the broker (which, in memory, answers from this hub). An anonymous
 * session (no user: a Pusher-protocol socket) takes part in channels only: it is not online, and
 * broadcasts to all users pass it by.
 */
public final class Hub implements PushService, BrokerListener {
  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  private volatile HubSettings settings;
  private final Broker broker;
  private final Streams streams;
  private final Clock clock;
  private final List<Lane> lanes = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Session[]> users = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile MessageTap tap;

  /** A hub without history: frames carry no offsets and nothing is recovered. */
  public Hub(HubSettings settings, Broker broker, Clock clock) {
    this(settings, broker, new MemoryHistory(Retention.off()), clock);
  }

  public Hub(HubSettings settings, Broker broker, History history, Clock clock) {
    this.settings = settings;
    this.broker = broker;
    this.streams = new Streams(history, broker, this::deliverLocal, this::deliver, this::observed);
    this.clock = clock;
  }

  /** Starts the broker; call once before connections arrive. */
  public void start() {
    broker.start(this);
  }

  public Broker broker() {
    return broker;
  }

  public History history() {
    return streams.history();
  }

  /** Replaces the limits (a configuration reload); later subscribes and broadcasts see them. */
  public void settings(HubSettings next) {
    this.settings = next;
  }

  /** Creates a lane bound to one thread: {@code inLane} tells whether the caller runs on it. */
  public Lane newLane(Executor executor, BooleanSupplier inLane) {
    Lane lane = new Lane(executor, inLane);
    lanes.add(lane);
    return lane;
  }

  public List<Lane> lanes() {
    return Collections.unmodifiableList(lanes);
  }

  // ---- connections: called on the session's lane ----

  /** Registers an authenticated session; on its lane. */
  public void join(Session s) {
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

  /** Unregisters a session and its subscriptions; on its lane. Idempotent. */
  public void leave(Session s) {
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

  // ---- client actions: called on the session's lane ----

  /**
   * Subscribes the session; on its lane. Completes once channel traffic will reach it (in cluster
   * mode, once the broker has subscribed), or fails with a {@link HubException}. The channel name
   * must already be valid.
   */
  public CompletionStage<Void> subscribe(Session s, String channel) {
    if (ChannelName.isPrivate(channel) && !s.policy().mayJoinPrivate(channel)) {
      throw new HubException(ErrorCode.FORBIDDEN, "not allowed to join private channel \"" + channel + '"');
    }
    if (s.channels != null && s.channels.contains(channel)) {
      return CompletableFuture.completedFuture(null);
    }
    if (s.channelCount() >= settings.maxChannelsPerConnection()) {
      throw new HubException(ErrorCode.TOO_MANY_CHANNELS,
          "a connection may join at most " + settings.maxChannelsPerConnection() + " channels");
    }
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
    if (state.ready.isDone() && !state.ready.isCompletedExceptionally()) {
      return state.ready;
    }
    return state.ready.exceptionallyCompose(err -> {
      log.warn("broker could not subscribe channel {}: {}", channel, err.toString());
      s.lane().execute(() -> rollBack(s, channel, state));
      return CompletableFuture.failedFuture(new HubException(ErrorCode.UNAVAILABLE,
          "cannot subscribe to \"" + channel + "\" now: the cluster broker is unavailable"));
    });
  }

  /**
   * Recovers a joined session's own user stream and the all-users stream from the positions it
   * presented (null: it only asks where they stand); on its lane. Completes on the lane after the
   * missed messages were queued; see {@link Recovery}.
   */
  public CompletionStage<Map<StreamId, RecoveryOutcome>> recover(Session s, Position user, Position all) {
    Map<StreamId, Position> from = new LinkedHashMap<>();
    List<StreamId> without = new ArrayList<>(2);
    for (StreamId stream : List.of(StreamId.user(s.userId().value()), StreamId.ALL)) {
      if (history().retention().keeps(stream)) {
        from.put(stream, stream.kind() == StreamId.Kind.USER ? user : all);
      } else {
        without.add(stream);
      }
    }
    // A stream that keeps no history cannot promise that nothing was missed.
    return Recovery.start(history(), s, from, history().retention().recoveryBuffer()).thenApply(outcomes -> {
      Map<StreamId, RecoveryOutcome> answer = new LinkedHashMap<>(outcomes);
      without.forEach(stream -> answer.put(stream, new RecoveryOutcome(null, -1, false)));
      return answer;
    });
  }


  /**
   * Subscribes and recovers the channel from {@code from} (null: only where it stands); on the
   * session's lane. Completes with the outcome, or null when the channel keeps no history. Fails
   * as {@link #subscribe} does.
   */
  public CompletionStage<RecoveryOutcome> subscribe(Session s, String channel, Position from) {
    StreamId stream = StreamId.channel(channel);
    if (!history().retention().keeps(stream)) {
      return subscribe(s, channel).thenApply(v -> null);
    }
    // Already subscribed: live messages flow, so there is nothing to replay, only a position to tell.
    Position start = s.channels != null && s.channels.contains(channel) ? null : from;
    CompletionStage<Void> ready = subscribe(s, channel);
    s.gate(stream, new Recovery.Gate(history().retention().recoveryBuffer()));
    Map<StreamId, Position> positions = new LinkedHashMap<>();
    positions.put(stream, start);
    CompletableFuture<RecoveryOutcome> done = new CompletableFuture<>();
    ready.whenComplete((v, err) -> s.lane().execute(() -> {
      if (err != null) {
        Recovery.Gate g = s.ungate(stream);
        if (g != null) {
          g.messages.forEach(s::send);
        }
        done.completeExceptionally(err);
      } else {
        Recovery.read(history(), s, positions).thenAccept(outcomes -> done.complete(outcomes.get(stream)));
      }
    }));
    return done;
  }

  /**
   * Undoes a subscription whose broker subscribe failed; on the session's lane. Only while the
   * channel still has the state that failed: after an unsubscribe and a new subscribe during the
   * slow broker call, the session's subscription belongs to a newer state (its own broker call),
   * and removing it would lose it. See issue 9, defect 10.
   */
  private void rollBack(Session s, String channel, ChannelState failed) {
    if (channels.get(channel) == failed) {
      unsubscribe(s, channel);
    }
  }

  /** Unsubscribes the session; on its lane. False when it was not subscribed. */
  public boolean unsubscribe(Session s, String channel) {
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

  /** A chat message from a connected user; {@code from_user_id} is always the sender. */
  public CompletionStage<Delivery> chat(Session from, UserId to, Object content) {
    return publish(new Route.ToUsers(List.of(to.value())), ServerFrames.chat(from.userId(), to, content, now()));
  }

  /** A broadcast from a connected user to every online user, the sender included. */
  public CompletionStage<Delivery> broadcastFrom(Session from, Object message) {
    if (!settings.clientBroadcast()) {
      throw new HubException(ErrorCode.FORBIDDEN, "client broadcast is disabled on this server");
    }
    return publish(new Route.ToAll(Set.of()), ServerFrames.broadcast(from.userId(), message, now()));
  }

  // ---- PushService: any thread ----

  @Override
  public CompletionStage<Delivery> sendToUser(UserId userId, String type, Object data) {
    return publish(new Route.ToUsers(List.of(userId.value())), ServerFrames.custom(type, null, data));
  }

  @Override
  public CompletionStage<Delivery> sendToUsers(Collection<UserId> userIds, String type, Object data) {
    return publish(new Route.ToUsers(values(userIds)), ServerFrames.custom(type, null, data));
  }

  @Override
  public CompletionStage<Delivery> broadcast(String type, Object data, Collection<UserId> excludeUserIds) {
    return publish(new Route.ToAll(new HashSet<>(values(excludeUserIds))), ServerFrames.custom(type, null, data));
  }

  @Override
  public CompletionStage<Delivery> sendToChannel(String channel, String type, Object data) {
    ChannelName.require("channel", channel);
    return publish(new Route.ToChannel(channel), ServerFrames.custom(type, channel, data));
  }

  /**
   * Publishes an already serialized frame to a channel's subscribers on every node, leaving out
   * the connection whose id is {@code exceptConnection} (null: none). For other front doors
   * (the Pusher protocol) whose frames the hub does not make.
   */
  public CompletionStage<Delivery> publishToChannel(String channel, Message m, String exceptConnection) {
    return publish(new Route.ToChannel(channel, exceptConnection), m);
  }

  @Override
  public CompletionStage<Long> getOnlineUserCount() {
    return broker.onlineCount();
  }

  @Override
  public CompletionStage<Boolean> isUserOnline(UserId userId) {
    return broker.isOnline(userId.value());
  }

  @Override
  public CompletionStage<Broker.UsersPage> getOnlineUsersPage(String cursor, int limit) {
    return broker.onlineUsersPage(cursor, limit);
  }

  @Override
  public CompletionStage<List<UserId>> getOnlineUsers() {
    return broker.onlineUsers().thenApply(ids -> ids.stream().map(UserId::of).sorted().toList());
  }

  @Override
  public CompletionStage<Delivery> sendSystemNotification(
      Collection<UserId> userIds, String title, String message, String type, Object extraData) {
    Message m = ServerFrames.notification(title, message, type, extraData, now());
    Route route = userIds == null ? new Route.ToAll(Set.of()) : new Route.ToUsers(values(userIds));
    return publish(route, m);
  }

  @Override
  public CompletionStage<Delivery> pushDataUpdate(
      Collection<UserId> userIds, String resourceType, String action, Object data) {
    return publish(new Route.ToUsers(values(userIds)),
        ServerFrames.dataUpdate(null, resourceType, action, data, now()));
  }

  @Override
  public CompletionStage<Delivery> pushDataUpdateToChannel(
      String channel, String resourceType, String action, Object data) {
    ChannelName.require("channel", channel);
    return publish(new Route.ToChannel(channel),
        ServerFrames.dataUpdate(channel, resourceType, action, data, now()));
  }

  @Override
  public CompletionStage<Integer> disconnectUser(UserId userId) {
    Route.Disconnect route = new Route.Disconnect(List.of(userId.value()));
    int closed = disconnectLocal(route);
    return broker.publish(route, null, null).thenApply(v -> closed);
  }

  // ---- BrokerListener: broker threads ----

  @Override
  public void onMessage(Route route, String type, byte[] payload) {
    if (route instanceof Route.Disconnect d) {
      disconnectLocal(d);
    } else {
      deliverLocal(route, Streams.received(route, type, payload));
    }
  }

  @Override
  public Collection<String> localUsers() {
    return Collections.unmodifiableSet(users.keySet());
  }

  @Override
  public Collection<String> localChannels() {
    return Collections.unmodifiableSet(channels.keySet());
  }

  @Override
  public boolean isLocal(String userId) {
    return users.containsKey(userId);
  }

  // ---- local statistics ----

  /** Open connections on this node. */
  public int connectionCount() {
    return connections.get();
  }

  /** Distinct users connected to this node. */
  public int localUserCount() {
    return users.size();
  }

  /** Channels with subscribers on this node. */
  public int channelCount() {
    return channels.size();
  }

  /**
   * Channels with subscribers on this node and their subscriber counts, the most subscribed
   * first, at most {@code max} of them (the dashboard's channel list).
   */
  public Map<String, Integer> channelSubscribers(int max) {
    List<Map.Entry<String, Integer>> all = new ArrayList<>(channels.size());
    channels.forEach((name, state) -> all.add(Map.entry(name, state.count)));
    all.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : all.subList(0, Math.min(max, all.size()))) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /**
   * Sets the observer of every message this node delivers (the admin inspector), or null.
   * Costs one volatile read per message while none is set.
   */
  public void tap(MessageTap next) {
    this.tap = next;
  }

  /**
   * Closes every connection on this node with the code (e.g. 1001 when shutting down), behind
   * what is already queued on each lane.
   */
  public void closeAll(CloseCode code) {
    for (Lane lane : lanes) {
      lane.execute(() -> {
        for (Session s : new ArrayList<>(lane.sessions)) {
          s.close(code);
        }
      });
    }
  }

  // ---- delivery ----

  private CompletionStage<Delivery> publish(Route route, Message m) {
    return streams.publish(route, m);
  }

  private Delivery deliverLocal(Route route, Message m) {
    Delivery d = deliver(route, m);
    observed(route, m, d);
    return d;
  }

  /** Tells the tap (the admin inspector) about a delivery; any thread. */
  private void observed(Route route, Message m, Delivery d) {
    MessageTap t = tap;
    if (t != null) {
      t.delivered(route, m, d);
    }
  }

  private Delivery deliver(Route route, Message m) {
    Delivery d;
    if (route instanceof Route.ToUsers r) {
      d = deliverToUsers(r.userIds(), m);
    } else if (route instanceof Route.ToChannel r) {
      d = deliverToChannel(r.channel(), r.exceptConnection(), m);
    } else if (route instanceof Route.ToAll r) {
      d = deliverToAll(r.excludedUserIds(), m);
    } else {
      throw new IllegalArgumentException("not a delivery route: " + route);
    }
    return d;
  }

  private Delivery deliverToUsers(List<String> userIds, Message m) {
    Map<Lane, List<Session>> byLane = new IdentityHashMap<>();
    int reachedUsers = 0;
    int reached = 0;
    for (String id : userIds.size() > 1 ? new LinkedHashSet<>(userIds) : userIds) {
      Session[] sessions = users.get(id);
      if (sessions == null) {
        continue;
      }
      reachedUsers++;
      for (Session s : sessions) {
        byLane.computeIfAbsent(s.lane(), k -> new ArrayList<>()).add(s);
        reached++;
      }
    }
    byLane.forEach((lane, sessions) -> run(lane, m, () -> {
      for (Session s : sessions) {
        s.send(m);
      }
    }));
    return new Delivery(reachedUsers, reached);
  }

  private Delivery deliverToChannel(String channel, String except, Message m) {
    ChannelState state = channels.get(channel);
    if (state == null) {
      return Delivery.NONE;
    }
    for (Lane lane : lanes) {
      run(lane, m, () -> {
        Set<Session> subscribers = lane.channels.get(channel);
        if (subscribers != null) {
          for (Session s : subscribers) {
            if (except == null || !except.equals(s.id())) {
              s.send(m);
            }
          }
        }
      });
    }
    return new Delivery(-1, state.count);
  }

  private Delivery deliverToAll(Set<String> excluded, Message m) {
    int excludedUsers = 0;
    int excludedConnections = 0;
    for (String id : excluded) {
      Session[] sessions = users.get(id);
      if (sessions != null) {
        excludedUsers++;
        excludedConnections += sessions.length;
      }
    }
    for (Lane lane : lanes) {
      run(lane, m, () -> {
        for (Session s : lane.sessions) {
          if (s.anonymous()) {
            continue;
          }
          if (excluded.isEmpty() || !excluded.contains(s.userId().value())) {
            s.send(m);
          }
        }
      });
    }
    return new Delivery(users.size() - excludedUsers, connections.get() - excludedConnections);
  }

  /** Numbered messages always queue (see {@link Lane#queue}); others may run at once. */
  private static void run(Lane lane, Message m, Runnable task) {
    if (m.offset() >= 0) {
      lane.queue(task);
    } else {
      lane.execute(task);
    }
  }

  private int disconnectLocal(Route.Disconnect route) {
    int closed = 0;
    for (String id : route.userIds()) {
      Session[] sessions = users.get(id);
      if (sessions != null) {
        for (Session s : sessions) {
          s.close(CloseCode.KICKED);
          closed++;
        }
      }
    }
    return closed;
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private static List<String> values(Collection<UserId> ids) {
    List<String> out = new ArrayList<>(ids.size());
    for (UserId id : ids) {
      out.add(id.value());
    }
    return out;
  }

  /** Subscribers of one channel on this node; {@code count} changes only inside map.compute. */
  private static final class ChannelState {
    volatile int count = 1;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
  }
}
