package io.herald.transport;

import io.herald.config.ConfigException;
import io.herald.config.ServerConfig.IoTransport;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket layer Netty runs on, chosen once at start from the {@code transport} key: epoll
 * (Linux), NIO (anywhere), or io_uring (Linux 5.14+; refused by some seccomp profiles, e.g.
 * Docker's default, and by {@code kernel.io_uring_disabled}). {@code auto} takes epoll, else NIO,
 * and logs why it passed over epoll; io_uring is opt-in: measured against epoll it did not pay
 * for itself (BENCHMARKS.md: no steady CPU gain, about 1 KB more memory per idle connection, and
 * completion-queue overflow warnings under fan-out). A named layer that is not available stops the
 * start with the reason, rather than running on something else than asked.
 */
record SocketLayer(IoTransport kind, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {
  private static final Logger log = LoggerFactory.getLogger(SocketLayer.class);

  /** The name used in the configuration, the log, {@code /health} and the metrics. */
  String label() {
    return label(kind);
  }

  static String label(IoTransport kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  static SocketLayer select(IoTransport wanted) {
    if (wanted != IoTransport.AUTO) {
      Throwable refused = unavailability(wanted);
      if (refused != null) {
        throw new ConfigException("transport " + label(wanted) + " is not available here: " + describe(refused)
            + " (set transport to auto to fall back to the next available one)");
      }
      return of(wanted);
    }
    List<String> passedOver = new ArrayList<>();
    for (IoTransport candidate : List.of(IoTransport.EPOLL)) {
      Throwable refused = unavailability(candidate);
      if (refused == null) {
        logChoice(candidate, passedOver);
        return of(candidate);
      }
      passedOver.add(label(candidate) + " (" + describe(refused) + ")");
    }
    logChoice(IoTransport.NIO, passedOver);
    return of(IoTransport.NIO);
  }

  private static void logChoice(IoTransport chosen, List<String> passedOver) {
    if (!passedOver.isEmpty()) {
      log.info("transport auto: {} is not available here, using {}", String.join(", ", passedOver), label(chosen));
    }
  }

  /** Null when {@code kind} works on this machine, else why not. */
  private static Throwable unavailability(IoTransport kind) {
    return switch (kind) {
      case IO_URING -> probe(IoUring::isAvailable, IoUring::unavailabilityCause);
      case EPOLL -> probe(Epoll::isAvailable, Epoll::unavailabilityCause);
      case NIO, AUTO -> null;
    };
  }

  /** The availability check itself can fail where the native library cannot load at all. */
  private static Throwable probe(Supplier<Boolean> available, Supplier<Throwable> cause) {
    try {
      if (available.get()) {
        return null;
      }
      Throwable why = cause.get();
      return why != null ? why : new IllegalStateException("unavailable");
    } catch (LinkageError e) {
      return e;
    }
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static SocketLayer of(IoTransport kind) {
    return switch (kind) {
      case IO_URING -> new SocketLayer(kind, IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class);
      case EPOLL -> new SocketLayer(kind, EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
      case NIO, AUTO -> new SocketLayer(IoTransport.NIO, NioIoHandler.newFactory(), NioServerSocketChannel.class);
    };
  }
}
