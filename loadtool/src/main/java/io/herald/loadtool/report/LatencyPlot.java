package io.herald.loadtool.report;

import io.herald.loadtool.report.ResultSeries.Figure;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plot}: draws, against offered load (deliveries per second), the p99 end-to-end latency
 * and/or the deliveries per server CPU-second of every server labelled in one or more
 * {@code results.jsonl} files, as a PNG; optionally writes the same points as a Markdown table.
 * Plain Java2D, so it needs nothing installed.
 *
 * <ul>
 *   <li>{@code --metric both} (default): one 960×1000 PNG, two panels stacked, deliveries per
 *       server CPU-second on top (thousands, linear from 0) and p99 in ms below (linear from 0);
 *       {@code --metric p99} or {@code --metric efficiency}: one 960×600 panel.
 *   <li>Runs at rate 0 (flat out) are left out: their offered load is not set.
 *   <li>A point (label, offered load) that repeats across runs shows the median of each figure
 *       ({@link ResultSeries}); earlier versions kept the lowest p99.
 *   <li>The x axis is logarithmic when the largest offered load is more than 10× the smallest,
 *       linear from 0 otherwise ({@link LoadAxis}). Both panels share it.
 *   <li>Each label keeps its colour in both panels; labels are in the order they first appear.
 *   <li>{@code --table FILE} writes the Markdown table of {@link SweepTable}.
 * </ul>
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
    description = "Plot deliveries per server CPU-second and/or p99 latency against offered load from results.jsonl files.")
