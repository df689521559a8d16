package io.herald.transport;

import io.herald.config.ServerConfig;
import io.herald.hub.Lane;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side: one event-loop group (on the {@link SocketLayer} the {@code transport} key chose) serving the main port and, when
 * configured, a separate admin port. Each event loop is one hub {@link Lane} with its own
 * {@link LoopWriter}.
 */
public final class WsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WsServer.class);
  private static final int BACKLOG = 4096;
  /**
   * Sizes read buffers from what recent reads needed; stateless, so one instance serves every
   * connection (each channel would otherwise make its own, 32 bytes of heap per connection).
   */
  private static final RecvByteBufAllocator READ_BUFFERS = new AdaptiveRecvByteBufAllocator();

  private final ServerConfig config;
  private final EventLoopGroup group;
  private final SocketLayer layer;
  private final Map<EventLoop, LoopWriter> writers = new HashMap<>();
  private final Map<EventLoop, HeartbeatSweep> sweeps = new HashMap<>();
  private Channel main;
  private Channel admin;

  public WsServer(ServerConfig config, io.herald.hub.Hub hub) {
    this.config = config;
    this.layer = SocketLayer.select(config.transport());
    int threads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
    this.group = new MultiThreadIoEventLoopGroup(threads, layer.ioHandlers());
    for (EventExecutor executor : group) {
      EventLoop loop = (EventLoop) executor;
      Lane lane = hub.newLane(loop, loop::inEventLoop);
      writers.put(loop, new LoopWriter(loop, lane));
      sweeps.put(loop, new HeartbeatSweep(loop));
    }
    sweepFor(config);
    log.info("transport: {} with {} event loops", layer.label(), writers.size());
  }

  /** The socket layer in use: io_uring, epoll or nio. */
  String transport() {
    return layer.label();
  }

  /**
   * Sets every loop's heartbeat sweep for these heartbeat settings; at start and on a reload (see
   * issue 9, defect 11). Connections opened before a reload keep their interval and timeout, and
   * are checked at the new pace, which is never more than a second between sweeps.
   */
  void sweepFor(ServerConfig config) {
    long period = sweepPeriodNanos(config);
    sweeps.values().forEach(s -> s.every(period));
  }

  /** Sweeps often enough to keep pings and timeouts within a quarter interval of their due time. */
  static long sweepPeriodNanos(ServerConfig config) {
    long quarter = Math.min(config.heartbeat().interval().toNanos(), config.heartbeat().timeout().toNanos()) / 4;
    return Math.max(TimeUnit.MILLISECONDS.toNanos(25), Math.min(quarter, TimeUnit.SECONDS.toNanos(1)));
  }

  Map<EventLoop, LoopWriter> writers() {
    return writers;
  }

  Map<EventLoop, HeartbeatSweep> sweeps() {
    return sweeps;
  }

  /**
   * Binds the ports; throws with a clear message when one is taken. {@code tls} is read for each
   * new connection (null means plain TCP), on both ports.
   */
  public void bind(TransportContext context, Supplier<SslContext> tls) {
    boolean separateAdmin = config.api().port() != 0;
    main = bind(config.port(), new HttpRequestHandler(context, true, !separateAdmin), tls);
    if (separateAdmin) {
      admin = bind(config.api().port(), new HttpRequestHandler(context, false, true), tls);
    }
  }

  private Channel bind(int port, HttpRequestHandler router, Supplier<SslContext> tls) {
    int pending = config.limits().maxPendingBytes();
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(layer.serverChannel())
        .option(ChannelOption.SO_BACKLOG, BACKLOG)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, READ_BUFFERS)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(pending / 2, pending))
        .childHandler(new ConnectionPipeline(router, config.limits().handshakeTimeout().toMillis(),
            config.api().maxBodyBytes(), tls));
    try {
      return b.bind(address(config.host(), port)).syncUninterruptibly().channel();
    } catch (Exception e) {
      if (e instanceof BindException || e.getCause() instanceof BindException
          || String.valueOf(e.getMessage()).contains("Address already in use")) {
        throw new IllegalStateException("cannot listen on " + config.host() + ":" + port
            + ": the port is already in use (set port or HERALD_PORT to another)", e);
      }
      throw new IllegalStateException("cannot listen on " + config.host() + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /**
   * The wildcard hosts bind the any-address, which on a dual-stack machine takes IPv6 and IPv4
   * alike, so clients that resolve localhost to ::1 connect too.
   */
  private static InetSocketAddress address(String host, int port) {
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("*")) {
      return new InetSocketAddress(port);
    }
    return new InetSocketAddress(host, port);
  }

  public int port() {
    return ((InetSocketAddress) main.localAddress()).getPort();
  }

  /** The admin port: the main port unless a separate one is configured. */
  public int apiPort() {
    return admin == null ? port() : ((InetSocketAddress) admin.localAddress()).getPort();
  }

  /** Stops accepting new connections; open ones stay. */
  public void stopAccepting() {
    if (main != null) {
      main.close().syncUninterruptibly();
    }
    if (admin != null) {
      admin.close().syncUninterruptibly();
    }
  }

  @Override
  public void close() {
    stopAccepting();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
