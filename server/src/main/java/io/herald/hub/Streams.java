package io.herald.hub;

import io.herald.protocol.Message;
import io.herald.broker.Broker;
import io.herald.broker.Route;
import io.herald.history.Frames;
import io.herald.history.History;
import io.herald.history.StreamId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a message on its stream: a channel's, the all-users stream, or each addressed user's
 * own. When the stream keeps history, the message is numbered and kept first, and the numbered
 * frame is what this node's connections and the other nodes get. A message to several users is
 * numbered once per user (each user's stream has its own offsets), so it is one frame per user.
 *
 * <p>Local delivery runs inside {@link History#append}'s callback, which keeps offset order per
 * stream; the broker publish is issued there too, so other nodes see this node's messages of one
 * stream in offset order. If the history cannot be written (Redis down) the message still goes
 * out, unnumbered, and the broker's own failure, if any, reaches the caller.
 */
final class Streams {
  private static final Logger log = LoggerFactory.getLogger(Streams.class);

  private final History history;
  private final Broker broker;
  private final BiFunction<Route, Message, Delivery> local;
  private final BiFunction<Route, Message, Delivery> quiet;
  private final Observer observer;

  /** Tells the hub's tap about a whole push (a message to several users is seen once). */
  interface Observer {
    void delivered(Route route, Message m, Delivery d);
  }

  /**
   * {@code local} delivers to this node's connections and tells the hub's tap; {@code quiet}
   * delivers without telling it (each user's share of a multi-user push), {@code observer} then
   * tells it once about the whole push.
   */
  Streams(History history, Broker broker, BiFunction<Route, Message, Delivery> local,
          BiFunction<Route, Message, Delivery> quiet, Observer observer) {
    this.history = history;
    this.broker = broker;
    this.local = local;
    this.quiet = quiet;
    this.observer = observer;
  }

  History history() {
    return history;
  }

  /** The stream a routed message belongs to; null for disconnects and multi-user routes. */
  static StreamId streamOf(Route route) {
    if (route instanceof Route.ToChannel c) {
      return StreamId.channel(c.channel());
    }
    if (route instanceof Route.ToAll) {
      return StreamId.ALL;
    }
    if (route instanceof Route.ToUsers u && u.userIds().size() == 1) {
      return StreamId.user(u.userIds().get(0));
    }
    return null;
  }

  /** A message from another node: numbered if its frame carries an offset. */
  static Message received(Route route, String type, byte[] payload) {
    long offset = Frames.offset(payload);
    StreamId stream = offset < 0 ? null : streamOf(route);
    return stream == null ? Message.ofSerialized(type, payload) : Message.numbered(type, payload, stream, offset);
  }

  CompletionStage<Delivery> publish(Route route, Message m) {
    if (route instanceof Route.ToUsers u && history.retention().keeps(StreamId.user(""))) {
      return toUsers(u, m);
    }
    StreamId stream = route instanceof Route.ToUsers ? null : streamOf(route);
    if (stream == null || !history.retention().keeps(stream)) {
      return plain(route, m, local);
    }
    Set<String> excluded = route instanceof Route.ToAll a ? a.excludedUserIds() : Set.of();
    return numbered(route, stream, m, excluded, local);
  }

  private CompletionStage<Delivery> toUsers(Route.ToUsers route, Message m) {
    List<String> userIds = route.userIds();
    List<CompletableFuture<Delivery>> each = new ArrayList<>(userIds.size());
    for (String id : userIds.size() > 1 ? new LinkedHashSet<>(userIds) : userIds) {
      each.add(numbered(new Route.ToUsers(List.of(id)), StreamId.user(id), m, Set.of(), quiet).toCompletableFuture());
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
      int users = 0;
      int connections = 0;
      for (CompletableFuture<Delivery> d : each) {
        users += d.join().users();
        connections += d.join().connections();
      }
      Delivery total = new Delivery(users, connections);
      observer.delivered(route, m, total);
      return total;
    });
  }

  private CompletionStage<Delivery> numbered(Route route, StreamId stream, Message m, Set<String> excluded,
                                             BiFunction<Route, Message, Delivery> deliver) {
    CompletableFuture<Delivery> delivered = new CompletableFuture<>();
    CompletableFuture<CompletionStage<Void>> published = new CompletableFuture<>();
    history.append(stream, m.json(), excluded, (offset, frame) -> {
      delivered.complete(deliver.apply(route, Message.numbered(m.type(), frame, stream, offset)));
      published.complete(broker.publish(route, m.type(), frame));
    }).whenComplete((v, err) -> {
      if (err != null && !delivered.isDone()) {
        log.warn("could not keep a {} message in the history of {}; sent without an offset: {}", m.type(), stream, err.toString());
        plain(route, m, deliver).whenComplete((d, e) -> {
          if (e != null) {
            delivered.completeExceptionally(e);
          } else {
            delivered.complete(d);
          }
        });
        published.complete(CompletableFuture.completedFuture(null));
      }
    });
    return published.thenCompose(p -> p).thenCompose(v -> delivered);
  }

  private CompletionStage<Delivery> plain(Route route, Message m, BiFunction<Route, Message, Delivery> deliver) {
    Delivery d = deliver.apply(route, m);
    return broker.publish(route, m.type(), m.json()).thenApply(v -> d);
  }
}
