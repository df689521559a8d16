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
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes messages to connections: users, channels, presence. Knows nothing of the transport.
 *
 * <p><b>Concurrency.</b> Connections are partitioned into {@link Lane}s, one per transport
 * thread. A session's channel memberships and its lane's indexes are touched only on that lane's
 * thread, so they need no locks. Two shared maps in the {@link SessionIndex}, both
 * {@link ConcurrentHashMap}s, give the cross-thread views: user id to that user's sessions
 * (copy-on-write arrays) and channel to a subscriber count. Connection-side calls ({@link #join},
 * {@link #leave}, {@link #subscribe}, {@link #chat}, …) run on the session's lane; the
 * {@link PushService} methods run on any thread.
 *
 * <p><b>Delivery.</b> A message is serialized once ({@link Message}) and handed by the
 * {@link Fanout} to each lane in one task, which queues it to every local recipient; transports
 * coalesce the flushes. The broker carries the same bytes to other nodes and never echoes them
 * back, so a message reaches each connection at most once. Messages from one producer thread to
 * one connection keep their order. A push completes once local delivery is enqueued and the
 * broker has accepted the message.
 *
 * <p><b>Presence.</b> A user is online while they hold at least one connection. The hub (its
 * {@link SessionIndex}) tells the broker when a user's first connection on this node opens and
 * their last one closes; online counts and lists come from the broker (which, in memory, answers
 * from this hub). An anonymous session (no user: a Pusher-protocol socket) takes part in channels
 * only: it is not online, and broadcasts to all users pass it by.
 */
public final class Hub implements PushService, BrokerListener {
  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  private volatile HubSettings settings;
  private final Broker broker;
  private final SessionIndex index;
  private final Fanout fanout;
  private final Streams streams;
  private final Clock clock;

  /** A hub without history: frames carry no offsets and nothing is recovered. */
  public Hub(HubSettings settings, Broker broker, Clock clock) {
    this(settings, broker, new MemoryHistory(Retention.off()), clock);
  }

  public Hub(HubSettings settings, Broker broker, History history, Clock clock) {
    this.settings = settings;
    this.broker = broker;
    this.index = new SessionIndex(broker);
    this.fanout = new Fanout(index);
    this.streams = new Streams(history, broker, fanout::deliver, fanout::deliverQuietly, fanout::observed);
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
    return index.newLane(executor, inLane);
  }

  public List<Lane> lanes() {
    return Collections.unmodifiableList(index.lanes());
  }

  // ---- connections: called on the session's lane ----

  /** Registers an authenticated session; on its lane. */
  public void join(Session s) {
    index.join(s);
  }

  /** Unregisters a session and its subscriptions; on its lane. Idempotent. */
  public void leave(Session s) {
    index.leave(s);
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
    SessionIndex.ChannelState state = index.add(s, channel);
    if (state.ready.isDone() && !state.ready.isCompletedExceptionally()) {
      return state.ready;
    }
    return state.ready.exceptionallyCompose(err -> {
      log.warn("broker could not subscribe channel {}: {}", channel, err.toString());
      s.lane().execute(() -> index.rollBack(s, channel, state));
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
    return Recovery.userStreams(history(), s, user, all);
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
    return Recovery.channel(history(), s, stream, start, ready);
  }

  /** Unsubscribes the session; on its lane. False when it was not subscribed. */
  public boolean unsubscribe(Session s, String channel) {
    return index.remove(s, channel);
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
  public CompletionStage<UsersPage> getOnlineUsersPage(String cursor, int limit) {
    return broker.onlineUsersPage(cursor, limit).thenApply(p -> new UsersPage(p.userIds(), p.next()));
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
    int closed = fanout.disconnect(route);
    return broker.publish(route, null, null).thenApply(v -> closed);
  }

  // ---- BrokerListener: broker threads ----

  @Override
  public void onMessage(Route route, String type, byte[] payload) {
    if (route instanceof Route.Disconnect d) {
      fanout.disconnect(d);
    } else {
      fanout.deliver(route, Streams.received(route, type, payload));
    }
  }

  @Override
  public Collection<String> localUsers() {
    return index.userIds();
  }

  @Override
  public Collection<String> localChannels() {
    return index.channelNames();
  }

  @Override
  public boolean isLocal(String userId) {
    return index.hasUser(userId);
  }

  // ---- local statistics ----

  /** Open connections on this node. */
  public int connectionCount() {
    return index.connectionCount();
  }

  /** Distinct users connected to this node. */
  public int localUserCount() {
    return index.userCount();
  }

  /** Channels with subscribers on this node. */
  public int channelCount() {
    return index.channelCount();
  }

  /**
   * Channels with subscribers on this node and their subscriber counts, the most subscribed
   * first, at most {@code max} of them (the dashboard's channel list).
   */
  public Map<String, Integer> channelSubscribers(int max) {
    return index.channelSubscribers(max);
  }

  /**
   * Sets the observer of every message this node delivers (the admin inspector), or null.
   * Costs one volatile read per message while none is set.
   */
  public void tap(MessageTap next) {
    fanout.tap(next);
  }

  /**
   * Closes every connection on this node with the code (e.g. 1001 when shutting down), behind
   * what is already queued on each lane.
   */
  public void closeAll(CloseCode code) {
    index.closeAll(code);
  }

  // ---- publishing ----

  private CompletionStage<Delivery> publish(Route route, Message m) {
    return streams.publish(route, m);
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
}
