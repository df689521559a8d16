package io.herald.transport;

import io.netty.buffer.ByteBuf;

/**
 * One connection's socket as its loop's {@link LoopWriter} sees it: somewhere to write encoded
 * WebSocket frames, flushed once at the end of the loop iteration. Protocol-neutral: any protocol's
 * session writes its frames through one.
 */
interface FrameSink {

  /** Writes an encoded frame, taking ownership of {@code frame}; it leaves at the next {@link #flush}. */
  void write(ByteBuf frame);

  /**
   * As {@link #write}, for a frame shared with other connections ({@link LoopWriter#frameFor}):
   * takes one reference and never moves the frame's indices.
   */
  default void writeShared(ByteBuf frame) {
    ByteBuf own = frame.retainedDuplicate();
    frame.release();
    write(own);
  }

  /**
   * Puts every frame written so far into the channel's own outbound buffer, so a frame written
   * past the sink (a close frame, written and flushed at once) leaves after them. A sink that holds no
   * frames outside that buffer does nothing.
   */
  default void queueHeld() {
  }

  /** Sends everything written since the last flush; called by the loop's writer. */
  void flush();
}
