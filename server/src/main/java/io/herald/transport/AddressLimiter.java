package io.herald.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-address limits on WebSocket upgrades: how many connections one client address holds open,
 * and how fast it may open new ones (a token bucket). IPv6 clients are counted by their /64
 * network, since one host usually holds a whole /64. Thread-safe: any event loop may ask.
 *
 * <p>Memory: one small entry per address with open connections or an unrefilled bucket; an
 * entry goes as soon as its address has no connection left and its bucket is full again (checked
 * when its connections close and by {@link #evictIdle}).
 */
final class AddressLimiter {
  /** Why an upgrade is refused. */
  enum Refusal {
    CONNECTIONS("connections_per_address"),
    HANDSHAKE_RATE("handshake_rate");

    final String label;

    Refusal(String label) {
      this.label = label;
    }
  }

  private static final class Entry {
    // Guarded by this entry's monitor.
    int connections;
    TokenBucket handshakes;
  }

  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

  /**
   * Takes one connection slot and one handshake token for {@code address}, or refuses. A limit of
   * 0 is off. On success the caller must {@link #release} the slot when the connection closes.
   */
  Refusal acquire(InetAddress address, int maxConnections, int handshakesPerSecond, int burst, long nowNanos) {
    Key key = Key.of(address);
    Refusal[] refusal = {null};
    entries.compute(key, (k, e) -> {
      Entry entry = e != null ? e : new Entry();
      synchronized (entry) {
        if (maxConnections > 0 && entry.connections >= maxConnections) {
          refusal[0] = Refusal.CONNECTIONS;
        } else if (handshakesPerSecond > 0 && !bucket(entry, handshakesPerSecond, burst, nowNanos).tryTake(nowNanos)) {
          refusal[0] = Refusal.HANDSHAKE_RATE;
        } else {
          entry.connections++;
        }
        return entry.connections == 0 && entry.handshakes == null ? null : entry;
      }
    });
    return refusal[0];
  }

  private static TokenBucket bucket(Entry entry, int perSecond, int burst, long nowNanos) {
    if (entry.handshakes == null || entry.handshakes.ratePerSecond() != perSecond || entry.handshakes.burst() != burst) {
      entry.handshakes = new TokenBucket(perSecond, burst, nowNanos);
    }
    return entry.handshakes;
  }

  /** Gives back the slot of a connection that closed. */
  void release(InetAddress address, long nowNanos) {
    entries.computeIfPresent(Key.of(address), (k, entry) -> {
      synchronized (entry) {
        entry.connections = Math.max(0, entry.connections - 1);
        return idle(entry, nowNanos) ? null : entry;
      }
    });
  }

  /** Drops the entries of addresses without connections whose bucket has refilled. */
  void evictIdle(long nowNanos) {
    entries.forEach((key, entry) -> entries.computeIfPresent(key, (k, e) -> {
      synchronized (e) {
        return idle(e, nowNanos) ? null : e;
      }
    }));
  }

  private static boolean idle(Entry entry, long nowNanos) {
    return entry.connections == 0 && (entry.handshakes == null || entry.handshakes.full(nowNanos));
  }

  /** Addresses currently tracked (for tests and metrics). */
  int size() {
    return entries.size();
  }

  /** An IPv4 address, or the /64 network of an IPv6 address. */
  private record Key(byte[] bytes) {
    static Key of(InetAddress address) {
      byte[] b = address.getAddress();
      return new Key(address instanceof Inet6Address ? Arrays.copyOf(b, 8) : b);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }
}
