package io.herald.loadtool.report;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;

/**
 * The x axis of {@link LatencyPlot}: offered load. Linear from 0 (to a round value at least 5 %
 * above the largest load) when the largest load is at most 10× the smallest; logarithmic otherwise (e.g. 20k..400k deliveries/s), from a round value below
 * the smallest load to one above the largest, with ticks at 1, 2 and 5 × 10ⁿ.
 */
record LoadAxis(double low, double high, boolean log, int left, int width) {
  private static final double[] ROUND = {1, 2, 3, 5};

  static LoadAxis fit(NavigableSet<Double> loads, int left, int width) {
    double min = loads.first();
    double max = loads.last();
    if (max <= 10 * min) {
      return new LoadAxis(0, LatencyPlot.niceCeiling(max * 1.05), false, left, width);
    }
    return new LoadAxis(roundBelow(min / 1.15), roundAbove(max * 1.15), true, left, width);
  }

  int pixel(double load) {
    double share = log ? Math.log(load / low) / Math.log(high / low) : (load - low) / (high - low);
    return left + (int) Math.round(width * share);
  }

  List<Double> ticks() {
    List<Double> ticks = new ArrayList<>();
    if (!log) {
      for (int i = 0; i <= 5; i++) {
        ticks.add(high * i / 5);
      }
      return ticks;
    }
    ticks.add(low);
    for (double decade = Math.pow(10, Math.floor(Math.log10(low))); decade <= high; decade *= 10) {
      for (double step : new double[] {1, 2, 5}) {
        double tick = step * decade;
        if (tick > low * 1.001 && tick < high / 1.001) {
          ticks.add(tick);
        }
      }
    }
    ticks.add(high);
    return ticks;
  }

  /** The largest of 1, 2, 3, 5 × 10ⁿ at or below {@code v}. */
  private static double roundBelow(double v) {
    double decade = Math.pow(10, Math.floor(Math.log10(v)));
    double best = decade;
    for (double step : ROUND) {
      if (step * decade <= v) {
        best = step * decade;
      }
    }
    return best;
  }

  /** The smallest of 1, 2, 3, 5 × 10ⁿ at or above {@code v}. */
  private static double roundAbove(double v) {
    double decade = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : ROUND) {
      if (step * decade >= v) {
        return step * decade;
      }
    }
    return 10 * decade;
  }
}
