package io.herald.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
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
 * <p>A WebSocket upgrade: before the handshake answers, "ws", the protocol's stage
 * ({@link WsFrameHandler}), goes in after "router" ({@link #upgrading}), so that frames a client
 * sends right behind the 101 find it whenever they are read (with io_uring a read can complete
 * before the 101's write does). The handshaker adds its "wsdecoder" (configured by
 * {@link #decoderConfig}) and "wsencoder" and drops "body", then "http"; once the 101 is written,
 * "router" and "wsencoder" go too ({@link #answered}, {@link #upgraded}): every frame the server
 * writes is already encoded ({@link WireFrames}), and the protocol's stage checks that text is
 * UTF-8 (close 1007). An idle connection keeps four stages: head, "wsdecoder", "ws" and tail, plus
 * "tls" with TLS.
 *
 * <p>A fragmented message ({@link #fragmented}): "fragments" (joins continuation frames up to
 * {@code limits.max_frame_bytes}) goes in before "ws" when the first one arrives. Clients rarely
 * fragment, so idle connections do not carry the stage and its context.
 *
 * <p>Authenticated ({@link #authenticated}): "idle" goes, since the heartbeat sweep takes over.
 */
final class ConnectionPipeline extends ChannelInitializer<SocketChannel> {
  static final String TLS = "tls";
  static final String IDLE = "idle";
  static final String ROUTER = "router";
  static final String FRAGMENTS = "fragments";
  static final String WS = "ws";
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

  /** The decoder configuration of the last settings seen: one instance for all connections opened under them. */
  private static volatile DecoderConfig lastDecoderConfig;

  private record DecoderConfig(WsSettings settings, WebSocketDecoderConfig config) {
  }

  /**
   * How the handshaker's WebSocket decoder reads frames. On a protocol violation (a frame over
   * the limit, a bad close code) it reports and then drops the rest of the input; the stage
   * answers with the close code and half-closes ({@link #shutdownOutput}).
   */
  static WebSocketDecoderConfig decoderConfig(WsSettings settings) {
    DecoderConfig last = lastDecoderConfig;
    if (last == null || !last.settings().equals(settings)) {
      last = new DecoderConfig(settings, newDecoderConfig(settings));
      lastDecoderConfig = last;
    }
    return last.config();
  }

  private static WebSocketDecoderConfig newDecoderConfig(WsSettings settings) {
    return WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(settings.maxFrameBytes())
        .allowExtensions(false)
        .closeOnProtocolViolation(false)
        .withUTF8Validator(false) // the protocol's stage checks text frames (WireFrames.isUtf8)
        .build();
  }

  /** Before the handshake: the protocol's stage goes in behind the router. */
  static void upgrading(ChannelPipeline p, ChannelHandler stage) {
    p.addLast(WS, stage);
  }

  /**
   * After a successful handshake, for a stage that was not put in before it (the Pusher protocol):
   * the router and the encoder give way to "fragments" and {@code stage}.
   */
  static void upgraded(ChannelPipeline p, WsSettings settings, ChannelHandler stage) {
    p.remove(ROUTER);
    removeEncoder(p);
    p.addLast(FRAGMENTS, new WebSocketFrameAggregator(settings.maxFrameBytes()));
    p.addLast(WS, stage);
  }

  /**
   * The 101 is written: the router goes (it passes frames on meanwhile: it only takes HTTP
   * requests), and so does the handshaker's encoder.
   */
  static void answered(ChannelPipeline p) {
    if (p.get(ROUTER) != null) {
      p.remove(ROUTER);
    }
    removeEncoder(p);
  }

  private static void removeEncoder(ChannelPipeline p) {
    if (p.get(WebSocketFrameEncoder.class) != null) {
      p.remove(WebSocketFrameEncoder.class);
    }
  }

  /** Passes a frame to the stages after the WebSocket decoder, as if just read. */
  static void refire(ChannelPipeline p, Object frame) {
    p.context(WebSocketFrameDecoder.class).fireChannelRead(frame);
  }

  /**
   * The first fragment of a message reached "ws": puts "fragments" in front of it and passes the
   * frame (and its ownership) to it, so this and the following fragments arrive joined.
   */
  static void fragmented(ChannelPipeline p, WsSettings settings, Object firstFragment) {
    p.addBefore(WS, FRAGMENTS, new WebSocketFrameAggregator(settings.maxFrameBytes()));
    refire(p, firstFragment);
  }

  /** True once "fragments" is in the pipeline. */
  static boolean joinsFragments(ChannelPipeline p) {
    return p.get(FRAGMENTS) != null;
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
