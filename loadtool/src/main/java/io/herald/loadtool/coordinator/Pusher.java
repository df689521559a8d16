package io.herald.loadtool.coordinator;

import io.herald.loadtool.EpochClock;
import io.herald.loadtool.worker.MessageScanner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Pushes benchmark messages through the admin HTTP API, at a fixed rate or flat out, with a
 * bounded number of requests in flight. Push {@code k} goes to channel {@code k % channels} with
 * that channel's next sequence number; {@code data} carries the sequence number and the send time.
 */
public final class Pusher implements AutoCloseable {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Where pushes go: one admin endpoint, and optionally channels. */
  public record Target(String endpoint, int channels, String channelPrefix) {
    static Target broadcast() {
      return new Target("broadcast", 0, null);
    }

    static Target channels(int channels, String prefix) {
      return new Target("send-to-channel", channels, prefix);
    }
  }

  /** What one run of pushes achieved. */
  public record Result(long issued, long ok, long errors, double seconds, Map<String, Long> errorKinds) {
  }

  private final URI adminBase;
  private final String apiKey;
  private final int concurrency;
  private final Target target;
  private final String pad;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "pusher-http");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http;
  private final long[] nextSeq;
  private final AtomicLongArray okPerSlot;

  public Pusher(URI adminBase, String apiKey, int concurrency, Target target, int payloadBytes) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("push concurrency must be >= 1: " + concurrency);
    }
    this.adminBase = adminBase;
    this.apiKey = apiKey;
    this.concurrency = concurrency;
    this.target = target;
    this.pad = "x".repeat(Math.max(0, payloadBytes - 60));
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(5)).build();
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
    Semaphore inflight = new Semaphore(concurrency);
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
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
          long nextAt = start + (long) ((issued) / ratePerSecond * 1e9);
          LockSupport.parkNanos(Math.max(10_000, Math.min(nextAt - now, 1_000_000)));
          continue;
        }
      }
      if (!inflight.tryAcquire(Math.max(1, (end - now) / 1_000_000), TimeUnit.MILLISECONDS)) {
        break;
      }
      int slot = (int) (k++ % nextSeq.length);
      long seq = nextSeq[slot]++;
      issued++;
      long stamp = intendedTime && ratePerSecond > 0
          ? startEpochMicros + (long) ((issued - 1) / ratePerSecond * 1e6) : EpochClock.micros();
      http.sendAsync(request(slot, seq, stamp), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
        String kind = null;
        if (error != null) {
          kind = error.getClass().getSimpleName();
        } else if (response.statusCode() != 200 || !response.body().contains("\"code\":200")) {
          kind = "http " + response.statusCode();
        }
        if (kind == null) {
          ok.incrementAndGet();
          okPerSlot.incrementAndGet(slot);
        } else {
          errors.incrementAndGet();
          errorKinds.merge(kind, 1L, Long::sum);
        }
        inflight.release();
      });
    }
    if (!inflight.tryAcquire(concurrency, REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
      errorKinds.merge("unanswered at end", (long) (concurrency - inflight.availablePermits()), Long::sum);
    } else {
      inflight.release(concurrency);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(issued, ok.get(), errors.get(), seconds, Map.copyOf(errorKinds));
  }

  private HttpRequest request(int slot, long seq, long stampMicros) {
    StringBuilder body = new StringBuilder(128 + pad.length());
    body.append('{');
    if (target.channels() > 0) {
      body.append("\"channel\":\"").append(target.channelPrefix()).append(slot).append("\",");
    }
    body.append("\"type\":\"bench\",\"data\":{\"").append(MessageScanner.SEQ).append("\":").append(seq)
        .append(",\"").append(MessageScanner.TS).append("\":").append(stampMicros)
        .append(",\"pad\":\"").append(pad).append("\"}}");
    return HttpRequest.newBuilder(adminBase.resolve(target.endpoint()))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + apiKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
