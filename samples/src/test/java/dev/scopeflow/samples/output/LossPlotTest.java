package dev.scopeflow.samples.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.samples.testing.OutputChecks;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java2D chart: round ticks, a PNG that decodes, curves drawn where the data says. */
class LossPlotTest {
  @TempDir
  Path dir;

  @Test
  void ticksAreRoundAndCoverTheRange() {
    assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5}, LossPlot.ticks(0.1, 3.4, 7), 1e-12);
    assertArrayEquals(new double[] {0, 200, 400, 600, 800, 1000}, LossPlot.ticks(1, 1000, 8), 1e-9);
    double[] small = LossPlot.ticks(0.0123, 0.0456, 6);
    assertTrue(small[0] <= 0.0123 && small[small.length - 1] >= 0.0456);
  }

  @Test
  void writesADecodablePngWithTheCurve() throws IOException {
    Random random = new Random();
    int n = 200;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
      y[i] = 4 * Math.exp(-i / 40.0) + 0.5 + 0.1 * random.nextDouble();
    }
    Path png = new LossPlot("a falling loss", "step", "nats").series("loss", x, y).reference("baseline", 2.0)
        .writePng(dir.resolve("loss.png"));
    BufferedImage image = OutputChecks.assertPngNotBlank(png);
    assertEquals(960, image.getWidth());
    // The first series is blue (0x1f77b4): its pixels sit high on the left and low on the right (the legend's blue
    // sample line is at the top right, so the right side is judged by its lowest blue pixel).
    int leftTop = Integer.MAX_VALUE;
    int rightBottom = -1;
    for (int py = 0; py < image.getHeight(); py++) {
      for (int px = 0; px < image.getWidth(); px++) {
        if (isBlueish(image.getRGB(px, py))) {
          if (px < image.getWidth() / 4) {
            leftTop = Math.min(leftTop, py);
          } else if (px > image.getWidth() * 3 / 4) {
            rightBottom = Math.max(rightBottom, py);
          }
        }
      }
    }
    assertTrue(leftTop < rightBottom - 300, "curve falls from left to right: " + leftTop + " vs " + rightBottom);
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void singlePointAndEmptyPlotsStillRender() {
    BufferedImage one = new LossPlot("one", "x", "y").series("p", new double[] {1}, new double[] {2}).render();
    assertEquals(560, one.getHeight());
    new LossPlot("empty", "x", "y").render();
    new LossPlot("nan", "x", "y").series("p", new double[] {1, 2}, new double[] {Double.NaN, 1}).render();
  }

  private static boolean isBlueish(int rgb) {
    int r = (rgb >> 16) & 0xff;
    int g = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    return b > 150 && r < 90 && g > 90 && g < 160;
  }
}
