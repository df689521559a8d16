package io.herald.pusher;

import io.herald.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The HTTP API's channel questions, answered cluster-wide from the {@link io.herald.broker.ChannelStore}:
 * occupied channels, one channel's attributes, a presence channel's users. Subscriber counts are
 * those of Pusher-protocol connections.
 */
final class ChannelQueries {
  private final PusherContext context;

  ChannelQueries(PusherContext context) {
    this.context = context;
  }

  CompletionStage<byte[]> list(ServerConfig.PusherApp app, String prefix, String infoParam) {
    Set<String> info = PusherApi.info(infoParam);
    String p = prefix == null ? "" : prefix;
    for (String a : info) {
      if (!a.equals("user_count")) {
        throw new PusherApiError(400, "info may only ask for user_count when listing channels: \"" + a + '"');
      }
    }
    if (info.contains("user_count") && !p.startsWith("presence-")) {
      throw new PusherApiError(400, "info=user_count needs filter_by_prefix=presence-");
    }
    String hubPrefix = PusherEvents.hubChannel(context, app, p);
    String namespace = hubPrefix.substring(0, hubPrefix.length() - p.length());
    return context.store().occupied(hubPrefix).thenCompose(channels -> {
      List<String> names = new ArrayList<>();
      for (String hub : channels.keySet()) {
        if (namespace.isEmpty() ? !hub.startsWith("~") : hub.startsWith(namespace)) {
          names.add(hub.substring(namespace.length()));
        }
      }
      List<CompletableFuture<Map<String, Object>>> each = new ArrayList<>();
      for (String name : names) {
        each.add(attributes(app, name, info).toCompletableFuture());
      }
      return PusherApi.all(each).thenApply(list -> {
        Map<String, Object> out = PusherApi.map();
        for (int i = 0; i < names.size(); i++) {
          out.put(names.get(i), list.get(i));
        }
        return PusherApi.json(Map.of("channels", out));
      });
    });
  }

  CompletionStage<byte[]> one(ServerConfig.PusherApp app, String channel, String infoParam) {
    Set<String> info = PusherApi.info(infoParam);
    for (String a : info) {
      if (!Set.of("user_count", "subscription_count", "cache").contains(a)) {
        throw new PusherApiError(400, "unknown info attribute \"" + PusherApi.clip(a)
            + "\": user_count, subscription_count or cache");
      }
    }
    if (info.contains("cache") && !ChannelKind.isCache(channel)) {
      throw new PusherApiError(400, "info=cache is for cache channels only");
    }
    String hub = PusherEvents.hubChannel(context, app, channel);
    return context.store().subscribers(hub).thenCompose(count -> attributes(app, channel, info).thenCompose(attrs -> {
      Map<String, Object> out = PusherApi.map();
      out.put("occupied", count > 0);
      out.putAll(attrs);
      if (!info.contains("cache")) {
        return CompletableFuture.completedFuture(PusherApi.json(out));
      }
      return context.store().last(hub).thenApply(last -> {
        last.ifPresent(frame -> out.put("cache", Map.of("data", cachedData(frame),
            "ttl", context.settings().cacheTtl().toSeconds())));
        return PusherApi.json(out);
      });
    }));
  }

  CompletionStage<byte[]> users(ServerConfig.PusherApp app, String channel) {
    if (ChannelKind.of(channel) != ChannelKind.PRESENCE) {
      throw new PusherApiError(400, "users are listed for presence- channels only: \"" + PusherApi.clip(channel) + '"');
    }
    return context.store().members(PusherEvents.hubChannel(context, app, channel)).thenApply(members -> {
      List<Map<String, String>> users = new ArrayList<>();
      for (String id : members.keySet()) {
        users.add(Map.of("id", id));
      }
      return PusherApi.json(Map.of("users", users));
    });
  }

  /** The asked-for attributes of one channel: user_count (presence only), subscription_count. */
  CompletionStage<Map<String, Object>> attributes(ServerConfig.PusherApp app, String channel, Set<String> info) {
    String hub = PusherEvents.hubChannel(context, app, channel);
    boolean presence = ChannelKind.of(channel) == ChannelKind.PRESENCE;
    if (info.contains("user_count") && !presence) {
      throw new PusherApiError(400, "user_count is for presence- channels only: \"" + PusherApi.clip(channel) + '"');
    }
    CompletionStage<Map<String, String>> members = info.contains("user_count")
        ? context.store().members(hub) : CompletableFuture.completedFuture(Map.of());
    CompletionStage<Long> subs = info.contains("subscription_count")
        ? context.store().subscribers(hub) : CompletableFuture.completedFuture(0L);
    return members.thenCombine(subs, (m, n) -> {
      Map<String, Object> out = PusherApi.map();
      if (info.contains("user_count")) {
        out.put("user_count", m.size());
      }
      if (info.contains("subscription_count")) {
        out.put("subscription_count", n);
      }
      return out;
    });
  }

  private static String cachedData(String frame) {
    try {
      return io.herald.protocol.Json.MAPPER.readTree(frame).path("data").asText();
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
