package io.herald.transport;

import io.herald.pusher.PusherContext;
import io.herald.pusher.PusherGate;
import io.herald.pusher.PusherSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;

/**
 * The Pusher protocol's WebSocket endpoint, {@code /app/{key}?protocol=7} (served only when a
 * Pusher app is configured). It always upgrades, then refuses with a Pusher close code when the
 * app or the protocol version is wrong ({@link PusherGate}): browsers cannot read an HTTP status,
 * pusher-js reads close codes. There is no token: channels are authorized one by one.
 */
final class PusherEndpoint implements WebSocketEndpoint {
  static final String PREFIX = "/app/";

  private final TransportContext context;
  private final PusherContext pusher;

  PusherEndpoint(TransportContext context, PusherContext pusher) {
    this.context = context;
    this.pusher = pusher;
  }

  @Override
  public boolean serves(String path) {
    return path.startsWith(PREFIX) && path.length() > PREFIX.length();
  }

  @Override
  public void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
    WsSettings settings = context.settings();
    String scheme = ConnectionPipeline.isTls(ctx.pipeline()) ? "wss://" : "ws://";
    String location = scheme + req.headers().get(HttpHeaderNames.HOST, "localhost") + uri.path();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(location, null, ConnectionPipeline.decoderConfig(settings)).newHandshaker(req);
    Channel channel = ctx.channel();
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
      return;
    }
    String key = uri.path().substring(PREFIX.length());
    List<String> protocol = uri.parameters().get("protocol");
    PusherFrameHandler handler = new PusherFrameHandler(channel, context.hub(), context.writers().get(channel.eventLoop()),
        context.sweeps().get(channel.eventLoop()), settings, context.metrics());
    ChannelPipeline pipeline = ctx.pipeline();
    handshaker.handshake(channel, req).addListener(f -> {
      if (!f.isSuccess()) {
        channel.close();
        return;
      }
      ConnectionPipeline.upgraded(pipeline, settings, handler);
      ConnectionPipeline.authenticated(pipeline);
      PusherGate.Verdict verdict = PusherGate.admit(pusher, key, protocol == null || protocol.isEmpty() ? null : protocol.get(0));
      if (verdict.refused()) {
        handler.refuse(verdict.code(), verdict.message());
      } else {
        handler.open(new PusherSession(pusher, verdict.app(), handler));
      }
    });
  }
}
