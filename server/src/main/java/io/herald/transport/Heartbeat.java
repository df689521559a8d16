package io.herald.transport;

import io.herald.metrics.Metrics;
import io.herald.protocol.CloseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat policy of one Herald-protocol connection: a WebSocket ping when the connection has
 * been quiet for {@code heartbeat.interval} (nothing read from the client and no ping sent in that
 * time: a client that heartbeats on its own is not pinged), and close 4003 when the client has sent
 * nothing for {@code heartbeat.timeout}. Any frame from the client counts as a sign of life.
 *
 * <p>The sweep's tick is also the clock of the connection's credentials: the time their
 * {@link SessionAuth} next wants a check is kept here, beside the heartbeat's own times, so that a
 * tick reads one object per connection and a connection whose credentials do not expire pays one
 * comparison. Event loop only.
 */
final class Heartbeat implements HeartbeatSweep.Member {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final NettySession session;
  private final Metrics metrics;
  private final SessionAuth auth;
  private long lastReadNanos;
  private long lastPingNanos;
  /** When to call {@link SessionAuth#check}, as {@link System#nanoTime()}; {@link SessionAuth#NEVER}: not at all. */
  private long credentialsDueNanos = SessionAuth.NEVER;
  private int sweepSlot = -1;

  Heartbeat(NettySession session, Metrics metrics, SessionAuth auth, long nowNanos) {
    this.session = session;
    this.metrics = metrics;
    this.auth = auth;
    this.lastReadNanos = nowNanos;
    this.lastPingNanos = nowNanos;
  }

  /** The client sent a frame at {@code now}. */
  void read(long now) {
    lastReadNanos = now;
  }

  /** What the credentials asked for with {@link SessionAuth.Listener#checkAt}. */
  void checkCredentialsAt(long nanoTime) {
    credentialsDueNanos = nanoTime;
  }

  @Override
  public int sweepSlot() {
    return sweepSlot;
  }

  @Override
  public void sweepSlot(int slot) {
    sweepSlot = slot;
  }

  @Override
  public void tick(long now) {
    if (session.closing()) {
      return;
    }
    WsSettings settings = session.settings();
    if (now - lastReadNanos > settings.heartbeatTimeoutNanos()) {
      log.debug("heartbeat timeout for {}", session);
      metrics.heartbeatTimeout();
      session.close(CloseCode.HEARTBEAT_TIMEOUT);
      return;
    }
    if (now - Math.max(lastPingNanos, lastReadNanos) >= settings.heartbeatIntervalNanos()) {
      lastPingNanos = now;
      session.sink().write(WireFrames.ping());
    }
    // Compared directly, not by difference as nanoTime values usually are, so that NEVER is never
    // due; nanoTime does not wrap within a process's life.
    if (now >= credentialsDueNanos) {
      credentialsDueNanos = SessionAuth.NEVER; // check asks again when it wants another
      auth.check(now);
    }
  }
}
