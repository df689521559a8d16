package io.herald.loadtool.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plot}: draws p99 end-to-end latency against offered load (deliveries per second) for
 * every server labelled in one or more {@code results.jsonl} files, as a PNG. Runs at rate 0
 * (flat out) are left out: their offered load is not set. Plain Java2D, so it needs nothing
 * installed.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
    description = "Plot p99 latency against offered load from results.jsonl files into a PNG.")
public final class LatencyPlot implements Callable<Integer> {
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0xff7f0e)};
  private static final int WIDTH = 960;
  private static final int HEIGHT = 600;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 60;
  private static final int BOTTOM = 70;

  @Parameters(arity = "1..*", paramLabel = "RESULTS", description = "results.jsonl files")
  List<Path> inputs;

  @Option(names = {"-o", "--output"}, required = true, description = "PNG file to write")
  Path output;

  @Option(names = "--scenario", defaultValue = "fanout", description = "Scenario to plot (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Option(names = "--title", defaultValue = "p99 end-to-end latency against offered load")
  String title;

  /** label -> (offered deliveries/s -> p99 ms), the lowest p99 kept when a point repeats. */
  Map<String, TreeMap<Double, Double>> read() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, TreeMap<Double, Double>> series = new TreeMap<>();
    for (Path input : inputs) {
      for (String line : Files.readAllLines(input)) {
        if (!line.startsWith("{")) {
          continue;
        }
        JsonNode run = json.readTree(line);
        double rate = run.path("rate").asDouble();
        if (!scenario.equals(run.path("scenario").asText()) || rate <= 0 || !run.path("latency_us").has("p99_us")) {
          continue;
        }
        String label = run.path("label").asText(run.path("target").asText());
        double offered = rate * run.path("clients").asDouble() / Math.max(1, run.path("channels").asDouble(1));
        double p99 = run.path("latency_us").path("p99_us").asDouble() / 1000.0;
        series.computeIfAbsent(label, k -> new TreeMap<>()).merge(offered, p99, Math::min);
      }
    }
    return series;
  }

  @Override
  public Integer call() throws IOException {
    Map<String, TreeMap<Double, Double>> series = read();
    if (series.isEmpty()) {
      throw new IllegalArgumentException("no " + scenario + " runs with a rate above 0 in " + inputs);
    }
    double maxX = 0;
    double maxY = 0;
    for (TreeMap<Double, Double> s : series.values()) {
      maxX = Math.max(maxX, s.lastKey());
      maxY = Math.max(maxY, s.values().stream().mapToDouble(Double::doubleValue).max().orElse(1));
    }
    maxX = niceCeiling(maxX);
    maxY = niceCeiling(maxY);
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i <= 5; i++) {
      int y = TOP + plotH - plotH * i / 5;
      int x = LEFT + plotW * i / 5;
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.drawLine(x, TOP, x, TOP + plotH);
      g.setColor(Color.DARK_GRAY);
      g.drawString(format(maxY * i / 5) + " ms", 10, y + 4);
      g.drawString(format(maxX * i / 5), x - 15, TOP + plotH + 18);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotW, plotH);
    g.drawString("offered load (deliveries per second)", LEFT + plotW / 2 - 100, HEIGHT - 25);
    int index = 0;
    for (Map.Entry<String, TreeMap<Double, Double>> s : series.entrySet()) {
      Color color = COLORS[index % COLORS.length];
      g.setColor(color);
      g.setStroke(new BasicStroke(2.5f));
      List<int[]> points = new ArrayList<>();
      for (Map.Entry<Double, Double> p : s.getValue().entrySet()) {
        points.add(new int[] {LEFT + (int) (plotW * p.getKey() / maxX), TOP + plotH - (int) (plotH * p.getValue() / maxY)});
      }
      for (int i = 0; i < points.size(); i++) {
        int[] p = points.get(i);
        g.fillOval(p[0] - 4, p[1] - 4, 8, 8);
        if (i > 0) {
          int[] q = points.get(i - 1);
          g.drawLine(q[0], q[1], p[0], p[1]);
        }
      }
      g.fillRect(LEFT + 15, TOP + 12 + index * 20, 14, 4);
      g.setColor(Color.BLACK);
      g.drawString(s.getKey(), LEFT + 35, TOP + 18 + index * 20);
      index++;
    }
    g.dispose();
    ImageIO.write(image, "png", output.toFile());
    System.out.println("wrote " + output + " (" + series.keySet() + ")");
    return 0;
  }

  private static double niceCeiling(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1e-9))));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (v <= step * magnitude) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String format(double v) {
    return v >= 1000 ? String.format("%.0fk", v / 1000) : v >= 10 ? String.format("%.0f", v) : String.format("%.1f", v);
  }
}
