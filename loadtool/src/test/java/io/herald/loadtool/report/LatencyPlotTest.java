package io.herald.loadtool.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(30)
class LatencyPlotTest {
  private static final int HERALD_BLUE = 0x1f77b4;

  private static String run(String label, double rate, long p99Us, long perCpu) {
    return String.format(java.util.Locale.ROOT, "{\"scenario\":\"fanout\",\"label\":\"%s\",\"target\":\"127.0.0.1:5310\","
        + "\"clients\":2000,\"channels\":1,\"rate\":%s,\"latency_us\":{\"p50_us\":1000,\"p99_us\":%d},"
        + "\"cpu\":{\"wall_s\":15.0,\"server_cpu_s\":10.0,\"deliveries_per_server_cpu_s\":%d},\"exit_code\":0}",
        label, rate, p99Us, perCpu);
  }

  /**
   * Two labels over 20k..210k offered deliveries/s (more than 10×, so a log axis); herald repeats
   * 70k three times and node-ws 20k twice; a flat-out run, another scenario and a non-JSON line
   * must be left out.
   */
  private static Path results(Path dir) throws Exception {
    Path file = dir.resolve("results.jsonl");
    Files.write(file, List.of(
        run("herald", 10, 40_000, 200_000),
        run("node-ws", 10, 40_000, 70_000),
        run("node-ws", 10, 50_000, 80_000),
        run("herald", 35, 80_000, 250_000),
        run("herald", 35, 60_000, 300_000),
        run("herald", 35, 200_000, 100_000),
        run("node-ws", 35, 229_000, 75_500),
        run("herald", 105, 166_400, 283_157),
        run("herald", 0, 999_000, 999_999),
        "{\"scenario\":\"connect\",\"label\":\"herald\",\"clients\":2000,\"rate\":5}",
        "connections: 2000 ready"));
    return file;
  }

  @Test
  void bothMetricsMakeTwoPanelsAndTheTableHoldsMedians(@TempDir Path dir) throws Exception {
    Path input = results(dir);
    Path png = dir.resolve("sweep.png");
    Path table = dir.resolve("table.md");

    int exit = new CommandLine(new LatencyPlot()).execute("-o", png.toString(), "--table", table.toString(), input.toString());

    assertThat(exit).isZero();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(LatencyPlot.WIDTH).isEqualTo(960);
    assertThat(image.getHeight()).isEqualTo(LatencyPlot.HEIGHT_TWO_PANELS).isEqualTo(1000);
    // herald's colour is drawn in both panels, not only in the legend row
    assertThat(pixels(image, HERALD_BLUE, 84, 500)).isGreaterThan(100);
    assertThat(pixels(image, HERALD_BLUE, 500, 1000)).isGreaterThan(100);
    assertThat(Files.readString(table)).isEqualTo("""
        | pushes/s | offered deliveries/s | herald deliveries per CPU-s (k) | herald p99 (ms) | node-ws deliveries per CPU-s (k) | node-ws p99 (ms) |
        |---:|---:|---:|---:|---:|---:|
        | 10 | 20,000 | 200 | 40.0 | 75.0 | 45.0 |
        | 35 | 70,000 | 250 | 80.0 | 75.5 | 229 |
        | 105 | 210,000 | 283 | 166 | - | - |
        """);
  }

  @Test
  void p99AloneKeepsTheSinglePanel(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("p99.png");

    int exit = new CommandLine(new LatencyPlot()).execute("--metric", "p99", "-o", png.toString(), results(dir).toString());

    assertThat(exit).isZero();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(960);
    assertThat(image.getHeight()).isEqualTo(LatencyPlot.HEIGHT_ONE_PANEL).isEqualTo(600);
  }

  @Test
  void nothingToWriteIsRefused(@TempDir Path dir) throws Exception {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new LatencyPlot()).setErr(new PrintWriter(err));

    assertThat(cli.execute(results(dir).toString())).isNotZero();
    assertThat(err.toString()).contains("nothing to write");
  }

  @Test
  void anAxisSpanningMoreThanTenTimesIsLogarithmic() {
    LoadAxis log = LoadAxis.fit(new java.util.TreeSet<>(List.of(20_000.0, 400_000.0)), 0, 1000);
    assertThat(log.log()).isTrue();
    assertThat(log.low()).isEqualTo(10_000);
    assertThat(log.high()).isEqualTo(500_000);
    assertThat(log.ticks()).containsExactly(10_000.0, 20_000.0, 50_000.0, 100_000.0, 200_000.0, 500_000.0);
    assertThat(log.pixel(100_000)).isLessThan(log.pixel(200_000)).isLessThan(1000);
    LoadAxis linear = LoadAxis.fit(new java.util.TreeSet<>(List.of(20_000.0, 150_000.0)), 0, 1000);
    assertThat(linear.log()).isFalse();
    assertThat(linear.low()).isZero();
    assertThat(linear.high()).isEqualTo(200_000);
  }

  private static int pixels(BufferedImage image, int rgb, int fromY, int toY) {
    int count = 0;
    for (int y = fromY; y < toY; y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          count++;
        }
      }
    }
    return count;
  }
}
