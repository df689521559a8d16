package io.herald.loadtool.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.loadtool.Jwt;
import io.herald.loadtool.report.LatencySummary;
import io.herald.loadtool.ws.WsClientHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The connections of one worker process: opens them at a bounded pace, waits until each is
 * connected (and subscribed), sends heartbeats, and hands every benchmark message it receives to
 * {@link Deliveries}.
 *
 * <p>Concurrency: launching, timeouts, heartbeats and chat sending run on one event loop (the
 * launcher); per-client state is touched only on the client's own event loop.
 *
 * <p>Size: a client's life (launch, timeout, handshake, subscribe, close) is one state machine
 * driven from here, and reads best in one file.
 */
public final class WorkerEngine {
  private static final long TOKEN_TTL_SECONDS = 24 * 3600;

  private final WorkerConfig config;
  /** Clients speak the Pusher protocol (path /app/{key}) instead of Herald's. */
  private final boolean pusher;
  private final EventLoopGroup group;
  private final EventLoop launcher;
  private final Bootstrap bootstrap;
  private final Client[] clients;
  private final InetAddress[] sources;
  private final Map<Integer, InetSocketAddress> targets = new ConcurrentHashMap<>();
  private final Jwt jwt;
  // user id -> token: connections of one user share a token (see --users)
  private final java.util.Map<Long, String> tokens;
  private final ObjectMapper json = new ObjectMapper();
  private final Deliveries deliveries = new Deliveries();
  private final Recorder connectLatency = new Recorder(LatencySummary.HIGHEST_TRACKABLE_MICROS, LatencySummary.SIGNIFICANT_DIGITS);
  private final AtomicIntegerArray subscribedPerChannel;
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> closesAfterReady = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> slowCloses = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> readyPerPort = new ConcurrentHashMap<>();
  private final LongAdder errorFrames = new LongAdder();
  private final CompletableFuture<Void> allSettled = new CompletableFuture<>();

  // only accessed on the launcher loop
  private int nextToLaunch;
  private int inflight;
  private int settled;
  private int ready;
  private int failed;
  private long launchStartNanos;
  private long lastSettledNanos;
  private volatile boolean closing;

