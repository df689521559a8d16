package io.herald.pusher;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.config.ServerConfig;
import io.herald.hub.Delivery;
import io.herald.protocol.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Server events of the HTTP API ({@code events}, {@code batch_events}), the terminate signal,
 * and the hub channel each Pusher channel lives on. The first configured app shares Herald's
 * channel names (so both protocols meet); other apps' channels are kept apart as
 * {@code ~<app id>~<name>}, a form neither protocol's names can take.
 */
final class PusherEvents {
  static final Pattern SOCKET_ID = Pattern.compile("\\d{1,20}\\.\\d{1,20}");
  /** Sent on a user's channel to close that user's connections (terminate_connections). */
  static final String TERMINATE = "pusher_internal:terminate";

  private final PusherContext context;

  PusherEvents(PusherContext context) {
    this.context = context;
  }

  static String hubChannel(PusherContext context, ServerConfig.PusherApp app, String channel) {
    return app == context.settings().apps().get(0) ? channel : "~" + app.id() + "~" + channel;
  }

  /** A Pusher channel of an app. */
  record Named(ServerConfig.PusherApp app, String channel) {
  }

  /** The app and Pusher name of a hub channel; null when no configured app has it. */
  static Named fromHub(PusherContext context, String hub) {
    if (hub.startsWith("~")) {
      int end = hub.indexOf('~', 1);
      if (end < 0) {
        return null;
      }
      return context.apps().byId(hub.substring(1, end)).map(a -> new Named(a, hub.substring(end + 1))).orElse(null);
    }
    return new Named(context.settings().apps().get(0), hub);
  }

  CompletionStage<byte[]> trigger(ServerConfig.PusherApp app, JsonNode body) {
    Event e = event(body, true);
    return publishAll(app, e).thenCompose(v -> info(app, e.channels(), e.info()))
        .thenApply(channels -> channels.isEmpty() ? PusherApi.json(Map.of())
            : PusherApi.json(Map.of("channels", channels)));
  }

