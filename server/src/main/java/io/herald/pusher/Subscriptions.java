package io.herald.pusher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.config.ServerConfig;
import io.herald.hub.HubException;
import io.herald.protocol.Message;
import io.herald.protocol.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * One Pusher connection's channels: auth checks, the hub subscription, cluster-wide subscriber
 * counts, presence membership (member_added / member_removed only on a user's first / last
 * connection anywhere), the cache channel's last event, and the webhooks these changes cause.
 * A refused subscription gets {@code pusher:subscription_error} for that channel; the socket stays.
 * On the session's lane only.
 */
final class Subscriptions {
  private static final int MAX_USER_ID = 128;
  private static final int MAX_USER_INFO_BYTES = 1024;

  /** One granted subscription; {@code userId} is the presence member (null elsewhere). */
  record Sub(String channel, String hub, ChannelKind kind, String userId) {
  }

  private final PusherContext context;
  private final ServerConfig.PusherApp app;
  private final PusherSession owner;
  private final Map<String, Sub> subs = new HashMap<>();
  private final java.util.Set<String> pending = new java.util.HashSet<>();
  /** Channels the client asked for while the server was already subscribing them (its user channel). */
  private final java.util.Set<String> awaiting = new java.util.HashSet<>();

  Subscriptions(PusherContext context, ServerConfig.PusherApp app, PusherSession owner) {
    this.context = context;
    this.app = app;
    this.owner = owner;
  }

  Sub find(String channel) {
    return subs.get(channel);
  }

  void subscribe(JsonNode data) {
    String channel = data.path("channel").asText("");
    if (!ChannelKind.validName(channel)) {
      owner.reply(PusherFrames.subscriptionError(channel.isEmpty() ? null : PusherApi.clip(channel), "InvalidChannel",
          "invalid channel name: 1-164 characters of A-Z a-z 0-9 _ - = @ , . ;", 400));
      return;
    }
    if (subs.containsKey(channel)) {
      succeeded(subs.get(channel));
      return;
    }
    if (pending.contains(channel)) {
      awaiting.add(channel);
      return;
    }
    ChannelKind kind = ChannelKind.of(channel);
    String userId = null;
    String userInfo = null;
    if (kind == ChannelKind.USER) {
      if (owner.signedInUser() == null || !channel.equals(ChannelKind.userChannel(owner.signedInUser()))) {
        authError(channel, "only the user signed in as that id may subscribe to " + PusherApi.clip(channel), 403);
        return;
      }
    } else if (kind.needsAuth()) {
      String channelData = data.path("channel_data").isTextual() ? data.get("channel_data").textValue() : null;
      String auth = data.path("auth").asText(null);
      if (kind == ChannelKind.PRESENCE && channelData == null && owner.signedInUser() != null) {
        // pusher-js accepts an auth without channel_data from a signed-in socket: the member is the signed-in user.
        if (!Signatures.matches(auth, app.key(), Signatures.channel(app.secret(), owner.socketId(), channel, null))) {
          authError(channel, invalidSignature(channel, null), 401);
          return;
        }
        userId = owner.signedInUser();
        userInfo = owner.signedInInfo();
      } else {
        if (!Signatures.matches(auth, app.key(), Signatures.channel(app.secret(), owner.socketId(), channel, channelData))) {
          authError(channel, invalidSignature(channel, channelData), 401);
          return;
        }
        if (kind == ChannelKind.PRESENCE) {
          JsonNode member = member(channel, channelData);
          if (member == null) {
            return;
          }
          userId = member.get("user_id").asText();
          JsonNode info = member.get("user_info");
          userInfo = info == null || info.isNull() ? null : info.toString();
        }
      }
    }
    join(new Sub(channel, PusherEvents.hubChannel(context, app, channel), kind, userId), userInfo);
  }

  private String invalidSignature(String channel, String channelData) {
    return "Invalid signature: expected HMAC SHA256 hex digest of " + owner.socketId() + ":" + PusherApi.clip(channel)
        + (channelData == null ? "" : ":<channel_data>") + " under the app secret, prefixed with the app key and ':'";
  }

