package io.herald.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline of a new connection, before any upgrade. A WebSocket upgrade swaps the HTTP codec
 * for the WebSocket codec and replaces "router" by "utf8", "fragments" and "ws"
 * ({@link WsFrameHandler}); "idle" goes once the connection is authenticated, since the
 * heartbeat sweep takes over. With TLS configured, "tls" comes first; the context is read per
 * connection, so a reloaded certificate serves new connections while open ones keep theirs.
 */
final class WsChannelInitializer extends ChannelInitializer<SocketChannel> {
  private static final int MAX_INITIAL_LINE = 8192;
  private static final int MAX_HEADER_BYTES = 16384;
  private static final int MAX_CHUNK = 16384;

  private final HttpRequestHandler router;
  private final long handshakeTimeoutMillis;
  private final int maxBodyBytes;
  private final Supplier<SslContext> tls;

  WsChannelInitializer(HttpRequestHandler router, long handshakeTimeoutMillis, int maxBodyBytes,
                       Supplier<SslContext> tls) {
    this.router = router;
    this.tls = tls;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    SslContext ssl = tls.get();
    if (ssl != null) {
      p.addLast("tls", ssl.newHandler(ch.alloc()));
    }
    p.addLast("idle", new IdleStateHandler(0, 0, handshakeTimeoutMillis, TimeUnit.MILLISECONDS));
    p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK));
    p.addLast("body", new BodyLimitAggregator(maxBodyBytes));
    p.addLast("router", router);
  }
}
