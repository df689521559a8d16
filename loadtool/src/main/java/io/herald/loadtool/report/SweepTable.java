package io.herald.loadtool.report;

import io.herald.loadtool.report.ResultSeries.Figure;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The Markdown table of a load sweep, one row per offered load: pushes per second, offered
 * deliveries per second, then for each label its median deliveries per server CPU-second (in
 * thousands) and its median p99 (ms). Figures below 100 keep one decimal, larger ones are whole;
 * a label without that figure at that load gets "-".
 */
final class SweepTable {
  private SweepTable() {}

  static String markdown(ResultSeries series) {
    StringBuilder out = new StringBuilder("| pushes/s | offered deliveries/s |");
    StringBuilder rule = new StringBuilder("|---:|---:|");
    for (String label : series.labels()) {
      out.append(' ').append(label).append(" deliveries per CPU-s (k) | ").append(label).append(" p99 (ms) |");
      rule.append("---:|---:|");
    }
    out.append('\n').append(rule).append('\n');
    for (double offered : series.offeredLoads()) {
      out.append("| ").append(series.pushRates(offered).stream().map(SweepTable::plain).collect(Collectors.joining(" / ")))
          .append(" | ").append(String.format(Locale.ROOT, "%,.0f", offered)).append(" |");
      for (String label : series.labels()) {
        out.append(' ').append(figure(series.median(label, offered, Figure.DELIVERIES_PER_CPU_S), 1000)).append(" |")
            .append(' ').append(figure(series.median(label, offered, Figure.P99_MS), 1)).append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String figure(OptionalDouble value, double unit) {
    if (value.isEmpty()) {
      return "-";
    }
    double v = value.getAsDouble() / unit;
    return String.format(Locale.ROOT, v < 100 ? "%.1f" : "%.0f", v);
  }

  private static String plain(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
