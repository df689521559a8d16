package io.herald.transport;

import io.herald.auth.AuthException;
import io.herald.auth.AuthUnavailableException;
import io.herald.auth.BearerToken;
import io.herald.auth.Credentials;
import io.herald.auth.Principal;
import io.herald.protocol.CloseCode;
import io.herald.protocol.RecoveryRequest;
import io.herald.util.Failures;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Herald protocol's WebSocket endpoint, {@code /ws}: authenticates the token (query
 * {@code token} or {@code Authorization: Bearer}), upgrades at once so that a refusal can be the
 * close code 4001, and opens a {@link WsFrameHandler} once the token checks out.
 */
final class HeraldEndpoint implements WebSocketEndpoint {
  static final String PATH = "/ws";
  private static final Logger log = LoggerFactory.getLogger(HeraldEndpoint.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TransportContext context;
  /** One per event loop, made on the first upgrade the loop serves. */

  HeraldEndpoint(TransportContext context) {
    this.context = context;
  }

  @Override
  public boolean serves(String path) {
    return path.equals(PATH);
  }

  @Override
  public void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
    CompletionStage<Principal> auth = authenticate(uri, req, ctx.channel().remoteAddress());
    RecoveryRequest recovery = RecoveryRequest.fromQuery(name -> {
      java.util.List<String> values = uri.parameters().get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    });
    WsSettings settings = context.settings();
    String scheme = ConnectionPipeline.isTls(ctx.pipeline()) ? "wss://" : "ws://";
    String location = scheme + req.headers().get(HttpHeaderNames.HOST, "localhost") + PATH;
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(location, null, ConnectionPipeline.decoderConfig(settings)).newHandshaker(req);
    Channel channel = ctx.channel();
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
      return;
    }
    boolean pending = !auth.toCompletableFuture().isDone();
    if (pending) {
      channel.config().setAutoRead(false);
    }
    EventLoop loop = channel.eventLoop();
    WsFrameHandler handler = new WsFrameHandler(channel, context.hub(), context.writers().get(loop),
        context.sweeps().get(loop), settings, context.metrics(), context.clock(), context.authenticator());
    ChannelPipeline pipeline = ctx.pipeline();
    ConnectionPipeline.upgrading(pipeline, handler);
    handshaker.handshake(channel, req).addListener(f -> {
      if (!f.isSuccess()) {
        channel.close();
        return;
      }
      ConnectionPipeline.answered(pipeline);
      auth.whenComplete((principal, err) -> channel.eventLoop().execute(() -> {
        if (err == null) {
          open(channel, handler, principal, recovery);
        } else {
          reject(channel, err);
        }
        if (pending) {
          channel.config().setAutoRead(true);
        }
      }));
    });
  }

  /** The token check, or a refusal when {@code user_id} or {@code token} is given twice (issue 9, defect 6). */
  private CompletionStage<Principal> authenticate(QueryStringDecoder uri, FullHttpRequest req,
                                                  java.net.SocketAddress remote) {
    try {
      Credentials credentials = Credentials.from(uri.parameters(),
          BearerToken.from(req.headers().get(HttpHeaderNames.AUTHORIZATION)));
      return context.authenticator().get().authenticate(credentials.userId(), credentials.token(),
          remote(remote));
    } catch (AuthException ambiguous) {
      return CompletableFuture.failedFuture(ambiguous);
    }
  }

  /** {@code /127.0.0.1:5555} as {@code 127.0.0.1:5555}, for the auth proxy's {@code remote_addr}. */
  private static String remote(java.net.SocketAddress address) {
    String text = String.valueOf(address);
    return text.startsWith("/") ? text.substring(1) : text;
  }

  private void open(Channel channel, WsFrameHandler handler, Principal principal, RecoveryRequest recovery) {
    if (!channel.isActive()) {
      return;
    }
    ConnectionPipeline.authenticated(channel.pipeline());
    handler.open(channel.pipeline(), HexFormat.of().formatHex(randomBytes()), principal, recovery);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return b;
  }

  private void reject(Channel channel, Throwable err) {
    Throwable cause = Failures.cause(err);
    String reason;
    if (cause instanceof AuthUnavailableException) {
      // The auth proxy's application or the JWKS failed (logged where it was seen): not the client's fault.
      context.metrics().authFailure("unavailable");
      channel.writeAndFlush(WireFrames.close(channel.alloc(), CloseCode.TRY_AGAIN_LATER.code(), CloseCode.TRY_AGAIN_LATER.reason()))
          .addListener(f -> ConnectionPipeline.shutdownOutput(channel));
      return;
    }
    if (cause instanceof AuthException a) {
      context.metrics().authFailure(a.reason().label());
      reason = a.getMessage();
      log.info("rejected connection from {}: {}", channel.remoteAddress(), a.reason().label());
    } else {
      context.metrics().authFailure("error");
      reason = "token could not be checked";
      log.warn("token check failed for connection from {}", channel.remoteAddress(), cause);
    }
    // Half-closed like any close of ours (NettySession#close); the handshake timeout ("idle") cuts
    // a client that never closes its side.
    channel.writeAndFlush(WireFrames.close(channel.alloc(), CloseCode.UNAUTHORIZED.code(), "unauthorized: " + reason))
        .addListener(f -> ConnectionPipeline.shutdownOutput(channel));
  }
}
