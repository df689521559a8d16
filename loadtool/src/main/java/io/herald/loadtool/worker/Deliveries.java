package io.herald.loadtool.worker;

import io.herald.loadtool.EpochClock;
import io.herald.loadtool.report.LatencySummary;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts and times the benchmark messages of one worker. Safe to call from several event loops:
 * counters are adders, the latency recorder is HdrHistogram's writer-safe {@link Recorder}, and
 * each client's bitset is only touched on that client's loop.
 */
final class Deliveries {
  private final Recorder latency = new Recorder(LatencySummary.HIGHEST_TRACKABLE_MICROS, LatencySummary.SIGNIFICANT_DIGITS);
  private final Recorder slowLatency = new Recorder(LatencySummary.HIGHEST_TRACKABLE_MICROS, LatencySummary.SIGNIFICANT_DIGITS);
  private final LongAdder received = new LongAdder();
  private final LongAdder receivedSinceReset = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  /** Distinct messages received by the clients of each server port (cluster runs). */
  private final Map<Integer, LongAdder> receivedPerPort = new java.util.concurrent.ConcurrentHashMap<>();

  /** Records the message whose sequence marker starts at {@code at}. */
  void record(Client c, ByteBuf utf8, int at) {
    long seq = MessageScanner.seqAt(utf8, at);
    long sentAt = MessageScanner.timestamp(utf8, at);
    if (seq < 0 || seq > Integer.MAX_VALUE - 1 || sentAt < 0) {
      malformed.increment();
      return;
    }
    long micros = EpochClock.micros() - sentAt;
    (c.slow ? slowLatency : latency).recordValue(Math.max(0, Math.min(micros, LatencySummary.HIGHEST_TRACKABLE_MICROS)));
    if (c.seen.get((int) seq)) {
      duplicates.increment();
    } else {
      c.seen.set((int) seq);
      c.distinct++; // only this client's loop writes it
      received.increment();
      receivedSinceReset.increment();
      receivedPerPort.computeIfAbsent(c.engine.portOf(c), k -> new LongAdder()).increment();
    }
  }

  void malformed() {
    malformed.increment();
  }

  /** Forgets latencies so far and restarts the timed-window count; the distinct totals stay. */
  void reset() {
    latency.reset();
    slowLatency.reset();
    receivedSinceReset.reset();
  }

  /** The latency histogram (of clients not marked slow) since the last reset or take. */
  Histogram takeLatency() {
    return latency.getIntervalHistogram();
  }

  /** The latency histogram of clients marked slow since the last reset or take. */
  Histogram takeSlowLatency() {
    return slowLatency.getIntervalHistogram();
  }

  void putStats(Map<String, Object> out) {
    out.put("received", received.sum());
    out.put("received_since_reset", receivedSinceReset.sum());
    out.put("duplicates", duplicates.sum());
    out.put("malformed", malformed.sum());
    Map<String, Long> perPort = new java.util.LinkedHashMap<>();
    receivedPerPort.forEach((port, n) -> perPort.put(String.valueOf(port), n.sum()));
    out.put("received_per_port", perPort);
  }
}
