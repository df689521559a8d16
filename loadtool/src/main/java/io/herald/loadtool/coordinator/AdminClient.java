package io.herald.loadtool.coordinator;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A small keep-alive HTTP/1.1 client for the admin API: a fixed set of connections, one request
 * in flight on each. {@link #take} hands out an idle connection; it comes back when its answer
 * has been read, it failed and was closed, or it got no answer within the response timeout and
 * was closed.
 */
final class AdminClient implements AutoCloseable {
  static final int MAX_RESPONSE_BYTES = 1024 * 1024;
  static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  /** How one request ended. */
  enum Answer {
    /** A 200 envelope. */
    OK,
    /** An error status, or the request could not be sent, or the connection closed before the answer. */
    FAILED,
    /** No answer within the response timeout; the server may still have acted on the request. */
    TIMED_OUT
  }

  interface Outcome {
    /** {@code errorKind} says what went wrong when {@code answer} is {@link Answer#FAILED}, else it is null. */
    void done(Answer answer, String errorKind);
  }

  private final URI base;
  private final String authorization;
  private final String hostHeader;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final BlockingQueue<Connection> idle;
  private final long responseTimeoutNanos;

  AdminClient(URI base, String apiKey, int connections, Duration responseTimeout) {
    if (responseTimeout.isNegative() || responseTimeout.isZero()) {
      throw new IllegalArgumentException("response timeout must be > 0: " + responseTimeout);
    }
    this.base = base;
    this.responseTimeoutNanos = responseTimeout.toNanos();
    this.authorization = "Bearer " + apiKey;
    int port = base.getPort() > 0 ? base.getPort() : 80;
    this.hostHeader = base.getHost() + ":" + port;
    boolean epoll = Epoll.isAvailable();
    this.group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.bootstrap = new Bootstrap().group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
        .remoteAddress(base.getHost(), port);
    this.idle = new ArrayBlockingQueue<>(connections);
    for (int i = 0; i < connections; i++) {
      idle.add(new Connection());
    }
  }

  /** An idle connection, or null when none frees up within {@code timeoutMillis}. */
  Connection take(long timeoutMillis) throws InterruptedException {
    return idle.poll(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Waits until every connection is idle again (all answers in); false on timeout. */
  boolean awaitIdle(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (idle.remainingCapacity() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5); // answers arrive on the event loop; nothing to block on here
    }
    return true;
  }

  int busy() {
    return idle.remainingCapacity();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }

  /**
   * One keep-alive connection; (re)connects on first use after a failure, or after sitting idle
   * long enough that the server may be closing it (Node closes idle keep-alive after 5 s).
   */
  final class Connection {
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    // channel, pending and timer change together under this connection's lock: a late event of a
    // replaced channel (its close after "Connection: close") must never end the next request
    private Channel channel;
    private Outcome pending;
    private ScheduledFuture<?> timer;
    // only accessed by the pushing thread
    private long lastUsedNanos;

    /**
     * Posts {@code json} to {@code path}: relative to the admin base, or as is when it starts with
     * {@code /}; the connection returns to the pool when done.
     */
    void post(String path, byte[] json, Outcome outcome) {
      long now = System.nanoTime();
      boolean stale = now - lastUsedNanos > MAX_IDLE_NANOS;
      lastUsedNanos = now;
      ChannelFuture connect = null;
      Channel ch;
      synchronized (this) {
        if (channel != null && stale) {
          channel.close();
        }
        if (channel == null || stale || !channel.isActive()) {
          connect = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel sc) {
              sc.pipeline().addLast(new HttpClientCodec());
              sc.pipeline().addLast(new HttpObjectAggregator(MAX_RESPONSE_BYTES));
              sc.pipeline().addLast(new ResponseHandler(Connection.this));
            }
          }).connect();
          channel = connect.channel();
        }
        ch = channel;
        pending = outcome;
        // from the post, not from the last read: connecting counts, and an idle keep-alive
        // connection must not have spent part of the next request's time already
        timer = ch.eventLoop().schedule(() -> finish(ch, Answer.TIMED_OUT, null), responseTimeoutNanos,
            TimeUnit.NANOSECONDS);
      }
      if (connect == null) {
        write(ch, path, json);
      } else {
        connect.addListener(f -> {
          if (f.isSuccess()) {
            write(ch, path, json);
          } else {
            finish(ch, Answer.FAILED, f.cause().getClass().getSimpleName());
          }
        });
      }
    }

    private void write(Channel ch, String path, byte[] json) {
      FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
          path.startsWith("/") ? path : base.getRawPath() + path, Unpooled.wrappedBuffer(json));
      request.headers()
          .set(HttpHeaderNames.HOST, hostHeader)
          .set(HttpHeaderNames.AUTHORIZATION, authorization)
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
      ch.writeAndFlush(request).addListener(f -> {
        if (!f.isSuccess()) {
          ch.close();
          finish(ch, Answer.FAILED, f.cause().getClass().getSimpleName());
        }
      });
    }

    /**
     * Ends the request in flight on {@code from}. Events of a connection this one has already
     * replaced (a late close after "Connection: close") must not end the next request.
     */
    void finish(Channel from, Answer answer, String errorKind) {
      Outcome outcome;
      synchronized (this) {
        if (from != channel || pending == null) {
          return;
        }
        outcome = pending;
        pending = null;
        timer.cancel(false);
      }
      if (answer == Answer.TIMED_OUT) {
        // before the connection is handed out again: its late answer must not pass for the next request's
        from.close();
      }
      outcome.done(answer, errorKind);
      idle.add(this);
    }
  }

  private static final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Connection connection;

    ResponseHandler(Connection connection) {
      this.connection = connection;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      int status = response.status().code();
      String body = response.content().toString(StandardCharsets.UTF_8);
      // Herald's admin envelope, or the Pusher HTTP API's {} (an absolute path in post)
      boolean ok = status == 200 && (body.contains("\"code\":200") || body.equals("{}"));
      if (!HttpUtil.isKeepAlive(response)) {
        ctx.close(); // before finishing, so the next post sees an inactive channel and reconnects
      }
      connection.finish(ctx.channel(), ok ? Answer.OK : Answer.FAILED, ok ? null : "http " + status);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      connection.finish(ctx.channel(), Answer.FAILED, "connection closed before the answer");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // before finishing, as above
      connection.finish(ctx.channel(), Answer.FAILED, cause.getClass().getSimpleName());
    }
  }
}
