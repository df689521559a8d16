package io.herald.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * One WebSocket protocol served on the main port: the router hands it every upgrade request for
 * its path ({@link HttpRequestHandler} keeps the table of paths). It authenticates, completes the
 * handshake, puts its stage at the end of the pipeline ({@link ConnectionPipeline#upgraded}) and
 * opens its session.
 */
interface WebSocketEndpoint {

  /** True when this endpoint serves {@code path}. */
  boolean serves(String path);

  /** Takes over a GET with {@code Upgrade: websocket} on one of its paths; on the channel's loop. */
  void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri);
}
