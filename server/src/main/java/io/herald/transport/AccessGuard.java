package io.herald.transport;

import io.herald.auth.Glob;
import io.herald.config.ServerConfig;
import io.herald.metrics.Metrics;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who may connect, checked by the router before anything else is done for a request. A WebSocket
 * upgrade, for every WebSocket endpoint: the {@code Origin} against {@code ws.allowed_origins}
 * (403), then the client address against the per-address limits (429). An admin request: the
 * client address against {@code api.allowed_addresses} (403). A refusal is an HTTP answer, so a
 * refused upgrade costs no WebSocket, which is what a limit under attack needs. Costs nothing per
 * request while the checks are off.
 */
final class AccessGuard {
  /** An HTTP refusal: the status and the envelope's message. */
  record Refusal(int status, String message) {
  }

  private static final int EVICT_EVERY = 1024;

  private final Metrics metrics;
  private final AddressLimiter limiter = new AddressLimiter();
  private final AtomicLong acquired = new AtomicLong();
  private volatile ServerConfig.Guard config;

  AccessGuard(ServerConfig.Guard config, Metrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  /** A reload: later upgrades see the new lists and limits; open connections keep their slots. */
  void reload(ServerConfig.Guard next) {
    this.config = next;
  }

  /**
   * Null when the upgrade may go ahead; then, with per-address limits on, the channel holds one
   * slot of its address until it closes. On the channel's event loop.
   */
  Refusal upgrade(Channel channel, HttpHeaders headers) {
    ServerConfig.Guard g = config;
    String origin = headers.get(HttpHeaderNames.ORIGIN);
    if (origin != null && !g.allowedOrigins().isEmpty() && !originAllowed(g, origin)) {
      metrics.upgradeRefused("origin");
      return new Refusal(403, "origin not allowed: " + shorten(origin));
    }
    if (g.maxConnectionsPerAddress() == 0 && g.handshakesPerSecondPerAddress() == 0) {
      return null;
    }
    InetAddress client = ClientAddress.of(channel.remoteAddress(), headers.get("X-Forwarded-For"), g.trustedProxies());
    if (client == null) {
      return null;
    }
    long now = System.nanoTime();
    if (acquired.incrementAndGet() % EVICT_EVERY == 0) {
      limiter.evictIdle(now);
    }
    AddressLimiter.Refusal refused = limiter.acquire(client, g.maxConnectionsPerAddress(),
        g.handshakesPerSecondPerAddress(), g.handshakeBurstPerAddress(), now);
    if (refused == AddressLimiter.Refusal.CONNECTIONS) {
      metrics.upgradeRefused(refused.label);
      return new Refusal(429, "too many connections from this address: at most " + g.maxConnectionsPerAddress());
    }
    if (refused == AddressLimiter.Refusal.HANDSHAKE_RATE) {
      metrics.upgradeRefused(refused.label);
      return new Refusal(429, "too many connection attempts from this address: at most "
          + g.handshakesPerSecondPerAddress() + " per second; retry later");
    }
    channel.closeFuture().addListener(f -> limiter.release(client, System.nanoTime()));
    return null;
  }

  /** Null when the client may call the admin API (it still needs the key); else a 403. */
  Refusal admin(Channel channel, HttpHeaders headers) {
    ServerConfig.Guard g = config;
    if (g.adminAddresses().isEmpty()) {
      return null;
    }
    InetAddress client = ClientAddress.of(channel.remoteAddress(), headers.get("X-Forwarded-For"), g.trustedProxies());
    if (client != null && g.adminAddresses().contains(client)) {
      return null;
    }
    return new Refusal(403, "forbidden: the admin API does not answer this address");
  }

  static boolean originAllowed(ServerConfig.Guard g, String origin) {
    String o = origin.toLowerCase(Locale.ROOT);
    for (String glob : g.allowedOrigins()) {
      if (glob.equals("*") || Glob.matches(glob.toLowerCase(Locale.ROOT), o)) {
        return true;
      }
    }
    return false;
  }

  /** Addresses currently tracked by the per-address limits. */
  int trackedAddresses() {
    return limiter.size();
  }

  private static String shorten(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }
}
