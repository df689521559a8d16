package io.herald.transport;

import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A connection's Netty stage as its loop's {@link LoopWriter} drives it, whatever the protocol:
 * flushed once at the end of a loop iteration, and ticked by the loop's periodic sweep.
 */
abstract class LoopConnection extends ChannelInboundHandlerAdapter {
  /** Only accessed on this connection's event loop: queued in the writer's dirty list. */
  boolean dirty;

  abstract void flush();

  /** The periodic sweep: pings and timeouts. */
  abstract void tick(long nowNanos);
}