  CompletionStage<byte[]> batch(ServerConfig.PusherApp app, JsonNode body) {
    JsonNode batch = body.get("batch");
    if (batch == null || !batch.isArray()) {
      throw new PusherApiError(400, "batch must be a list of events");
    }
    if (batch.size() > PusherApi.MAX_BATCH) {
      throw new PusherApiError(400, "batch may hold at most " + PusherApi.MAX_BATCH + " events: " + batch.size());
    }
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      try {
        events.add(event(batch.get(i), false));
      } catch (PusherApiError err) {
        throw new PusherApiError(err.status(), "batch[" + i + "]: " + err.getMessage());
      }
    }
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (Event e : events) {
      sent.add(publishAll(app, e).toCompletableFuture());
    }
    boolean anyInfo = events.stream().anyMatch(e -> !e.info().isEmpty());
    return PusherApi.all(sent).thenCompose(v -> {
      if (!anyInfo) {
        return CompletableFuture.completedFuture(PusherApi.json(Map.of()));
      }
      List<CompletableFuture<Map<String, Object>>> infos = new ArrayList<>();
      for (Event e : events) {
        infos.add(new ChannelQueries(context).attributes(app, e.channels().get(0), e.info()).toCompletableFuture());
      }
      return PusherApi.all(infos).thenApply(list -> PusherApi.json(Map.of("batch", list)));
    });
  }

  /** Closes every connection signed in as {@code userId}, on every node. */
  CompletionStage<Void> terminate(ServerConfig.PusherApp app, String userId) {
    String channel = ChannelKind.userChannel(userId);
    if (!ChannelKind.validName(channel)) {
      throw new PusherApiError(400, "invalid user id: \"" + PusherApi.clip(userId) + '"');
    }
    Message m = Message.of(TERMINATE, channel, Map.of());
    return context.hub().publishToChannel(hubChannel(context, app, channel), m, null).thenApply(d -> null);
  }

  /** Publishes one event to one channel of the app; keeps it when the channel is a cache channel. */
  CompletionStage<Delivery> publish(ServerConfig.PusherApp app, String channel, String name, String data,
                                    String exceptSocket, String userId) {
    Message m = PusherFormat.event(name, channel, data, userId);
    context.metrics().pusherEvent(userId == null && !name.startsWith("client-") ? "api" : "client");
    String hub = hubChannel(context, app, channel);
    CompletionStage<Delivery> sent = context.hub().publishToChannel(hub, m, exceptSocket);
    if (ChannelKind.isCache(channel) && !name.startsWith("client-")) {
      String frame = new String(m.encoded(PusherFormat.INSTANCE), StandardCharsets.UTF_8);
      return sent.thenCombine(context.store().putLast(hub, frame, context.settings().cacheTtl()), (d, v) -> d);
    }
    return sent;
  }

  private CompletionStage<Void> publishAll(ServerConfig.PusherApp app, Event e) {
    List<CompletableFuture<Delivery>> sent = new ArrayList<>();
    for (String channel : e.channels()) {
      sent.add(publish(app, channel, e.name(), e.data(), e.socketId(), null).toCompletableFuture());
    }
    return PusherApi.all(sent).thenApply(v -> null);
  }

  private CompletionStage<Map<String, Object>> info(ServerConfig.PusherApp app, List<String> channels, Set<String> info) {
    if (info.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    ChannelQueries queries = new ChannelQueries(context);
    List<CompletableFuture<Map<String, Object>>> each = new ArrayList<>();
    for (String c : channels) {
      each.add(queries.attributes(app, c, info).toCompletableFuture());
    }
    return PusherApi.all(each).thenApply(list -> {
      Map<String, Object> out = PusherApi.map();
      for (int i = 0; i < channels.size(); i++) {
        out.put(channels.get(i), list.get(i));
      }
      return out;
    });
  }

  private record Event(String name, String data, List<String> channels, String socketId, Set<String> info) {
  }

  private Event event(JsonNode body, boolean manyChannels) {
    if (body == null || !body.isObject()) {
      throw new PusherApiError(400, "an event must be a JSON object");
    }
    String name = text(body, "name");
    if (name.isEmpty() || name.length() > PusherApi.MAX_EVENT_NAME) {
      throw new PusherApiError(400, "name must be 1-" + PusherApi.MAX_EVENT_NAME + " characters");
    }
    JsonNode d = body.get("data");
    if (d == null || d.isNull()) {
      throw new PusherApiError(400, "data is required");
    }
    String data = d.isTextual() ? d.textValue() : d.toString();
    int size = data.getBytes(StandardCharsets.UTF_8).length;
    if (size > context.settings().maxEventBytes()) {
      throw new PusherApiError(413, "data is " + size + " bytes; at most " + context.settings().maxEventBytes()
          + " allowed (pusher.max_event_bytes)");
    }
    List<String> channels = channels(body, manyChannels);
    String socketId = null;
    JsonNode s = body.get("socket_id");
    if (s != null && !s.isNull()) {
      socketId = s.asText();
      if (!SOCKET_ID.matcher(socketId).matches()) {
        throw new PusherApiError(400, "socket_id must look like 123.456: \"" + PusherApi.clip(socketId) + '"');
      }
    }
    JsonNode info = body.get("info");
    return new Event(name, data, channels, socketId, PusherApi.info(info == null || info.isNull() ? null : info.asText()));
  }

  private static List<String> channels(JsonNode body, boolean many) {
    List<String> out = new ArrayList<>();
    JsonNode list = body.get("channels");
    JsonNode one = body.get("channel");
    if (list != null && !list.isNull() && many) {
      if (!list.isArray()) {
        throw new PusherApiError(400, "channels must be a list of channel names");
      }
      list.forEach(c -> out.add(c.asText()));
    } else if (one != null && one.isTextual()) {
      out.add(one.textValue());
    }
    if (out.isEmpty()) {
      throw new PusherApiError(400, many ? "channels (a list) or channel is required" : "channel is required");
    }
    if (out.size() > PusherApi.MAX_CHANNELS_PER_EVENT) {
      throw new PusherApiError(400, "at most " + PusherApi.MAX_CHANNELS_PER_EVENT + " channels per event: " + out.size());
    }
    for (String c : out) {
      if (!ChannelKind.validName(c)) {
        throw new PusherApiError(400, "invalid channel name: \"" + PusherApi.clip(c) + '"');
      }
    }
    return out;
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual()) {
      throw new PusherApiError(400, field + " is required and must be a string");
    }
    return v.textValue();
  }
}