  public WorkerEngine(WorkerConfig config) throws IOException {
    this.config = config;
    this.pusher = config.path().startsWith("/app/");
    boolean epoll = Epoll.isAvailable();
    this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.launcher = group.next();
    this.bootstrap = new Bootstrap().group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.handshakeTimeoutMillis());
    if (epoll) {
      // Let connect() pick the source port, so each source address gets the whole 4-tuple space.
      bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
    }
    this.clients = new Client[config.count()];
    for (int i = 0; i < clients.length; i++) {
      int index = config.firstIndex() + i;
      int channel = config.channels() > 0 ? index % config.channels() : -1;
      clients[i] = new Client(index, config.userIdFor(index), channel, this);
    }
    this.sources = new InetAddress[config.sourceAddresses().size()];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = InetAddress.getByName(config.sourceAddresses().get(i));
    }
    InetAddress host = InetAddress.getByName(config.host());
    for (int port : config.ports()) {
      targets.put(port, new InetSocketAddress(host, port));
    }
    this.jwt = new Jwt(config.jwtSecret());
    this.tokens = new java.util.concurrent.ConcurrentHashMap<>();
    this.subscribedPerChannel = new AtomicIntegerArray(Math.max(config.channels(), 1));
  }

  public static String transportName() {
    return Epoll.isAvailable() ? "epoll" : "nio";
  }

  /** Opens every connection; completes when each one is ready or has failed. */
  public CompletableFuture<Void> connectAll() {
    launcher.execute(() -> {
      launchStartNanos = System.nanoTime();
      if (config.heartbeatSeconds() > 0) {
        launcher.scheduleAtFixedRate(this::heartbeatTick, 1, 1, TimeUnit.SECONDS);
      }
      if (clients.length == 0) {
        allSettled.complete(null);
      }
      launchMore();
    });
    return allSettled;
  }

  private void launchMore() {
    long now = System.nanoTime();
    double rate = config.connectRatePerSecond();
    long allowed = rate > 0 ? (long) ((now - launchStartNanos) / 1e9 * rate) + 1 : Long.MAX_VALUE;
    while (inflight < config.maxInflight() && nextToLaunch < clients.length && nextToLaunch < allowed) {
      launch(clients[nextToLaunch++]);
    }
    if (nextToLaunch < clients.length && nextToLaunch >= allowed && inflight < config.maxInflight()) {
      launcher.schedule(this::launchMore, 2, TimeUnit.MILLISECONDS);
    }
  }

  private void launch(Client c) {
    inflight++;
    c.state = Client.State.CONNECTING;
    c.startedNanos = System.nanoTime();
    String pathAndQuery;
    if (pusher) {
      pathAndQuery = config.path() + "?protocol=7&client=js&version=8.6.0&flash=false";
    } else {
      // Connections of one user share a token (--users), so an auth proxy can answer them from its cache.
      String token = tokens.computeIfAbsent(c.userId,
          u -> jwt.mint(Long.toString(u), System.currentTimeMillis() / 1000, TOKEN_TTL_SECONDS));
      pathAndQuery = config.path() + "?user_id=" + c.userId + "&token=" + token;
    }
    int port = config.portFor(c.index);
    WsClientHandler handler = new WsClientHandler(config.host() + ":" + port, pathAndQuery, c);
    c.ws = handler;
    InetSocketAddress local = new InetSocketAddress(sources[c.index % sources.length], 0);
    ChannelFuture connect = bootstrap.clone().handler(handler).connect(targets.get(port), local);
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        settleOnLauncher(c, false, describe(f.cause()));
      }
    });
    ScheduledFuture<?> timeout = launcher.schedule(() -> {
      if (!isSettled(c)) {
        settleOnLauncher(c, false, "timeout while " + c.state.name().toLowerCase());
        Channel ch = connect.channel();
        ch.close();
      }
    }, config.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
    connect.channel().closeFuture().addListener(f -> timeout.cancel(false));
  }

  /** A failure reason that groups well: no addresses or ports in it. */
  static String describe(Throwable cause) {
    String message = cause.getMessage() == null ? "" : cause.getMessage();
    if (message.contains("Connection refused")) {
      return "connection refused";
    }
    if (message.contains("Cannot assign requested address")) {
      return "no free source port (use more --source-ips)";
    }
    if (message.contains("Too many open files")) {
      return "too many open files (use more --workers)";
    }
    if (cause instanceof ConnectTimeoutException) {
      return "connect timeout";
    }
    return cause.getClass().getSimpleName() + ": " + message.replaceAll("/?\\d+\\.\\d+\\.\\d+\\.\\d+(:\\d+)?", "ADDR");
  }

  private static boolean isSettled(Client c) {
    return c.state == Client.State.READY || c.state == Client.State.FAILED || c.state == Client.State.CLOSED;
  }

  private void settleOnLauncher(Client c, boolean ok, String reason) {
    if (launcher.inEventLoop()) {
      settle(c, ok, reason);
    } else {
      launcher.execute(() -> settle(c, ok, reason));
    }
  }

  // Client state moves on the launcher here; its own loop reads it, so with several io threads
  // a frame racing a timeout may be classed either way, which only affects that one client.
  private void settle(Client c, boolean ok, String reason) {
    if (isSettled(c)) {
      return;
    }
    if (ok) {
      c.state = Client.State.READY;
      ready++;
      readyPerPort.computeIfAbsent(config.portFor(c.index), k -> new LongAdder()).increment();
      if (c.channel >= 0) {
        subscribedPerChannel.incrementAndGet(c.channel);
      }
      connectLatency.recordValue(Math.min((System.nanoTime() - c.startedNanos) / 1000, LatencySummary.HIGHEST_TRACKABLE_MICROS));
    } else {
      c.state = Client.State.FAILED;
      failed++;
      failures.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }
    inflight--;
    settled++;
    lastSettledNanos = System.nanoTime();
    if (settled == clients.length) {
      allSettled.complete(null);
    } else {
      launchMore();
    }
  }

  // Like browser clients, each ready client sends a heartbeat every interval; the clients are
  // spread over the interval's seconds so the server sees a steady trickle, not a burst.
  private long heartbeatTicks;

  private void heartbeatTick() {
    int slot = (int) (heartbeatTicks++ % config.heartbeatSeconds());
    byte[] frame = (pusher ? "{\"event\":\"pusher:ping\",\"data\":{}}" : "{\"type\":\"heartbeat\",\"data\":{}}")
        .getBytes(StandardCharsets.UTF_8);
    for (int i = slot; i < clients.length; i += config.heartbeatSeconds()) {
      Client c = clients[i];
      if (c.state == Client.State.READY && !closing) {
        c.ws.sendText(frame);
      }
    }
  }

  void onText(Client c, ByteBuf utf8) {
    int at = MessageScanner.seqIndex(utf8);
    if (at >= 0) {
      deliveries.record(c, utf8, at);
    } else {
      onControl(c, utf8.toString(StandardCharsets.UTF_8));
    }
  }

  private void onControl(Client c, String text) {
    JsonNode frame;
    try {
      frame = json.readTree(text);
    } catch (IOException e) {
      deliveries.malformed();
      return;
    }
    switch (frame.has("event") ? frame.path("event").asText("") : frame.path("type").asText("")) {
      case "pusher:connection_established" -> {
        if (config.channels() > 0) {
          String subscribe = "{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\""
              + config.channelName(c.channel) + "\"}}";
          c.ws.sendText(subscribe.getBytes(StandardCharsets.UTF_8));
        } else {
          settleOnLauncher(c, true, null);
        }
      }
      case "pusher_internal:subscription_succeeded" -> settleOnLauncher(c, true, null);
      case "pusher:error", "pusher:subscription_error" -> {
        errorFrames.increment();
        settleOnLauncher(c, false, "pusher error frame " + frame.path("data").asText("?"));
      }
      case "connected" -> {
        if (config.channels() > 0) {
          String subscribe = "{\"type\":\"subscribe\",\"data\":{\"channel\":\"" + config.channelName(c.channel) + "\"}}";
          c.ws.sendText(subscribe.getBytes(StandardCharsets.UTF_8));
        } else {
          settleOnLauncher(c, true, null);
        }
      }
      case "subscribed" -> settleOnLauncher(c, true, null);
      case "error" -> {
        errorFrames.increment();
        settleOnLauncher(c, false, "error frame " + frame.path("data").path("code").asText("?"));
      }
      default -> { }
    }
  }

  void onClosed(Client c, int code, String reason) {
    launcher.execute(() -> {
      if (c.state == Client.State.READY) {
        c.state = Client.State.CLOSED;
        if (!closing) {
          c.closeCode = code;
          (c.slow ? slowCloses : closesAfterReady).computeIfAbsent(code, k -> new LongAdder()).increment();
        }
      } else {
        settle(c, false, "closed " + code + " " + reason);
      }
    });
  }

  /** Sends chat messages from every ready client to its ready partner (index ^ 1) for a while. */
  public CompletableFuture<Long> chat(double ratePerSecond, long durationMillis, int payloadBytes) {
    return new ChatSender(this, launcher, ratePerSecond, durationMillis, payloadBytes).start();
  }

  Client[] clients() {
    return clients;
  }

  /** The partner of a client in chat, or null when it lives in another worker. */
  Client partner(Client c) {
    int local = (c.index ^ 1) - config.firstIndex();
    return local >= 0 && local < clients.length ? clients[local] : null;
  }

  /** Marks the ready clients {@link SlowShare} picks as slow consumers; returns how many. */
  public CompletableFuture<Integer> markSlow(double share) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    launcher.execute(() -> {
      int marked = 0;
      for (Client c : clients) {
        if (c.state == Client.State.READY && SlowShare.isSlow(c.index, share)) {
          c.slow = true;
          marked++;
        }
      }
      result.complete(marked);
    });
    return result;
  }

  /**
   * The slow clients stop reading from their sockets (Netty autoRead off) for {@code millis}, then
   * read again; returns how many stalled.
   */
  public int stall(long millis) {
    int stalled = 0;
    for (Client c : clients) {
      Channel ch = c.slow && c.ws != null ? c.ws.channel() : null;
      if (ch != null && ch.isActive()) {
        ch.eventLoop().execute(() -> ch.config().setAutoRead(false));
        ch.eventLoop().schedule(() -> {
          ch.config().setAutoRead(true);
        }, millis, TimeUnit.MILLISECONDS);
        stalled++;
      }
    }
    return stalled;
  }

  /**
   * How many of this worker's clients received each push {@code (slots[i], seqs[i])}: the clients
   * of channel {@code slots[i]}, or all of them when they subscribe to none (broadcast), whose
   * bitset holds the sequence number. Each client's bitset is read on its own event loop.
   */
  public CompletableFuture<long[]> receivers(int[] slots, long[] seqs) {
    List<CompletableFuture<long[]>> perLoop = new ArrayList<>();
    for (EventExecutor loop : group) {
      perLoop.add(CompletableFuture.supplyAsync(() -> receiversOn(loop, slots, seqs), loop));
    }
    return CompletableFuture.allOf(perLoop.toArray(CompletableFuture[]::new)).thenApply(v -> {
      long[] sum = new long[slots.length];
      for (CompletableFuture<long[]> part : perLoop) {
        long[] counts = part.join();
        for (int i = 0; i < sum.length; i++) {
          sum[i] += counts[i];
        }
      }
      return sum;
    });
  }

  private long[] receiversOn(EventExecutor loop, int[] slots, long[] seqs) {
    long[] counts = new long[slots.length];
    for (Client c : clients) {
      Channel ch = c.ws == null ? null : c.ws.channel();
      if (ch == null || ch.eventLoop() != loop) {
        continue; // never connected, or another loop counts it
      }
      for (int i = 0; i < slots.length; i++) {
        boolean subscribed = config.channels() == 0 || c.channel == slots[i];
        if (subscribed && seqs[i] >= 0 && seqs[i] < Integer.MAX_VALUE && c.seen.get((int) seqs[i])) {
          counts[i]++;
        }
      }
    }
    return counts;
  }

  /** The server port client {@code c} connects to. */
  int portOf(Client c) {
    return config.portFor(c.index);
  }

  /** Forgets latencies recorded so far (warm-up) and starts counting deliveries afresh. */
  public void reset() {
    deliveries.reset();
  }

  public Map<String, Object> stats() {
    Map<String, Object> out = new LinkedHashMap<>();
    deliveries.putStats(out);
    out.put("error_frames", errorFrames.sum());
    Map<String, Long> closes = new LinkedHashMap<>();
    closesAfterReady.forEach((code, n) -> closes.put(String.valueOf(code), n.sum()));
    out.put("closed_after_ready", closes);
    putSlowStats(out);
    return out;
  }

  /** Fast and slow clients' distinct deliveries, slow ones split by whether the server closed them. */
  private void putSlowStats(Map<String, Object> out) {
    long fastReady = 0;
    long fastReceived = 0;
    long slowMarked = 0;
    long slowOpen = 0;
    long slowOpenReceived = 0;
    long slowClosed = 0;
    long slowClosedReceived = 0;
    for (Client c : clients) {
      if (c.slow) {
        slowMarked++;
        if (c.closeCode != 0) {
          slowClosed++;
          slowClosedReceived += c.distinct;
        } else {
          slowOpen++;
          slowOpenReceived += c.distinct;
        }
      } else if (c.state == Client.State.READY || c.state == Client.State.CLOSED) {
        fastReady++;
        fastReceived += c.distinct;
      }
    }
    out.put("fast_clients", fastReady);
    out.put("fast_received", fastReceived);
    out.put("slow_clients", slowMarked);
    out.put("slow_open", slowOpen);
    out.put("slow_open_received", slowOpenReceived);
    out.put("slow_closed", slowClosed);
    out.put("slow_closed_received", slowClosedReceived);
    Map<String, Long> closes = new LinkedHashMap<>();
    slowCloses.forEach((code, n) -> closes.put(String.valueOf(code), n.sum()));
    out.put("slow_closed_by_code", closes);
  }

  /** Connection results; call after {@link #connectAll()} completed. */
  public CompletableFuture<Map<String, Object>> connectResult() {
    CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
    launcher.execute(() -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("ready", ready);
      out.put("failed", failed);
      out.put("elapsed_ms", (lastSettledNanos - launchStartNanos) / 1_000_000.0);
      Map<String, Long> reasons = new LinkedHashMap<>();
      failures.forEach((reason, n) -> reasons.put(reason, n.sum()));
      out.put("failures", reasons);
      int[] perChannel = new int[subscribedPerChannel.length()];
      for (int i = 0; i < perChannel.length; i++) {
        perChannel[i] = subscribedPerChannel.get(i);
      }
      out.put("subscribed_per_channel", perChannel);
      Map<String, Long> perPort = new LinkedHashMap<>();
      readyPerPort.forEach((port, n) -> perPort.put(String.valueOf(port), n.sum()));
      out.put("ready_per_port", perPort);
      out.put("connect_histogram", LatencySummary.encode(connectLatency.getIntervalHistogram()));
      result.complete(out);
    });
    return result;
  }

  /** The latency histogram (clients not marked slow) since the last reset or report. */
  public Histogram takeLatency() {
    return deliveries.takeLatency();
  }

  /** The latency histogram of the slow clients since the last reset or report. */
  public Histogram takeSlowLatency() {
    return deliveries.takeSlowLatency();
  }

  /** Closes every connection politely, then stops the event loops; bounded by {@code timeoutMillis}. */
  public void close(long timeoutMillis) throws InterruptedException {
    closing = true;
    for (Client c : clients) {
      if (c.ws != null && c.ws.channel() != null) {
        c.ws.close();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (Client c : clients) {
      Channel ch = c.ws == null ? null : c.ws.channel();
      long left = deadline - System.nanoTime();
      if (ch != null && left > 0) {
        ch.closeFuture().await(TimeUnit.NANOSECONDS.toMillis(left));
      }
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
  }
}
