package io.herald.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.history.History;
import io.herald.history.Position;
import io.herald.history.Replay;
import io.herald.history.StreamId;
import io.herald.hub.UserId;
import io.herald.protocol.ChannelName;
import io.herald.protocol.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code GET /admin/websocket/history?channel=NAME} (or {@code user_id=ID}, or {@code all=1}):
 * the kept messages of one stream, oldest first, as
 * {@code {"epoch":E,"messages":[{"offset":N,"type":T,"data":D,…},…]}} (each message as it was
 * sent, so channel messages also carry {@code channel}, user and all-users messages {@code stream};
 * a broadcast that excluded users also lists {@code excluded_user_ids}).
 */
final class HistoryRead {
  private HistoryRead() {
  }

  static CompletionStage<Object> run(History history, Function<String, String> query) {
    StreamId stream = stream(query);
    if (!history.retention().keeps(stream)) {
      throw new IllegalArgumentException("stream " + stream.key() + " keeps no history"
          + (history.retention().enabled() ? " (history.channel.rules or a size of 0)" : " (history.enabled is false)"));
    }
    return history.since(stream, null).thenCompose(top -> history.since(stream, new Position(top.top().epoch(), 0)))
        .thenApply(HistoryRead::render);
  }

  private static StreamId stream(Function<String, String> query) {
    String channel = query.apply("channel");
    String user = query.apply("user_id");
    String all = query.apply("all");
    int given = (channel != null ? 1 : 0) + (user != null ? 1 : 0) + (all != null ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException("give exactly one of the query parameters channel, user_id or all=1");
    }
    if (channel != null) {
      return StreamId.channel(ChannelName.require("channel", channel));
    }
    if (user != null) {
      return StreamId.user(UserId.of(user).value());
    }
    if (!all.equals("1") && !all.equalsIgnoreCase("true")) {
      throw new IllegalArgumentException("all must be 1: " + all);
    }
    return StreamId.ALL;
  }

  private static Object render(Replay replay) {
    List<Object> messages = new ArrayList<>(replay.frames().size());
    for (Replay.Entry e : replay.frames()) {
      try {
        JsonNode frame = Json.MAPPER.readTree(e.frame());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offset", e.offset());
        frame.fields().forEachRemaining(f -> {
          if (!f.getKey().equals("offset") && !f.getKey().equals("epoch")) {
            m.put(f.getKey(), f.getValue());
          }
        });
        if (!e.excluded().isEmpty()) {
          m.put("excluded_user_ids", e.excluded().stream().map(UserId::of).sorted().toList());
        }
        messages.add(m);
      } catch (IOException ex) {
        throw new IllegalStateException("a kept frame is not JSON (offset " + e.offset() + ")", ex);
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("epoch", replay.top().epoch());
    data.put("offset", replay.top().offset());
    data.put("messages", messages);
    return data;
  }
}
