package io.herald.loadtool.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Just enough of Herald's contract to drive the load tool in tests: HS256 check with close 4001,
 * {@code connected}, {@code subscribe}, and pushes to channels from the test thread. Admin pushes
 * can be answered late ({@link #answerAfter}) and kept from the subscribers ({@link #deliverPushes}).
 */
public final class FakePushServer implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Map<String, ChannelGroup> channels = new ConcurrentHashMap<>();
  private final ObjectMapper json = new ObjectMapper();
  private final MACVerifier verifier;
  private final Channel server;
  private volatile Duration answerDelay = Duration.ZERO;
  private volatile boolean deliverPushes = true;

  public FakePushServer(String secret) throws Exception {
    verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec());
            ch.pipeline().addLast(new HttpObjectAggregator(65536));
            ch.pipeline().addLast(new WebSocketServerProtocolHandler("/ws", null, false, 65536, false, true));
            ch.pipeline().addLast(new AdminHandler());
            ch.pipeline().addLast(new FrameHandler());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Sends one benchmark message to every subscriber of {@code channel}. */
  public void push(String channel, long seq, long sentAtMicros) {
    ChannelGroup subscribers = channels.get(channel);
    if (subscribers != null) {
      subscribers.writeAndFlush(new TextWebSocketFrame("{\"type\":\"bench\",\"channel\":\"" + channel
          + "\",\"data\":{\"hb_seq\":" + seq + ",\"hb_ts\":" + sentAtMicros + "}}"));
    }
  }

  /** Admin pushes are answered this long after they arrived (and delivered at once, if at all). */
  public void answerAfter(Duration delay) {
    answerDelay = delay;
  }

  /** Whether admin pushes reach the subscribers; they are answered OK either way. */
  public void deliverPushes(boolean deliver) {
    deliverPushes = deliver;
  }

  public int subscribers(String channel) {
    ChannelGroup subscribers = channels.get(channel);
    return subscribers == null ? 0 : subscribers.size();
  }

  @Override
  public void close() throws InterruptedException {
    server.close().sync();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
  }

  /**
   * POST /admin/websocket/send-to-channel. Every third answer on a connection says
   * "Connection: close" and closes it, as Tomcat does after maxKeepAliveRequests.
   */
  private final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    // only accessed on this connection's event loop
    private int answered;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
      JsonNode body = json.readTree(request.content().toString(StandardCharsets.UTF_8));
      String channel = body.path("channel").asText();
      if (deliverPushes) {
        push(channel, body.path("data").path("hb_seq").asLong(), body.path("data").path("hb_ts").asLong());
      }
      Duration delay = answerDelay;
      if (delay.isZero()) {
        answer(ctx, channel);
      } else {
        ctx.executor().schedule(() -> answer(ctx, channel), delay.toNanos(), TimeUnit.NANOSECONDS);
      }
    }

    private void answer(ChannelHandlerContext ctx, String channel) {
      byte[] answer = ("{\"code\":200,\"message\":\"success\",\"data\":{\"channel\":\"" + channel + "\"}}")
          .getBytes(StandardCharsets.UTF_8);
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          Unpooled.wrappedBuffer(answer));
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.length);
      boolean last = ++answered % 3 == 0;
      if (last) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      ChannelFuture written = ctx.writeAndFlush(response);
      if (last) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  private final class FrameHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
        QueryStringDecoder query = new QueryStringDecoder(handshake.requestUri());
        String userId = query.parameters().get("user_id").get(0);
        SignedJWT token = SignedJWT.parse(query.parameters().get("token").get(0));
        if (!token.verify(verifier) || !userId.equals(token.getJWTClaimsSet().getSubject())) {
          ctx.writeAndFlush(new CloseWebSocketFrame(4001, "unauthorized")).addListener(f -> ctx.close());
          return;
        }
        ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"connected\",\"data\":{\"user_id\":" + userId
            + ",\"connection_id\":\"c\",\"heartbeat_interval\":30}}"));
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws Exception {
      JsonNode message = json.readTree(frame.text());
      if ("subscribe".equals(message.path("type").asText())) {
        String channel = message.path("data").path("channel").asText();
        channels.computeIfAbsent(channel, k -> new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)).add(ctx.channel());
        ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"subscribed\",\"data\":{\"channel\":\"" + channel + "\"}}"));
      }
    }
  }
}
