package io.herald.hub;

import io.herald.broker.Route;
import io.herald.protocol.CloseCode;
import io.herald.protocol.Message;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Queues a routed message to its recipients on this node, with one task per lane, and tells the
 * tap (the admin inspector) about the delivery; a disconnect route closes the users' sessions
 * here instead. Any thread; this is the product's hot path.
 */
final class Fanout {
  private final SessionIndex index;
  private volatile MessageTap tap;

  Fanout(SessionIndex index) {
    this.index = index;
  }

  /** Sets the observer of every delivery, or null; one volatile read per message while none is set. */
  void tap(MessageTap next) {
    this.tap = next;
  }

  /** Delivers and tells the tap. */
  Delivery deliver(Route route, Message m) {
    Delivery d = deliverQuietly(route, m);
    observed(route, m, d);
    return d;
  }

  /** Tells the tap (the admin inspector) about a delivery. */
  void observed(Route route, Message m, Delivery d) {
    MessageTap t = tap;
    if (t != null) {
      t.delivered(route, m, d);
    }
  }

  /** Delivers without telling the tap: one user's share of a push the tap sees whole. */
  Delivery deliverQuietly(Route route, Message m) {
    Delivery d;
    if (route instanceof Route.ToUsers r) {
      d = deliverToUsers(r.userIds(), m);
    } else if (route instanceof Route.ToChannel r) {
      d = deliverToChannel(r.channel(), r.exceptConnection(), m);
    } else if (route instanceof Route.ToAll r) {
      d = deliverToAll(r.excludedUserIds(), m);
    } else {
      throw new IllegalArgumentException("not a delivery route: " + route);
    }
    return d;
  }

  private Delivery deliverToUsers(List<String> userIds, Message m) {
    Map<Lane, List<Session>> byLane = new IdentityHashMap<>();
    int reachedUsers = 0;
    int reached = 0;
    for (String id : userIds.size() > 1 ? new LinkedHashSet<>(userIds) : userIds) {
      Session[] sessions = index.sessions(id);
      if (sessions == null) {
        continue;
      }
      reachedUsers++;
      for (Session s : sessions) {
        byLane.computeIfAbsent(s.lane(), k -> new ArrayList<>()).add(s);
        reached++;
      }
    }
    byLane.forEach((lane, sessions) -> run(lane, m, () -> {
      for (Session s : sessions) {
        s.send(m);
      }
    }));
    return new Delivery(reachedUsers, reached);
  }

  private Delivery deliverToChannel(String channel, String except, Message m) {
    SessionIndex.ChannelState state = index.channel(channel);
    if (state == null) {
      return Delivery.NONE;
    }
    for (Lane lane : index.lanes()) {
      run(lane, m, () -> {
        Set<Session> subscribers = lane.channels.get(channel);
        if (subscribers != null) {
          for (Session s : subscribers) {
            if (except == null || !except.equals(s.id())) {
              s.send(m);
            }
          }
        }
      });
    }
    return new Delivery(-1, state.count);
  }

  private Delivery deliverToAll(Set<String> excluded, Message m) {
    int excludedUsers = 0;
    int excludedConnections = 0;
    for (String id : excluded) {
      Session[] sessions = index.sessions(id);
      if (sessions != null) {
        excludedUsers++;
        excludedConnections += sessions.length;
      }
    }
    for (Lane lane : index.lanes()) {
      run(lane, m, () -> {
        for (Session s : lane.sessions) {
          if (s.anonymous()) {
            continue;
          }
          if (excluded.isEmpty() || !excluded.contains(s.userId().value())) {
            s.send(m);
          }
        }
      });
    }
    return new Delivery(index.userCount() - excludedUsers, index.connectionCount() - excludedConnections);
  }

  /** Numbered messages always queue (see {@link Lane#queue}); others may run at once. */
  private static void run(Lane lane, Message m, Runnable task) {
    if (m.offset() >= 0) {
      lane.queue(task);
    } else {
      lane.execute(task);
    }
  }

  /** Closes the users' sessions on this node as kicked; returns how many. */
  int disconnect(Route.Disconnect route) {
    int closed = 0;
    for (String id : route.userIds()) {
      Session[] sessions = index.sessions(id);
      if (sessions != null) {
        for (Session s : sessions) {
          s.close(CloseCode.KICKED);
          closed++;
        }
      }
    }
    return closed;
  }
}
