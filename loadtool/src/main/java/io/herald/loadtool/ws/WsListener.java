package io.herald.loadtool.ws;

import io.netty.buffer.ByteBuf;

/** Callbacks of one {@link WsClientHandler}, all on the connection's event loop. */
public interface WsListener {
  /** The server answered 101 with the right accept key. */
  void onOpen(WsClientHandler connection);

  /** A complete text message; {@code utf8} is only valid during the call. */
  void onText(WsClientHandler connection, ByteBuf utf8);

  /**
   * The connection ended. {@code closeCode} is the server's close code, or 1006 when the socket
   * went away without a close frame; {@code reason} says what happened. Called exactly once.
   */
  void onClosed(WsClientHandler connection, int closeCode, String reason);
}
