package io.herald.loadtool.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The runs of one scenario in {@code results.jsonl} files, grouped by server label and offered
 * load (deliveries per second: {@code rate × clients / channels}). Runs at rate 0 (flat out) are
 * left out: their offered load is not set. Labels keep the order in which they first appear.
 *
 * <p>When a point (label, offered load) repeats, each figure is the median of the runs that have
 * it (the mean of the two middle values for an even number of runs), taken separately: the median
 * p99 and the median deliveries per server CPU-second need not come from the same run.
 */
final class ResultSeries {
  /** The figures of a run that are plotted and tabulated. */
  enum Figure {
    /** {@code latency_us.p99_us}, in milliseconds. */
    P99_MS,
    /** {@code cpu.deliveries_per_server_cpu_s}: present only when the run had {@code --server-pid}. */
    DELIVERIES_PER_CPU_S
  }

  private final Map<String, TreeMap<Double, Map<Figure, List<Double>>>> points = new LinkedHashMap<>();
  private final TreeMap<Double, TreeSet<Double>> pushRates = new TreeMap<>();

  static ResultSeries read(List<Path> inputs, String scenario) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ResultSeries series = new ResultSeries();
    for (Path input : inputs) {
      for (String line : Files.readAllLines(input)) {
        if (line.startsWith("{")) {
          series.add(json.readTree(line), scenario);
        }
      }
    }
    return series;
  }

  private void add(JsonNode run, String scenario) {
    double rate = run.path("rate").asDouble();
    if (!scenario.equals(run.path("scenario").asText()) || rate <= 0) {
      return;
    }
    String label = run.path("label").asText(run.path("target").asText());
    double offered = Math.round(rate * run.path("clients").asDouble() / Math.max(1, run.path("channels").asDouble(1)) * 1000) / 1000.0;
    Map<Figure, List<Double>> point = points.computeIfAbsent(label, k -> new TreeMap<>())
        .computeIfAbsent(offered, k -> new LinkedHashMap<>());
    JsonNode p99 = run.path("latency_us").path("p99_us");
    if (p99.isNumber()) {
      point.computeIfAbsent(Figure.P99_MS, k -> new ArrayList<>()).add(p99.asDouble() / 1000.0);
    }
    JsonNode perCpu = run.path("cpu").path("deliveries_per_server_cpu_s");
    if (perCpu.isNumber()) {
      point.computeIfAbsent(Figure.DELIVERIES_PER_CPU_S, k -> new ArrayList<>()).add(perCpu.asDouble());
    }
    pushRates.computeIfAbsent(offered, k -> new TreeSet<>()).add(rate);
  }

  List<String> labels() {
    return List.copyOf(points.keySet());
  }

  /** Every offered load with at least one run, over all labels, ascending. */
  NavigableSet<Double> offeredLoads() {
    return Collections.unmodifiableNavigableSet(pushRates.navigableKeySet());
  }

  /** The push rates (pushes per second) of the runs at this offered load, ascending. */
  NavigableSet<Double> pushRates(double offered) {
    return Collections.unmodifiableNavigableSet(pushRates.getOrDefault(offered, new TreeSet<>()));
  }

  /** The median of {@code figure} over the runs of {@code label} at {@code offered}, if any has it. */
  OptionalDouble median(String label, double offered, Figure figure) {
    Map<Figure, List<Double>> point = points.getOrDefault(label, new TreeMap<>()).get(offered);
    List<Double> values = point == null ? null : point.get(figure);
    return values == null ? OptionalDouble.empty() : OptionalDouble.of(median(values));
  }

  /** Offered load -> median of {@code figure}, for the points of {@code label} that have it. */
  TreeMap<Double, Double> series(String label, Figure figure) {
    TreeMap<Double, Double> series = new TreeMap<>();
    for (Double offered : points.getOrDefault(label, new TreeMap<>()).keySet()) {
      median(label, offered, figure).ifPresent(v -> series.put(offered, v));
    }
    return series;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
