package io.herald.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.unix.Socket;
import io.netty.handler.ssl.SslHandler;

/**
 * A {@link FrameSink} on a Netty channel, for use on the channel's event loop only. Pre-encoded
 * frames skip the pipeline: without TLS they go to the channel's {@code Unsafe} directly, which on
 * the channel's own loop is exactly what the pipeline's head does, minus the per-call checks and
 * the context walk (measured: about 15% more deliveries per server CPU-second, BENCHMARKS.md).
 * With TLS the {@code SslHandler} must see every byte, so they enter at the protocol stage's
 * context, which passes them straight to it (the frames are encoded: {@link WireFrames}).
 *
 * <p>On epoll, the commonest case at moderate load, one frame for a connection with nothing else
 * waiting, goes further: the frame is held until the flush and then handed to the socket with one
 * {@code send}, as a C server would, skipping Netty's outbound buffer (its entry, flush
 * bookkeeping and write loop). Whatever the kernel does not take, and any second frame in the same
 * iteration, goes through the {@code Unsafe} as before, so bursts still leave in one
 * {@code writev} and a full socket still waits for {@code EPOLLOUT} in Netty's buffer, in order.
 */
final class ChannelSink implements FrameSink {
  private final Channel channel;
  private final LoopWriter writer;
  private final ChannelOutboundInvoker out;
  /** Null when TLS is on. */
  private final Channel.Unsafe direct;
  /** The socket for single-frame sends; null unless epoll without TLS. */
  private final Socket socket;
  /** A frame written in this iteration and not yet given to Netty; only when {@link #socket} is set. */
  private ByteBuf held;
  private boolean dirty;

  /** Call once the protocol's stage ({@link ConnectionPipeline#WS}) is in the pipeline. */
  ChannelSink(Channel channel, LoopWriter writer) {
    this.channel = channel;
    this.writer = writer;
    ChannelHandlerContext stage = channel.pipeline().context(ConnectionPipeline.WS);
    this.out = stage != null ? stage : channel;
    this.direct = channel.pipeline().get(SslHandler.class) == null ? channel.unsafe() : null;
    this.socket = direct != null && channel instanceof AbstractEpollStreamChannel epoll
        && epoll.fd() instanceof Socket s ? s : null;
  }

  @Override
  public void write(ByteBuf frame) {
    if (socket != null) {
      if (!dirty && frame.hasMemoryAddress()) {
        held = frame;
      } else {
        queueHeld();
        direct.write(frame, channel.voidPromise());
      }
    } else if (direct != null) {
      direct.write(frame, channel.voidPromise());
    } else {
      out.write(frame, channel.voidPromise());
    }
    written();
  }

  @Override
  public void writeShared(ByteBuf frame) {
    if (socket != null && !dirty && frame.hasMemoryAddress()) {
      held = frame; // sent from the shared bytes at the flush, or duplicated if it must queue
      written();
    } else {
      FrameSink.super.writeShared(frame);
    }
  }

  private void written() {
    if (!dirty) {
      dirty = true;
      writer.flushAtEndOfIteration(this);
    }
  }

  @Override
  public void queueHeld() {
    if (held != null) {
      ByteBuf frame = held;
      held = null;
      queue(frame, 0);
    }
  }

  /**
   * Gives Netty's outbound buffer the bytes of a held frame from {@code offset} on, as a slice of
   * its own (the frame may be shared with other connections), and drops the held reference.
   */
  private void queue(ByteBuf frame, int offset) {
    direct.write(frame.retainedSlice(frame.readerIndex() + offset, frame.readableBytes() - offset), channel.voidPromise());
    frame.release();
  }

  @Override
  public void flush() {
    dirty = false;
    if (held != null) {
      ByteBuf frame = held;
      held = null;
      int sent = sendNow(frame);
      if (sent == frame.readableBytes()) {
        frame.release();
        return;
      }
      queue(frame, sent);
    }
    if (direct != null) {
      direct.flush();
    } else {
      out.flush();
    }
  }

  /**
   * Sends what it can of {@code frame} with one system call when nothing is queued before it, and
   * returns how many bytes the kernel took (0 when it did not try, the socket was full, or the
   * send failed: Netty's write of the rest then meets the same error and closes the channel its
   * usual way). Leaves the frame, possibly shared, untouched.
   */
  private int sendNow(ByteBuf frame) {
    ChannelOutboundBuffer queued = direct.outboundBuffer();
    // Checked on the loop that closes the channel: an open channel's descriptor is still its own.
    if (queued == null || !queued.isEmpty() || queued.totalPendingWriteBytes() != 0 || !channel.isActive()
        || ((AbstractEpollStreamChannel) channel).isOutputShutdown()) {
      return 0;
    }
    try {
      return Math.max(0, socket.sendAddress(frame.memoryAddress(), frame.readerIndex(), frame.writerIndex()));
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
