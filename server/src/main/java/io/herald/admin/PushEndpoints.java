package io.herald.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.hub.Delivery;
import io.herald.hub.PushService;
import io.herald.hub.UserId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The seed's twelve endpoints (SPEC.md §3): each reads its fields from the body, makes one
 * {@link PushService} call and shapes the answer's {@code data}. {@link AdminApi} routes to them.
 */
final class PushEndpoints {
  /** Page size of {@code online-users} when only {@code cursor} is given. */
  static final int DEFAULT_PAGE = 1000;

  private final PushService service;
  private final int maxUserIds;

  PushEndpoints(PushService service, int maxUserIds) {
    this.service = service;
    this.maxUserIds = maxUserIds;
  }

  void registerOn(AdminApi api) {
    api.add("online-count", "GET", b -> service.getOnlineUserCount()
        .thenApply(n -> Map.of("online_count", n)));
    api.add("online-users", "GET", this::onlineUsers);
    api.add("check-online", "POST", AdminApi.READ_OUTAGE, b -> {
      UserId id = b.userId("user_id");
      return service.isUserOnline(id).thenApply(online -> userAnswer(id, "is_online", online));
    });
    api.add("send-to-user", "POST", b -> {
      UserId id = b.userId("user_id");
      String type = b.type("type");
      JsonNode data = b.requiredAny("data");
      return service.sendToUser(id, type, data).thenApply(PushEndpoints::summary);
    });
    api.add("send-to-users", "POST", b -> {
      List<UserId> ids = b.userIds("user_ids");
      String type = b.type("type");
      JsonNode data = b.requiredAny("data");
      return service.sendToUsers(ids, type, data).thenApply(PushEndpoints::summary);
    });
    api.add("broadcast", "POST", b -> {
      String type = b.type("type");
      JsonNode data = b.requiredAny("data");
      List<UserId> excluded = new ArrayList<>(b.optionalUserIds("exclude_user_ids").orElse(List.of()));
      b.optionalUserId("exclude_user_id").ifPresent(excluded::add);
      return service.broadcast(type, data, excluded).thenApply(PushEndpoints::summary);
    });
    api.add("send-to-channel", "POST", b -> {
      String channel = b.channel("channel");
      String type = b.type("type");
      JsonNode data = b.requiredAny("data");
      return service.sendToChannel(channel, type, data).thenApply(d -> channelSummary(channel, d));
    });
    registerNotifications(api);
    api.add("disconnect-user", "POST", "the user was not disconnected on other nodes", b -> {
      UserId id = b.userId("user_id");
      return service.disconnectUser(id).thenApply(n -> userAnswer(id, "connections", n));
    });
  }

  /** Notifications and data updates: endpoints 8 to 11. */
  private void registerNotifications(AdminApi api) {
    api.add("send-notification", "POST", b -> notification(b, null));
    api.add("send-notification-to-users", "POST", b -> notification(b, b.userIds("user_ids")));
    api.add("push-data-update", "POST", b -> {
      List<UserId> ids = b.userIds("user_ids");
      String resourceType = b.text("resource_type");
      String action = b.text("action");
      JsonNode data = b.requiredAny("data");
      return service.pushDataUpdate(ids, resourceType, action, data).thenApply(PushEndpoints::summary);
    });
    api.add("push-data-update-channel", "POST", b -> {
      String channel = b.channel("channel");
      String resourceType = b.text("resource_type");
      String action = b.text("action");
      JsonNode data = b.requiredAny("data");
      return service.pushDataUpdateToChannel(channel, resourceType, action, data)
          .thenApply(d -> channelSummary(channel, d));
    });
  }

  /**
   * Without {@code cursor} and {@code limit}: every online user, the seed's {@code {user_ids, count}}.
   * With either: one page, {@code {user_ids, count, next_cursor}}, {@code next_cursor} null on the
   * last page. docs/admin-api.md has the rule.
   */
  private CompletionStage<Object> onlineUsers(Body b) {
    Optional<String> cursor = b.optionalText("cursor");
    Optional<String> limit = b.optionalText("limit");
    if (cursor.isEmpty() && limit.isEmpty()) {
      return service.getOnlineUsers().thenApply(ids -> {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_ids", ids);
        data.put("count", ids.size());
        return data;
      });
    }
    String from = cursor.orElse("0");
    if (!from.matches("[0-9]{1,19}")) {
      throw new ApiError(400, "cursor must be 0 or the next_cursor of the previous page");
    }
    int size = limit.map(l -> pageLimit(l, maxUserIds)).orElse(Math.min(DEFAULT_PAGE, maxUserIds));
    return service.getOnlineUsersPage(from, size).thenApply(page -> {
      Map<String, Object> data = new LinkedHashMap<>();
      List<UserId> ids = page.userIds().stream().map(UserId::of).toList();
      data.put("user_ids", ids);
      data.put("count", ids.size());
      data.put("next_cursor", page.next());
      return data;
    });
  }

  private static int pageLimit(String text, int max) {
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1 || n > max) {
      throw new ApiError(400, "limit must be an integer from 1 to " + max + " (api.max_user_ids)");
    }
    return n;
  }

  /** A system notification to {@code ids}, or to everyone when null; its fields are read after {@code ids}. */
  private CompletionStage<Object> notification(Body b, List<UserId> ids) {
    String title = b.text("title");
    String message = b.text("message");
    String type = b.optionalText("type").orElse(null);
    JsonNode extra = b.optionalAny("extra_data").orElse(null);
    return service.sendSystemNotification(ids, title, message, type, extra).thenApply(PushEndpoints::summary);
  }

  /** {@code {"user_id": id, field: value}}, in that order. */
  private static Map<String, Object> userAnswer(UserId id, String field, Object value) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("user_id", id);
    data.put(field, value);
    return data;
  }

  private static Map<String, Object> summary(Delivery d) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("users", d.users());
    data.put("connections", d.connections());
    return data;
  }

  private static Map<String, Object> channelSummary(String channel, Delivery d) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("channel", channel);
    data.put("connections", d.connections());
    return data;
  }
}
