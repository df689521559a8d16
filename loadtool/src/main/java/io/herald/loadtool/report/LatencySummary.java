package io.herald.loadtool.report;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** Percentiles of an end-to-end latency histogram recorded in microseconds. */
public record LatencySummary(long count, double meanMicros, long p50Micros, long p90Micros, long p99Micros,
    long p999Micros, long maxMicros) {

  /** Highest latency the histograms track: 10 minutes, in microseconds. */
  public static final long HIGHEST_TRACKABLE_MICROS = 600_000_000L;
  public static final int SIGNIFICANT_DIGITS = 3;

  public static Histogram newHistogram() {
    return new Histogram(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
  }

  public static LatencySummary of(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(h.getTotalCount(), h.getMean(),
        h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
        h.getValueAtPercentile(99.9), h.getMaxValue());
  }

  /** The JSON shape of the summary, keys in a stable order. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("count", count);
    json.put("mean_us", Math.round(meanMicros * 10) / 10.0);
    json.put("p50_us", p50Micros);
    json.put("p90_us", p90Micros);
    json.put("p99_us", p99Micros);
    json.put("p999_us", p999Micros);
    json.put("max_us", maxMicros);
    return json;
  }

  /** One line for people: "p50 1.2 ms  p90 ...". */
  public String toHuman() {
    if (count == 0) {
      return "no samples";
    }
    return String.format("p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (n=%d)",
        millis(p50Micros), millis(p90Micros), millis(p99Micros), millis(p999Micros), millis(maxMicros), count);
  }

  private static String millis(long micros) {
    return micros < 10_000 ? String.format("%.2f ms", micros / 1000.0) : String.format("%.0f ms", micros / 1000.0);
  }

  /** Compressed, Base64 form for shipping a histogram from a worker to the coordinator. */
  public static String encode(Histogram h) {
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
  }

  public static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("not a compressed histogram", e);
    }
  }
}
