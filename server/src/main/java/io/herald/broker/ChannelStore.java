package io.herald.broker;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Cluster-wide facts about channels that a front door needs beyond message routing: subscriber
 * counts, presence members counted per distinct user, and a channel's last cached frame. In
 * memory on one node, in Redis in cluster mode, so every node sees the same answers and exactly
 * one node sees each "first" and "last".
 *
 * <p>Threading: any thread; nothing blocks; results complete on the store's own threads.
 */
public interface ChannelStore {

  /** One more subscriber to the channel somewhere; completes with the cluster-wide count after it. */
  CompletionStage<Long> addSubscriber(String channel);

  /** One subscriber fewer; completes with the count left (0: the channel is vacant). */
  CompletionStage<Long> removeSubscriber(String channel);

  /** Channels with at least one subscriber whose name starts with {@code prefix}, with their counts. */
  CompletionStage<Map<String, Long>> occupied(String prefix);

  /** The subscriber count of one channel (0 when vacant). */
  CompletionStage<Long> subscribers(String channel);

  /**
   * One more connection of {@code userId} in the channel, with the user's info (JSON text); the
   * first connection's info is kept. Completes with true when it is the user's first connection
   * there, anywhere in the cluster.
   */
  CompletionStage<Boolean> addMember(String channel, String userId, String info);

  /** One connection of the user fewer; completes with true when it was the user's last one. */
  CompletionStage<Boolean> removeMember(String channel, String userId);

  /** The channel's members, user id to info (JSON text), in no particular order. */
  CompletionStage<Map<String, String>> members(String channel);

  /** Keeps {@code frame} as the channel's last event for {@code ttl}. */
  CompletionStage<Void> putLast(String channel, String frame, Duration ttl);

  /** The channel's last kept event, if it has one that has not expired. */
  CompletionStage<Optional<String>> last(String channel);

  /** What a {@link #sweep} took away: channels now vacant, and per channel the members now gone. */
  record Swept(java.util.List<String> vacated, Map<String, java.util.List<String>> removedMembers) {
    public static final Swept NOTHING = new Swept(java.util.List.of(), Map.of());
  }

  /**
   * Removes the subscribers and members that nodes which died without cleaning up left behind
   * (their presence heartbeat expired). Several nodes may sweep at once: each leftover is taken
   * away, and reported, by exactly one of them. Nothing to do on a single node.
   */
  default CompletionStage<Swept> sweep() {
    return java.util.concurrent.CompletableFuture.completedFuture(Swept.NOTHING);
  }
}
