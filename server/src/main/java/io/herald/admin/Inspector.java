package io.herald.admin;

import io.herald.broker.Route;
import io.herald.hub.Delivery;
import io.herald.hub.Hub;
import io.herald.protocol.Message;
import io.herald.hub.MessageTap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The message inspector behind {@code GET /admin/websocket/inspect}: watchers of one user or one
 * channel see each message this node delivers to it (type, size, time, local delivery, the start
 * of the frame). It taps the hub only while someone watches, so it costs one volatile read per
 * message otherwise. Each watcher is capped: at most {@code eventsPerSecond} events a second and a
 * queue of as many; the rest are dropped and counted, so a busy channel cannot flood a page.
 *
 * <p>Threading: {@link #delivered} runs on publishing threads; a watcher is drained by its stream.
 */
public final class Inspector implements MessageTap {
  /** Bytes of the frame shown with each event. */
  public static final int PREVIEW_BYTES = 512;

  /** What a watcher follows. */
  public record Target(boolean channel, String id) {
    boolean matches(Route route) {
      if (route instanceof Route.ToChannel c) {
        return channel && c.channel().equals(id);
      }
      if (route instanceof Route.ToUsers u) {
        return !channel && u.userIds().contains(id);
      }
      if (route instanceof Route.ToAll a) {
        return !channel && !a.excludedUserIds().contains(id);
      }
      return false;
    }

    @Override
    public String toString() {
      return (channel ? "channel " : "user ") + id;
    }
  }

  private final Hub hub;
  private final IntSupplier maxWatchers;
  private final IntSupplier eventsPerSecond;
  private final List<Watch> watches = new CopyOnWriteArrayList<>();

  public Inspector(Hub hub, IntSupplier maxWatchers, IntSupplier eventsPerSecond) {
    this.hub = hub;
    this.maxWatchers = maxWatchers;
    this.eventsPerSecond = eventsPerSecond;
  }

  /** Starts watching; throws a 429 {@link ApiError} when the node has its maximum of watchers. */
  public synchronized Watch watch(Target target) {
    int max = maxWatchers.getAsInt();
    if (watches.size() >= max) {
      throw new ApiError(429, max == 0 ? "the message inspector is off (dashboard.inspector_watchers is 0)"
          : "too many inspector streams open on this node (dashboard.inspector_watchers is " + max + ")");
    }
    Watch w = new Watch(target, eventsPerSecond.getAsInt());
    watches.add(w);
    hub.tap(this);
    return w;
  }

  private synchronized void stop(Watch w) {
    watches.remove(w);
    if (watches.isEmpty()) {
      hub.tap(null);
    }
  }

  /** Streams open now. */
  public int watchers() {
    return watches.size();
  }

  @Override
  public void delivered(Route route, Message message, Delivery local) {
    Map<String, Object> event = null;
    for (Watch w : watches) {
      if (w.target.matches(route)) {
        if (event == null) {
          event = event(route, message, local);
        }
        w.offer(event);
      }
    }
  }

  private static Map<String, Object> event(Route route, Message m, Delivery local) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("time", System.currentTimeMillis());
    e.put("type", m.type());
    e.put("size", m.json().length);
    e.put("route", route instanceof Route.ToChannel ? "channel" : route instanceof Route.ToAll ? "all" : "users");
    if (route instanceof Route.ToUsers u) {
      e.put("recipients", u.userIds().size());
    }
    e.put("local_users", local.users());
    e.put("local_connections", local.connections());
    byte[] json = m.json();
    e.put("preview", new String(json, 0, Math.min(json.length, PREVIEW_BYTES), StandardCharsets.UTF_8));
    e.put("truncated", json.length > PREVIEW_BYTES);
    return e;
  }

  /** One watcher: a bounded queue, a per-second cap, and the count of what was dropped. */
  public final class Watch implements AutoCloseable {
    private final Target target;
    private final int perSecond;
    private final ArrayBlockingQueue<Map<String, Object>> queue;
    private final AtomicLong dropped = new AtomicLong();
    // guarded by this
    private long windowStart;
    private int inWindow;

    private Watch(Target target, int perSecond) {
      this.target = target;
      this.perSecond = perSecond;
      this.queue = new ArrayBlockingQueue<>(perSecond);
    }

    public Target target() {
      return target;
    }

    public int perSecond() {
      return perSecond;
    }

    private void offer(Map<String, Object> event) {
      boolean allowed;
      synchronized (this) {
        long second = System.nanoTime() / 1_000_000_000L;
        if (second != windowStart) {
          windowStart = second;
          inWindow = 0;
        }
        allowed = inWindow < perSecond;
        if (allowed) {
          inWindow++;
        }
      }
      if (!allowed || !queue.offer(event)) {
        dropped.incrementAndGet();
      }
    }

    /** Takes what is queued, oldest first. */
    public List<Map<String, Object>> drain() {
      List<Map<String, Object>> out = new ArrayList<>(queue.size());
      queue.drainTo(out);
      return out;
    }

    /** Events dropped so far (over the cap, or the queue was full). */
    public long dropped() {
      return dropped.get();
    }

    @Override
    public void close() {
      stop(this);
    }
  }
}
