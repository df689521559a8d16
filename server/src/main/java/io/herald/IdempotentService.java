package io.herald;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.herald.hub.Delivery;
import io.herald.hub.PushService;
import io.herald.hub.UserId;
import io.herald.idempotency.Idempotency;
import io.herald.idempotency.IdempotencyStore.Answer;
import io.herald.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The push API under one idempotency key ({@link HeraldServer#service(String)}): the first push
 * made through it runs; a push with the same key within {@code idempotency.ttl} (cluster-wide in
 * cluster mode) sends nothing and completes with the first one's result. Reads pass through.
 */
final class IdempotentService implements PushService {
  private final PushService delegate;
  private final Idempotency idempotency;
  private final String key;

  IdempotentService(PushService delegate, Idempotency idempotency, String key) {
    this.delegate = delegate;
    this.idempotency = idempotency;
    this.key = Idempotency.requireKey(key);
  }

  private <T> CompletionStage<T> once(String call, Class<T> type, Supplier<CompletionStage<T>> push) {
    return idempotency.run(key, "java:" + call, () -> push.get().thenApply(result -> {
      try {
        return new Answer(200, "java:" + call, Json.MAPPER.writeValueAsBytes(result));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    })).thenApply(answer -> {
      try {
        return Json.MAPPER.readValue(answer.body(), type);
      } catch (IOException e) {
        throw new UncheckedIOException("stored answer of idempotency key " + key + " is unreadable", e);
      }
    });
  }

  @Override
  public CompletionStage<Delivery> sendToUser(UserId userId, String type, Object data) {
    return once("sendToUser", Delivery.class, () -> delegate.sendToUser(userId, type, data));
  }

  @Override
  public CompletionStage<Delivery> sendToUsers(Collection<UserId> userIds, String type, Object data) {
    return once("sendToUsers", Delivery.class, () -> delegate.sendToUsers(userIds, type, data));
  }

  @Override
  public CompletionStage<Delivery> broadcast(String type, Object data, Collection<UserId> excludeUserIds) {
    return once("broadcast", Delivery.class, () -> delegate.broadcast(type, data, excludeUserIds));
  }

  @Override
  public CompletionStage<Delivery> sendToChannel(String channel, String type, Object data) {
    return once("sendToChannel", Delivery.class, () -> delegate.sendToChannel(channel, type, data));
  }

  @Override
  public CompletionStage<Long> getOnlineUserCount() {
    return delegate.getOnlineUserCount();
  }

  @Override
  public CompletionStage<Boolean> isUserOnline(UserId userId) {
    return delegate.isUserOnline(userId);
  }

  @Override
  public CompletionStage<List<UserId>> getOnlineUsers() {
    return delegate.getOnlineUsers();
  }

  @Override
  public CompletionStage<Delivery> sendSystemNotification(
      Collection<UserId> userIds, String title, String message, String type, Object extraData) {
    return once("sendSystemNotification", Delivery.class,
        () -> delegate.sendSystemNotification(userIds, title, message, type, extraData));
  }

  @Override
  public CompletionStage<Delivery> pushDataUpdate(
      Collection<UserId> userIds, String resourceType, String action, Object data) {
    return once("pushDataUpdate", Delivery.class, () -> delegate.pushDataUpdate(userIds, resourceType, action, data));
  }

  @Override
  public CompletionStage<Delivery> pushDataUpdateToChannel(
      String channel, String resourceType, String action, Object data) {
    return once("pushDataUpdateToChannel", Delivery.class,
        () -> delegate.pushDataUpdateToChannel(channel, resourceType, action, data));
  }

  @Override
  public CompletionStage<Integer> disconnectUser(UserId userId) {
    return once("disconnectUser", Integer.class, () -> delegate.disconnectUser(userId));
  }
}
