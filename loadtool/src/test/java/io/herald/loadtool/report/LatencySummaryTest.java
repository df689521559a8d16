package io.herald.loadtool.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LatencySummaryTest {
  @Test
  void percentilesOfAUniformSpread() {
    Histogram h = LatencySummary.newHistogram();
    for (int micros = 1; micros <= 10_000; micros++) {
      h.recordValue(micros);
    }
    LatencySummary s = LatencySummary.of(h);
    assertThat(s.count()).isEqualTo(10_000);
    assertThat(s.p50Micros()).isBetween(4_995L, 5_005L);
    assertThat(s.p90Micros()).isBetween(8_990L, 9_010L);
    assertThat(s.p99Micros()).isBetween(9_890L, 9_910L);
    assertThat(s.p999Micros()).isBetween(9_980L, 10_010L);
    assertThat(s.maxMicros()).isBetween(10_000L, 10_010L);
    assertThat(s.meanMicros()).isBetween(4_990.0, 5_010.0);
  }

  @Test
  void jsonHasStableKeysAndUnits() {
    Histogram h = LatencySummary.newHistogram();
    h.recordValue(1500);
    assertThat(LatencySummary.of(h).toJson()).containsOnlyKeys("count", "mean_us", "p50_us", "p90_us", "p99_us",
        "p999_us", "max_us").containsEntry("count", 1L);
  }

  @Test
  void emptyHistogramSummarisesToZeros() {
    LatencySummary s = LatencySummary.of(LatencySummary.newHistogram());
    assertThat(s.count()).isZero();
    assertThat(s.toHuman()).isEqualTo("no samples");
  }

  @Test
  void humanLineUsesMilliseconds() {
    Histogram h = LatencySummary.newHistogram();
    h.recordValue(2_500);
    assertThat(LatencySummary.of(h).toHuman()).startsWith("p50 2.50 ms");
  }

  @Test
  void encodedHistogramRoundTripsAndMerges() {
    Histogram a = LatencySummary.newHistogram();
    Histogram b = LatencySummary.newHistogram();
    a.recordValue(100);
    b.recordValue(300_000);
    Histogram merged = LatencySummary.newHistogram();
    merged.add(LatencySummary.decode(LatencySummary.encode(a)));
    merged.add(LatencySummary.decode(LatencySummary.encode(b)));
    assertThat(merged.getTotalCount()).isEqualTo(2);
    assertThat(merged.getMaxValue()).isBetween(300_000L, 300_400L);
    assertThat(merged.getMinValue()).isEqualTo(100);
  }
}