  /** Reads and checks presence channel_data: {user_id (string or number), user_info?}. */
  private JsonNode member(String channel, String channelData) {
    JsonNode member = null;
    try {
      member = channelData == null ? null : Json.MAPPER.readTree(channelData);
    } catch (JsonProcessingException e) {
      member = null;
    }
    JsonNode id = member == null ? null : member.get("user_id");
    if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty()
        || id.asText().length() > MAX_USER_ID) {
      authError(channel, "presence channel_data must be JSON with a user_id (string or number, at most "
          + MAX_USER_ID + " characters)", 400);
      return null;
    }
    JsonNode info = member.get("user_info");
    if (info != null && info.toString().length() > MAX_USER_INFO_BYTES) {
      authError(channel, "user_info is larger than " + MAX_USER_INFO_BYTES + " bytes", 400);
      return null;
    }
    return member;
  }

  private void authError(String channel, String message, int status) {
    owner.reply(PusherFrames.subscriptionError(channel, "AuthError", message, status));
  }

  private void join(Sub sub, String userInfo) {
    pending.add(sub.channel());
    try {
      context.hub().subscribe(owner.session(), sub.hub()).whenComplete((v, err) -> owner.onLoop(() -> {
        pending.remove(sub.channel());
        if (err != null) {
          refused(sub, err);
        } else if (owner.isClosed()) {
          return;
        } else {
          subs.put(sub.channel(), sub);
          counted(sub, userInfo);
        }
      }));
    } catch (HubException e) {
      pending.remove(sub.channel());
      owner.reply(PusherFrames.subscriptionError(sub.channel(), "LimitReached", e.getMessage(), 400));
    }
  }

  private void refused(Sub sub, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    owner.reply(PusherFrames.subscriptionError(sub.channel(), "ServerError", cause.getMessage(), 503));
  }

  /** Subscribed: count it, join presence, then answer (and replay the cache). */
  private void counted(Sub sub, String userInfo) {
    if (sub.kind() == ChannelKind.USER) {
      succeeded(sub);
      return;
    }
    context.store().addSubscriber(sub.hub()).thenAccept(n -> {
      if (n == 1) {
        context.webhooks().occupied(app, sub.channel());
      }
    });
    if (sub.kind() != ChannelKind.PRESENCE) {
      succeeded(sub);
      return;
    }
    String info = userInfo == null ? "null" : userInfo;
    context.store().addMember(sub.hub(), sub.userId(), info).whenComplete((first, err) -> owner.onLoop(() -> {
      if (err != null) {
        refused(sub, err);
        return;
      }
      if (first) {
        Map<String, Object> added = new LinkedHashMap<>();
        added.put("user_id", sub.userId());
        added.put("user_info", new com.fasterxml.jackson.databind.util.RawValue(info));
        publishInternal(sub, "pusher_internal:member_added", added);
        context.webhooks().memberAdded(app, sub.channel(), sub.userId());
      }
      succeeded(sub);
    }));
  }

  private void publishInternal(Sub sub, String event, Object data) {
    Message m = PusherFormat.event(event, sub.channel(), PusherFrames.json(data), null);
    context.hub().publishToChannel(sub.hub(), m, owner.socketId());
  }

  private void succeeded(Sub sub) {
    if (sub.kind() != ChannelKind.PRESENCE) {
      owner.reply(PusherFrames.subscriptionSucceeded(sub.channel(), Map.of()));
      replayCache(sub);
      return;
    }
    context.store().members(sub.hub()).whenComplete((members, err) -> owner.onLoop(() -> {
      if (err != null) {
        refused(sub, err);
        return;
      }
      List<String> ids = new ArrayList<>(members.keySet());
      Map<String, Object> hash = new LinkedHashMap<>();
      members.forEach((id, info) -> hash.put(id, new com.fasterxml.jackson.databind.util.RawValue(info)));
      Map<String, Object> presence = new LinkedHashMap<>();
      presence.put("ids", ids);
      presence.put("hash", hash);
      presence.put("count", ids.size());
      owner.reply(PusherFrames.subscriptionSucceeded(sub.channel(), Map.of("presence", presence)));
      replayCache(sub);
    }));
  }

  private void replayCache(Sub sub) {
    if (!ChannelKind.isCache(sub.channel())) {
      return;
    }
    context.store().last(sub.hub()).whenComplete((last, err) -> owner.onLoop(() -> {
      if (err != null || last.isEmpty()) {
        owner.reply(PusherFrames.cacheMiss(sub.channel()));
        context.webhooks().cacheMiss(app, sub.channel());
      } else {
        owner.reply(last.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }));
  }

  void unsubscribe(String channel) {
    Sub sub = subs.remove(channel);
    if (sub == null) {
      return;
    }
    context.hub().unsubscribe(owner.session(), sub.hub());
    left(sub);
  }

  /** The socket closed: leave every channel's counts and presence (the hub drops the rest). */
  void leaveAll() {
    for (Sub sub : subs.values()) {
      left(sub);
    }
    subs.clear();
  }

  private void left(Sub sub) {
    if (sub.kind() == ChannelKind.USER) {
      return;
    }
    context.store().removeSubscriber(sub.hub()).thenAccept(n -> {
      if (n == 0) {
        context.webhooks().vacated(app, sub.channel());
      }
    });
    if (sub.kind() == ChannelKind.PRESENCE) {
      context.store().removeMember(sub.hub(), sub.userId()).thenAccept(last -> {
        if (last) {
          publishInternal(sub, "pusher_internal:member_removed", Map.of("user_id", sub.userId()));
          context.webhooks().memberRemoved(app, sub.channel(), sub.userId());
        }
      });
    }
  }

  /** After sign-in: the server subscribes the user's channel itself, so sendToUser and terminate reach it. */
  void joinUserChannel(String userId) {
    String channel = ChannelKind.userChannel(userId);
    if (!subs.containsKey(channel) && !pending.contains(channel)) {
      Sub sub = new Sub(channel, PusherEvents.hubChannel(context, app, channel), ChannelKind.USER, null);
      pending.add(channel);
      context.hub().subscribe(owner.session(), sub.hub()).whenComplete((v, err) -> owner.onLoop(() -> {
        pending.remove(channel);
        boolean asked = awaiting.remove(channel);
        if (err == null && !owner.isClosed()) {
          subs.put(channel, sub);
          if (asked) {
            succeeded(sub);
          }
        } else if (err != null && asked) {
          refused(sub, err);
        }
      }));
    }
  }
}
