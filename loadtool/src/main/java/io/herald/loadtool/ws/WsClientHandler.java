package io.herald.loadtool.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The whole client side of one WebSocket: sends the upgrade request, checks the answer, then
 * decodes frames, answers pings and closes. Text messages go to the {@link WsListener} as bytes,
 * so the hot path (a pushed message) is scanned without building a String.
 */
public final class WsClientHandler extends ByteToMessageDecoder {
  public static final int MAX_MESSAGE_BYTES = 1024 * 1024;
  static final int CLOSE_ABNORMAL = 1006;

  private enum State { HANDSHAKING, OPEN, CLOSED }

  private final String hostHeader;
  private final String pathAndQuery;
  private final WsListener listener;
  private final String key;
  // only accessed on this connection's event loop
  private State state = State.HANDSHAKING;
  private ByteBuf fragments;
  private Channel channel;

  public WsClientHandler(String hostHeader, String pathAndQuery, WsListener listener) {
    this.hostHeader = hostHeader;
    this.pathAndQuery = pathAndQuery;
    this.listener = listener;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.key = WsHandshake.newKey(random.nextLong(), random.nextLong());
  }

  public Channel channel() {
    return channel;
  }

  public boolean isOpen() {
    return state == State.OPEN;
  }

  /** Sends one text message; callable from any thread. */
  public void sendText(byte[] utf8) {
    send(WsFrames.OP_TEXT, utf8, true);
  }

  /** Starts a normal close (1000). */
  public void close() {
    if (state == State.OPEN) {
      send(WsFrames.OP_CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
    } else if (channel != null) {
      channel.close();
    }
  }

  private void send(int opcode, byte[] payload, boolean flush) {
    Channel ch = channel;
    if (ch == null) {
      return;
    }
    ByteBuf out = ch.alloc().buffer(payload.length + 14);
    WsFrames.writeMasked(out, opcode, payload, ThreadLocalRandom.current().nextInt());
    if (flush) {
      ch.writeAndFlush(out, ch.voidPromise());
    } else {
      ch.write(out, ch.voidPromise());
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    byte[] request = WsHandshake.request(hostHeader, pathAndQuery, key).getBytes(StandardCharsets.ISO_8859_1);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(request), ctx.voidPromise());
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (state == State.HANDSHAKING && !readHandshake(ctx, in)) {
      return;
    }
    while (state == State.OPEN) {
      WsFrames.Frame frame = WsFrames.read(in, MAX_MESSAGE_BYTES);
      if (frame == null) {
        return;
      }
      onFrame(ctx, frame);
    }
    if (state == State.CLOSED) {
      in.skipBytes(in.readableBytes());
    }
  }

  private boolean readHandshake(ChannelHandlerContext ctx, ByteBuf in) {
    WsHandshake.Response response = WsHandshake.readResponse(in);
    if (response == null) {
      return false;
    }
    if (response.status() != 101) {
      fail(ctx, CLOSE_ABNORMAL, "http " + response.status());
      return false;
    }
    if (!WsHandshake.expectedAccept(key).equals(response.accept())) {
      fail(ctx, CLOSE_ABNORMAL, "bad Sec-WebSocket-Accept");
      return false;
    }
    state = State.OPEN;
    listener.onOpen(this);
    return true;
  }

  private void onFrame(ChannelHandlerContext ctx, WsFrames.Frame frame) {
    switch (frame.opcode()) {
      case WsFrames.OP_TEXT, WsFrames.OP_BINARY -> {
        if (frame.fin()) {
          if (frame.opcode() == WsFrames.OP_TEXT) {
            listener.onText(this, frame.payload());
          }
        } else {
          fragments = ctx.alloc().heapBuffer(frame.payload().readableBytes() * 2);
          fragments.writeBytes(frame.payload());
        }
      }
      case WsFrames.OP_CONTINUATION -> onContinuation(ctx, frame);
      case WsFrames.OP_PING -> {
        byte[] payload = new byte[frame.payload().readableBytes()];
        frame.payload().getBytes(frame.payload().readerIndex(), payload);
        send(WsFrames.OP_PONG, payload, true);
      }
      case WsFrames.OP_PONG -> { }
      case WsFrames.OP_CLOSE -> onClose(ctx, frame.payload());
      default -> fail(ctx, 1002, "unknown opcode " + frame.opcode());
    }
  }

  private void onContinuation(ChannelHandlerContext ctx, WsFrames.Frame frame) {
    if (fragments == null) {
      fail(ctx, 1002, "continuation without a first frame");
      return;
    }
    if (fragments.readableBytes() + frame.payload().readableBytes() > MAX_MESSAGE_BYTES) {
      fail(ctx, 1009, "fragmented message exceeds " + MAX_MESSAGE_BYTES + " bytes");
      return;
    }
    fragments.writeBytes(frame.payload());
    if (frame.fin()) {
      ByteBuf message = fragments;
      fragments = null;
      try {
        listener.onText(this, message);
      } finally {
        message.release();
      }
    }
  }

  private void onClose(ChannelHandlerContext ctx, ByteBuf payload) {
    int code = payload.readableBytes() >= 2 ? payload.getUnsignedShort(payload.readerIndex()) : 1005;
    String reason = payload.readableBytes() > 2
        ? payload.toString(payload.readerIndex() + 2, payload.readableBytes() - 2, StandardCharsets.UTF_8)
        : "";
    byte[] echo = payload.readableBytes() >= 2 ? new byte[] {(byte) (code >>> 8), (byte) code} : new byte[0];
    ByteBuf out = ctx.alloc().buffer(echo.length + 6);
    WsFrames.writeMasked(out, WsFrames.OP_CLOSE, echo, ThreadLocalRandom.current().nextInt());
    ctx.writeAndFlush(out).addListener(f -> ctx.close());
    finish(code, reason.isEmpty() ? "closed by server" : reason);
  }

  private void fail(ChannelHandlerContext ctx, int code, String reason) {
    finish(code, reason);
    ctx.close();
  }

  private void finish(int code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
    listener.onClosed(this, code, reason);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    finish(CLOSE_ABNORMAL, state == State.HANDSHAKING ? "connection closed during handshake" : "connection lost");
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, CLOSE_ABNORMAL, cause.getClass().getSimpleName() + ": " + cause.getMessage());
  }
}
