package io.herald.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every stage of a connection, in order, in this one file.
 *
 * <p>A new connection ({@link #initChannel}): "tls" (only with TLS configured; the context is read
 * per connection, so a reloaded certificate serves new connections while open ones keep theirs),
 * "idle" (closes a connection that has not finished its handshake within
 * {@code ws.handshake_timeout}), "http" (the HTTP codec), "body" (aggregates a request body up to
 * {@code api.max_body_bytes}), "router" ({@link HttpRequestHandler}).
 *
 * <p>A WebSocket upgrade ({@link #upgraded}): the handshaker has replaced "http" by its "wsdecoder"
 * and "wsencoder" (configured by {@link #decoderConfig}) and dropped "body"; "router" gives way to
 * "utf8" (UTF-8 of text frames, close 1007), "fragments" (joins continuation frames up to
 * {@code limits.max_frame_bytes}) and "ws", the protocol's stage ({@link WsFrameHandler}).
 *
 * <p>Authenticated ({@link #authenticated}): "idle" goes, since the heartbeat sweep takes over.
 */
final class ConnectionPipeline extends ChannelInitializer<SocketChannel> {
  static final String TLS = "tls";
  static final String IDLE = "idle";
  static final String ROUTER = "router";
  static final int MAX_INITIAL_LINE = 8192;
  static final int MAX_HEADER_BYTES = 16384;
  private static final int MAX_CHUNK = 16384;

  private final HttpRequestHandler router;
  private final long handshakeTimeoutMillis;
  private final int maxBodyBytes;
  private final Supplier<SslContext> tls;

  ConnectionPipeline(HttpRequestHandler router, long handshakeTimeoutMillis, int maxBodyBytes,
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
      p.addLast(TLS, ssl.newHandler(ch.alloc()));
    }
    p.addLast(IDLE, new IdleStateHandler(0, 0, handshakeTimeoutMillis, TimeUnit.MILLISECONDS));
    p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK));
    p.addLast("body", new BodyLimitAggregator(maxBodyBytes));
    p.addLast(ROUTER, router);
  }

  /**
   * How the handshaker's WebSocket decoder reads frames. On a protocol violation (a frame over
   * the limit, a bad close code) it reports and then drops the rest of the input; the stage
   * answers with the close code and half-closes ({@link #shutdownOutput}).
   */
  static WebSocketDecoderConfig decoderConfig(WsSettings settings) {
    return WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(settings.maxFrameBytes())
        .allowExtensions(false)
        .closeOnProtocolViolation(false)
        .withUTF8Validator(true)
        .build();
  }

  /** After a successful handshake: the router gives way to the WebSocket stages ending in {@code stage}. */
  static void upgraded(ChannelPipeline p, WsSettings settings, ChannelHandler stage) {
    p.remove(ROUTER);
    p.addLast("utf8", new Utf8FrameValidator(false));
    p.addLast("fragments", new WebSocketFrameAggregator(settings.maxFrameBytes()));
    p.addLast("ws", stage);
  }

  /** The client is authenticated: the handshake deadline no longer applies. */
  static void authenticated(ChannelPipeline p) {
    if (p.get(IDLE) != null) {
      p.remove(IDLE);
    }
  }

  /**
   * Ends the sending side only: TLS close_notify, or a TCP FIN. The connection goes once the
   * client closes its side (the channel does not allow half-closure, so the end of its input
   * closes it) or when the close grace is up.
   */
  static void shutdownOutput(Channel channel) {
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    if (tls != null) {
      tls.closeOutbound();
    } else if (channel instanceof DuplexChannel duplex && channel.isActive()) {
      duplex.shutdownOutput();
    } else {
      channel.close();
    }
  }

  /** True when the connection is encrypted. */
  static boolean isTls(ChannelPipeline p) {
    return p.get(TLS) != null;
  }
}