public final class LatencyPlot implements Callable<Integer> {
  /** What the PNG shows; lower case because picocli matches the names as typed. */
  enum Metric { p99, efficiency, both }

  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0xff7f0e)};
  static final int WIDTH = 960;
  static final int HEIGHT_ONE_PANEL = 600;
  static final int HEIGHT_TWO_PANELS = 1000;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 84;
  private static final int BOTTOM = 70;
  private static final int GAP = 56;

  @Parameters(arity = "1..*", paramLabel = "RESULTS", description = "results.jsonl files")
  List<Path> inputs;

  @Option(names = {"-o", "--output"}, description = "PNG file to write")
  Path output;

  @Option(names = "--table", paramLabel = "FILE", description = "Markdown table to write (offered load, and per label "
      + "deliveries per server CPU-second in thousands and p99 in ms)")
  Path table;

  @Option(names = "--metric", defaultValue = "both",
      description = "What the PNG shows: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; both = two panels).")
  Metric metric;

  @Option(names = "--scenario", defaultValue = "fanout", description = "Scenario to plot (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Option(names = "--title", description = "Title of the PNG (default: what it shows).")
  String title;

  @Override
  public Integer call() throws IOException {
    if (output == null && table == null) {
      throw new IllegalArgumentException("nothing to write: give -o PNG, --table FILE or both");
    }
    ResultSeries series = ResultSeries.read(inputs, scenario);
    if (series.labels().isEmpty()) {
      throw new IllegalArgumentException("no " + scenario + " runs with a rate above 0 in " + inputs);
    }
    if (table != null) {
      Files.writeString(table, SweepTable.markdown(series));
      System.out.println("wrote " + table);
    }
    if (output != null) {
      ImageIO.write(draw(series), "png", output.toFile());
      System.out.println("wrote " + output + " (" + series.labels() + ")");
    }
    return 0;
  }

  private List<Figure> figures() {
    return switch (metric) {
      case p99 -> List.of(Figure.P99_MS);
      case efficiency -> List.of(Figure.DELIVERIES_PER_CPU_S);
      case both -> List.of(Figure.DELIVERIES_PER_CPU_S, Figure.P99_MS);
    };
  }

  private String defaultTitle() {
    return switch (metric) {
      case p99 -> "p99 end-to-end latency against offered load";
      case efficiency -> "deliveries per server CPU-second against offered load";
      case both -> "deliveries per server CPU-second and p99 latency against offered load";
    };
  }

  BufferedImage draw(ResultSeries series) {
    List<Figure> figures = figures();
    int height = figures.size() == 1 ? HEIGHT_ONE_PANEL : HEIGHT_TWO_PANELS;
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = (height - TOP - BOTTOM - (figures.size() - 1) * GAP) / figures.size();
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title != null ? title : defaultTitle(), LEFT, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    List<String> labels = series.labels();
    int legendX = LEFT;
    for (int i = 0; i < labels.size(); i++) {
      g.setColor(COLORS[i % COLORS.length]);
      g.fillRect(legendX, 46, 14, 4);
      g.setColor(Color.BLACK);
      g.drawString(labels.get(i), legendX + 20, 52);
      legendX += 20 + g.getFontMetrics().stringWidth(labels.get(i)) + 30;
    }
    LoadAxis x = LoadAxis.fit(series.offeredLoads(), LEFT, plotW);
    for (int i = 0; i < figures.size(); i++) {
      drawPanel(g, series, figures.get(i), x, TOP + i * (plotH + GAP), plotH);
    }
    g.setColor(Color.BLACK);
    String axis = "offered load (deliveries per second" + (x.log() ? ", log scale)" : ")");
    g.drawString(axis, LEFT + plotW / 2 - g.getFontMetrics().stringWidth(axis) / 2, height - 25);
    g.dispose();
    return image;
  }

  private static void drawPanel(Graphics2D g, ResultSeries series, Figure figure, LoadAxis x, int top, int plotH) {
    boolean p99 = figure == Figure.P99_MS;
    double unit = p99 ? 1 : 1000;
    List<String> labels = series.labels();
    double maxY = 0;
    for (String label : labels) {
      maxY = Math.max(maxY, series.series(label, figure).values().stream().mapToDouble(v -> v / unit).max().orElse(0));
    }
    boolean empty = maxY == 0;
    maxY = niceCeiling(empty ? 1 : maxY * 1.05);
    g.setColor(Color.BLACK);
    g.drawString(p99 ? "p99 end-to-end latency (ms)" : "deliveries per server CPU-second (k)", x.left(), top - 8);
    for (int i = 0; i <= 5; i++) {
      int y = top + plotH - plotH * i / 5;
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(x.left(), y, x.left() + x.width(), y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(number(maxY * i / 5) + (p99 ? " ms" : ""), 10, y + 4);
    }
    for (double tick : x.ticks()) {
      int px = x.pixel(tick);
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(px, top, px, top + plotH);
      g.setColor(Color.DARK_GRAY);
      String text = format(tick);
      g.drawString(text, px - g.getFontMetrics().stringWidth(text) / 2, top + plotH + 18);
    }
    g.setColor(Color.BLACK);
    g.drawRect(x.left(), top, x.width(), plotH);
    if (empty) {
      g.drawString("no runs with this figure (deliveries per CPU-second needs --server-pid)", x.left() + 15, top + 25);
    }
    g.setStroke(new BasicStroke(2.5f));
    for (int index = 0; index < labels.size(); index++) {
      g.setColor(COLORS[index % COLORS.length]);
      int[] previous = null;
      for (Map.Entry<Double, Double> p : series.series(labels.get(index), figure).entrySet()) {
        int[] point = {x.pixel(p.getKey()), top + plotH - (int) Math.round(plotH * p.getValue() / unit / maxY)};
        g.fillOval(point[0] - 4, point[1] - 4, 8, 8);
        if (previous != null) {
          g.drawLine(previous[0], previous[1], point[0], point[1]);
        }
        previous = point;
      }
    }
    g.setStroke(new BasicStroke(1f));
  }

  /** The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ at or above {@code v}: an axis top that divides into 5 round ticks. */
  static double niceCeiling(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1e-9))));
    for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (v <= step * magnitude) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  /** An offered load: 500, 20k, 2.5k, 1.5M. */
  private static String format(double v) {
    return v >= 1e6 ? number(v / 1e6) + "M" : v >= 1000 ? number(v / 1000) + "k" : number(v);
  }

  /** Whole numbers as such, others with one decimal. */
  private static String number(double v) {
    return Math.abs(v - Math.rint(v)) < 1e-9 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
