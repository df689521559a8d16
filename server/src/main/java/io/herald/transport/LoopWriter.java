package io.herald.transport;

import io.herald.hub.Lane;
import io.herald.protocol.Message;
import io.herald.protocol.ServerFrames;
import io.herald.metrics.Metrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import java.util.ArrayList;

/**
 * One event loop's outbound side. It encodes each message into a WebSocket frame once for all of
 * the loop's recipients, and flushes every connection written in this loop iteration once, at the
 * end of the iteration, so a burst of messages leaves in one {@code writev} per connection. It
 * writes to {@link FrameSink}s, whichever protocol's session owns them.
 *
 * <p>Everything here is confined to the loop's thread.
 */
final class LoopWriter {
  private final EventLoop loop;
  private final Lane lane;

  /** How many times in a row a flush may wait for queued tasks before it must go out. */
  static final int MAX_FLUSH_DEFERRALS = 4;

  private final Runnable flushTask = this::flushDirty;
  private final Runnable deferredFlush = () -> ((SingleThreadEventLoop) loop()).executeAfterEventLoopIteration(flushTask);
  private final ArrayList<FrameSink> dirty = new ArrayList<>();

  // Only accessed on this loop's thread.
  private Message cachedMessage;
  private ByteBuf cachedFrame;
  private int cachedTypeIndex;
  // The same for another protocol's encoding (the Pusher protocol's frames).
  private Message cachedOtherMessage;
  private ByteBuf cachedOtherFrame;
  private int cachedOtherTypeIndex;
  private boolean flushScheduled;
  private long stampSecond = -1;
  private Message pong;
  private Message ack;
  private int deferrals;
  /** Frames written, by {@link Metrics#FRAME_OUT_TYPES} index; read unsynchronized by the scrape. */
  final long[] framesOut = new long[Metrics.FRAME_OUT_TYPES.size()];
  /** Connections flushed; read unsynchronized by the scrape. */
  long flushes;

  LoopWriter(EventLoop loop, Lane lane) {
    this.loop = loop;
    this.lane = lane;
  }

  EventLoop loop() {
    return loop;
  }

  Lane lane() {
    return lane;
  }

  /**
   * A new reference to the encoded frame of {@code m}, shared by every recipient on this loop: its
   * indices must not move, so the caller hands it to {@link FrameSink#writeShared}.
   */
  ByteBuf frameFor(Message m) {
    if (m != cachedMessage) {
      if (cachedFrame != null) {
        cachedFrame.release();
      }
      cachedFrame = WireFrames.text(ByteBufAllocator.DEFAULT, m.json());
      cachedMessage = m;
      cachedTypeIndex = Metrics.frameOutIndex(m.type());
      scheduleFlush();
    }
    framesOut[cachedTypeIndex]++;
    return cachedFrame.retain();
  }

  /**
   * As {@link #frameFor(Message)}, for a connection of another wire protocol: the message's
   * encoding in {@code format} (made once per message), framed once per loop.
   */
  ByteBuf frameFor(Message m, Message.Format format) {
    if (m != cachedOtherMessage) {
      if (cachedOtherFrame != null) {
        cachedOtherFrame.release();
      }
      cachedOtherFrame = WireFrames.text(ByteBufAllocator.DEFAULT, m.encoded(format));
      cachedOtherMessage = m;
      cachedOtherTypeIndex = Metrics.frameOutIndex(m.type());
      scheduleFlush();
    }
    framesOut[cachedOtherTypeIndex]++;
    return cachedOtherFrame.retain();
  }

  /** A frame for one connection only (a reply made for it); the caller writes it. */
  ByteBuf frameFor(byte[] json) {
    return WireFrames.text(ByteBufAllocator.DEFAULT, json);
  }

  /** The {@code pong} frame of this second, serialized once per second on this loop. */
  Message pong(long epochSecond) {
    stamp(epochSecond);
    return pong != null ? pong : (pong = ServerFrames.pong(epochSecond));
  }

  /** The {@code heartbeat_ack} frame of this second: heartbeats are most of what idle connections send. */
  Message heartbeatAck(long epochSecond) {
    stamp(epochSecond);
    return ack != null ? ack : (ack = ServerFrames.heartbeatAck(epochSecond));
  }

  private void stamp(long epochSecond) {
    if (epochSecond != stampSecond) {
      stampSecond = epochSecond;
      pong = null;
      ack = null;
    }
  }

  /** Registers a sink with unflushed writes; it is flushed at the end of this iteration. Once per flush. */
  void flushAtEndOfIteration(FrameSink sink) {
    dirty.add(sink);
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      if (loop instanceof SingleThreadEventLoop single) {
        single.executeAfterEventLoopIteration(flushTask);
      } else {
        loop.execute(flushTask);
      }
    }
  }

  private void flushDirty() {
    if (deferrals < MAX_FLUSH_DEFERRALS && loop instanceof SingleThreadEventLoop single
        && single.pendingTasks() > 1) {
      // More work is already queued (publishes from other loops): let it join this batch, so each
      // connection gets one writev for all of it. Idle loops flush at once, adding no latency.
      deferrals++;
      loop.execute(deferredFlush);
      return;
    }
    deferrals = 0;
    flushScheduled = false;
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flush();
    }
    flushes += dirty.size();
    dirty.clear();
    if (cachedFrame != null) {
      cachedFrame.release();
      cachedFrame = null;
      cachedMessage = null;
    }
    if (cachedOtherFrame != null) {
      cachedOtherFrame.release();
      cachedOtherFrame = null;
      cachedOtherMessage = null;
    }
  }
}
