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

  /** Writes a frame object through the pipeline's encoder (control frames); flushed like {@link #write}. */
  void writeFrame(Object frame);

  /** Sends everything written since the last flush; called by the loop's writer. */
  void flush();
}
