package io.herald.broker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Carries messages between Herald nodes and answers cluster-wide presence questions. The hub
 * always delivers to its own connections itself; a broker only reaches the other nodes.
 *
 * <p>Threading: every method may be called from any thread, including Netty event loops, so none
 * may block. Results complete on the broker's own threads; callers hop back to their event loop
 * before touching a session.
 *
 * <p>Guarantees a broker must give: {@link #publish} completes only once the message is handed
 * to the engine (or fails, so the API caller sees an error); the listener is never called with a
 * message this node published (no echo, so nothing is delivered twice); presence reflects
 * {@link #userOnline}/{@link #userOffline} of every live node, and a dead node's users drop out
 * within a bounded time. An operation that cannot reach the engine fails with
 * {@link BrokerUnavailableException} rather than waiting for it to come back.
 */
public interface Broker extends AutoCloseable {

  /** Starts the broker. Called once, before any other method. */
  void start(BrokerListener listener);

  /**
   * Delivers to the other nodes. {@code type} is the frame's type (for metrics) and
   * {@code payload} the serialized frame; both are null for {@link Route.Disconnect}.
   */
  CompletionStage<Void> publish(Route route, String type, byte[] payload);

  /** This node now has a subscriber to the channel; completes once channel traffic will arrive. */
  CompletionStage<Void> subscribe(String channel);

  /** This node has no subscriber to the channel any more. */
  CompletionStage<Void> unsubscribe(String channel);

  /** The user's first connection on this node opened. */
  CompletionStage<Void> userOnline(String userId);

  /**
   * The user's last connection on this node closed. Online and offline calls for one user can
   * race when a user reconnects; a broker re-checks {@link BrokerListener#isLocal} before removing.
   */
  CompletionStage<Void> userOffline(String userId);

  /** Distinct users online anywhere in the cluster. */
  CompletionStage<Long> onlineCount();

  /** Users online anywhere in the cluster. */
  CompletionStage<List<String>> onlineUsers();

  /** One page of the users online anywhere; {@code next} is null on the last page. */
  record UsersPage(List<String> userIds, String next) {
  }

  /**
   * A page of about {@code limit} online users from {@code cursor} ({@code "0"} for the first page;
   * afterwards the {@code next} of the previous page). Cursors are decimal strings. This default
   * pages a sorted copy of {@link #onlineUsers}: fine for one node's users; a broker with a large
   * shared set overrides it and never lists the whole set at once.
   */
  default CompletionStage<UsersPage> onlineUsersPage(String cursor, int limit) {
    long from = Long.parseLong(cursor);
    return onlineUsers().thenApply(all -> {
      List<String> sorted = all.stream().sorted().toList();
      int start = (int) Math.min(from, sorted.size());
      int end = (int) Math.min((long) start + limit, sorted.size());
      return new UsersPage(sorted.subList(start, end), end < sorted.size() ? Long.toString(end) : null);
    });
  }

  /** Whether the user is online anywhere in the cluster. */
  CompletionStage<Boolean> isOnline(String userId);

  /** Cluster-wide channel counts, presence members and cached events (see {@link ChannelStore}). */
  ChannelStore channelStore();

  /** Whether the broker currently reaches its engine (always true in memory). */
  boolean healthy();

  /** A short name for logs and {@code /health}: {@code memory}, {@code redis}. */
  String kind();

  /**
   * Extra facts for {@code /health} (engine address, connection state, last error), as JSON-ready
   * values. Never contains secrets. Any thread; must not block.
   */
  default Map<String, Object> status() {
    return Map.of();
  }

  /** How nodes share dashboard statistics; empty on a single node. */
  default java.util.Optional<ClusterStats> clusterStats() {
    return java.util.Optional.empty();
  }

  /** Stops the broker. Must not throw. */
  @Override
  void close();
}
