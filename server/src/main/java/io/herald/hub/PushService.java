package io.herald.hub;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The push API of a Herald server, mirroring the seed's {@code WebSocketService}. The admin HTTP
 * API is a thin layer over this interface; an embedding application calls it directly.
 *
 * <p>Every method is thread-safe and non-blocking. A push completes once the message is enqueued
 * for this node's connections and, in cluster mode, handed to the broker; it fails with the
 * broker's error otherwise. {@code data} is any value Jackson can write (a {@code Map}, a record,
 * a {@code JsonNode}, …); it is serialized once for all recipients.
 */
public interface PushService {

  CompletionStage<Delivery> sendToUser(UserId userId, String type, Object data);

  CompletionStage<Delivery> sendToUsers(Collection<UserId> userIds, String type, Object data);

  /** To every online user except {@code excludeUserIds} (may be empty). */
  CompletionStage<Delivery> broadcast(String type, Object data, Collection<UserId> excludeUserIds);

  default CompletionStage<Delivery> broadcast(String type, Object data) {
    return broadcast(type, data, List.of());
  }

  /** Arrives as {@code {"type":T,"channel":C,"data":D}}. */
  CompletionStage<Delivery> sendToChannel(String channel, String type, Object data);

  CompletionStage<Long> getOnlineUserCount();

  CompletionStage<Boolean> isUserOnline(UserId userId);

  /** Online users, numeric ids first in numeric order, then the others in text order. */
  CompletionStage<List<UserId>> getOnlineUsers();

  /**
   * One page of about {@code limit} online users from {@code cursor} ({@code "0"} first; then the
   * previous page's {@code next}). This default pages {@link #getOnlineUsers}; the hub asks the
   * broker, which never lists a large cluster's users at once.
   */
  default CompletionStage<io.herald.broker.Broker.UsersPage> getOnlineUsersPage(String cursor, int limit) {
    long from = Long.parseLong(cursor);
    return getOnlineUsers().thenApply(all -> {
      int start = (int) Math.min(from, all.size());
      int end = (int) Math.min((long) start + limit, all.size());
      List<String> ids = all.subList(start, end).stream().map(UserId::value).toList();
      return new io.herald.broker.Broker.UsersPage(ids, end < all.size() ? Long.toString(end) : null);
    });
  }

  /**
   * A {@code notification} {@code {title, message, type, timestamp, extra_data?}}: to every online
   * user when {@code userIds} is null, else to those users. {@code type} null means {@code info};
   * {@code extraData} null leaves the field out.
   */
  CompletionStage<Delivery> sendSystemNotification(
      Collection<UserId> userIds, String title, String message, String type, Object extraData);

  default CompletionStage<Delivery> sendSystemNotification(String title, String message, String type) {
    return sendSystemNotification(null, title, message, type, null);
  }

  /** A {@code data_update} {@code {resource_type, action, data, timestamp}} to these users. */
  CompletionStage<Delivery> pushDataUpdate(
      Collection<UserId> userIds, String resourceType, String action, Object data);

  /** A {@code data_update} to a channel's subscribers. */
  CompletionStage<Delivery> pushDataUpdateToChannel(
      String channel, String resourceType, String action, Object data);

  /** Closes every connection of the user with 4002; completes with this node's count. */
  CompletionStage<Integer> disconnectUser(UserId userId);
}
