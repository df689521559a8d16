package io.herald.loadtool.coordinator;

import io.herald.loadtool.EpochClock;
import io.herald.loadtool.worker.MessageScanner;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Pushes benchmark messages through the admin HTTP API, at a fixed rate or flat out, with a
 * bounded number of requests in flight (one per keep-alive connection). Push {@code k} goes to channel {@code k % channels} with
 * that channel's next sequence number; {@code data} carries the sequence number and the send time.
 * A push whose answer does not come within the response timeout is neither OK nor an error: the
 * server may have taken it, so it is kept by id for the caller to look for among the deliveries.
 */
public final class Pusher implements AutoCloseable {
  /**
   * Where pushes go: one admin endpoint, and optionally channels; with {@code pusherApp}, the
   * Pusher HTTP API's {@code events} of that app instead, each request signed as the SDKs sign it.
   */
  public record Target(String endpoint, int channels, String channelPrefix, PusherApp pusherApp) {
    static Target broadcast() {
      return new Target("broadcast", 0, null, null);
    }

    static Target channels(int channels, String prefix) {
      return new Target("send-to-channel", channels, prefix, null);
    }

    static Target pusherEvents(int channels, String prefix, PusherApp app) {
      return new Target("events", channels, prefix, app);
    }
  }

  /**
   * What one run of pushes achieved: {@code ok} answered OK; {@code errors} answered with an error,
   * not sent, or cut off by the connection closing (by kind in {@code errorKinds}); {@code timedOut}
   * not answered within the response timeout.
   */
  public record Result(long issued, long ok, long errors, List<PushId> timedOut, double seconds,
      Map<String, Long> errorKinds) {
  }

  /** One push: the channel slot it went to (0 for broadcast) and its sequence number there ({@code hb_seq}). */
  public record PushId(int slot, long seq) {
  }

  private final Target target;
  private final String pad;
  private final AdminClient admin;
  private final long[] nextSeq;
  private final AtomicLongArray okPerSlot;
  private final Duration responseTimeout;

  public Pusher(URI adminBase, String apiKey, int concurrency, Target target, int payloadBytes) {
    this(adminBase, apiKey, concurrency, target, payloadBytes, AdminClient.DEFAULT_RESPONSE_TIMEOUT);
  }

  /** As above; a push not answered within {@code responseTimeout} counts as timed out. */
  public Pusher(URI adminBase, String apiKey, int concurrency, Target target, int payloadBytes,
      Duration responseTimeout) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("push concurrency must be >= 1: " + concurrency);
    }
    this.target = target;
    this.pad = "x".repeat(Math.max(0, payloadBytes - 60));
    this.responseTimeout = responseTimeout;
    this.admin = new AdminClient(adminBase, apiKey, concurrency, responseTimeout);
    int slots = Math.max(1, target.channels());
    this.nextSeq = new long[slots];
    this.okPerSlot = new AtomicLongArray(slots);
  }

  /** Successful pushes so far to channel {@code slot} (slot 0 for broadcast). */
  public long okFor(int slot) {
    return okPerSlot.get(slot);
  }

  public int slots() {
    return nextSeq.length;
  }

  /** Pushes for {@code duration}; {@code ratePerSecond <= 0} means as fast as the in-flight bound allows. */
  public Result run(Duration duration, double ratePerSecond) throws InterruptedException {
    return run(duration, ratePerSecond, false);
  }

  /**
   * As {@link #run(Duration, double)}; with {@code intendedTime} (and a rate), each message is
   * stamped with the moment the schedule meant to send it.
   */
  public Result run(Duration duration, double ratePerSecond, boolean intendedTime) throws InterruptedException {
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    ConcurrentLinkedQueue<PushId> timedOut = new ConcurrentLinkedQueue<>();
    Map<String, Long> errorKinds = new ConcurrentHashMap<>();
    long startEpochMicros = EpochClock.micros();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long issued = 0;
    long k = 0;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      if (ratePerSecond > 0) {
        long due = (long) ((now - start) / 1e9 * ratePerSecond) + 1 - issued;
        if (due <= 0) {
          long nextAt = start + (long) (issued / ratePerSecond * 1e9);
          LockSupport.parkNanos(Math.max(10_000, Math.min(nextAt - now, 1_000_000)));
          continue;
        }
      }
      AdminClient.Connection connection = admin.take(Math.max(1, (end - now) / 1_000_000));
      if (connection == null) {
        break;
      }
      int slot = (int) (k++ % nextSeq.length);
      long seq = nextSeq[slot]++;
      issued++;
      long stamp = intendedTime && ratePerSecond > 0
          ? startEpochMicros + (long) ((issued - 1) / ratePerSecond * 1e6) : EpochClock.micros();
      byte[] body = target.pusherApp() == null ? body(slot, seq, stamp) : pusherBody(slot, seq, stamp);
      String path = target.pusherApp() == null ? target.endpoint() : target.pusherApp().signedEventsPath(body);
      connection.post(path, body, (answer, errorKind) -> {
        switch (answer) {
          case OK -> {
            ok.incrementAndGet();
            okPerSlot.incrementAndGet(slot);
          }
          case TIMED_OUT -> timedOut.add(new PushId(slot, seq));
          case FAILED -> {
            errors.incrementAndGet();
            errorKinds.merge(errorKind, 1L, Long::sum);
          }
        }
      });
    }
    if (!admin.awaitIdle(responseTimeout.toMillis() + TimeUnit.SECONDS.toMillis(5))) {
      errorKinds.merge("unanswered at end", (long) admin.busy(), Long::sum);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(issued, ok.get(), errors.get(), List.copyOf(timedOut), seconds, Map.copyOf(errorKinds));
  }

  private byte[] body(int slot, long seq, long stampMicros) {
    StringBuilder body = new StringBuilder(128 + pad.length());
    body.append('{');
    if (target.channels() > 0) {
      body.append("\"channel\":\"").append(target.channelPrefix()).append(slot).append("\",");
    }
    body.append("\"type\":\"bench\",\"data\":{\"").append(MessageScanner.SEQ).append("\":").append(seq)
        .append(",\"").append(MessageScanner.TS).append("\":").append(stampMicros)
        .append(",\"pad\":\"").append(pad).append("\"}}");
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code {"name":"bench","channel":C,"data":"{\"hb_seq\":…}"}}: data is a JSON string, as the SDKs send it. */
  private byte[] pusherBody(int slot, long seq, long stampMicros) {
    String data = "{\\\"" + MessageScanner.SEQ + "\\\":" + seq + ",\\\"" + MessageScanner.TS + "\\\":" + stampMicros
        + ",\\\"pad\\\":\\\"" + pad + "\\\"}";
    return ("{\"name\":\"bench\",\"channel\":\"" + target.channelPrefix() + slot + "\",\"data\":\"" + data + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    admin.close();
  }
}
