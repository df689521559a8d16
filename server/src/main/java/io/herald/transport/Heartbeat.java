package io.herald.transport;

import io.herald.metrics.Metrics;
import io.herald.protocol.CloseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat policy of one Herald-protocol connection: a WebSocket ping when the connection has
 * been quiet for {@code heartbeat.interval} (nothing read from the client and no ping sent in that
 * time: a client that heartbeats on its own is not pinged), and close 4003 when the client has sent
 * nothing for {@code heartbeat.timeout}. Any frame from the client counts as a sign of life. Event
 * loop only.
 */
final class Heartbeat implements HeartbeatSweep.Member {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final NettySession session;
  private final LoopWriter writer;
  private final WsSettings settings;
  private final Metrics metrics;
  private long lastReadNanos;
  private long lastPingNanos;
  private int sweepSlot = -1;

  Heartbeat(NettySession session, LoopWriter writer, WsSettings settings, Metrics metrics, long nowNanos) {
    this.session = session;
    this.writer = writer;
    this.settings = settings;
    this.metrics = metrics;
    this.lastReadNanos = nowNanos;
    this.lastPingNanos = nowNanos;
  }

  /** The client sent a frame at {@code now}. */
  void read(long now) {
    lastReadNanos = now;
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
    if (now - lastReadNanos > settings.heartbeatTimeoutNanos()) {
      log.debug("heartbeat timeout for {}", session);
      metrics.heartbeatTimeout();
      session.close(CloseCode.HEARTBEAT_TIMEOUT);
    } else if (now - Math.max(lastPingNanos, lastReadNanos) >= settings.heartbeatIntervalNanos()) {
      lastPingNanos = now;
      session.sink().write(WireFrames.ping());
    }
  }
}
