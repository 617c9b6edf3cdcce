package dev.scopeflow.samples.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loss log: CSV round trip, truncation for resumed runs, smoothing against a direct computation. */
class TrainingLogTest {
  @TempDir
  Path dir;

  @Test
  void csvRoundTripAndTruncation() throws IOException {
    Random random = new Random();
    TrainingLog log = new TrainingLog();
    for (int step = 1; step <= 300; step++) {
      log.add(step, random.nextDouble() * 4);
    }
    Path csv = log.writeCsv(dir.resolve("loss.csv"));
    TrainingLog read = TrainingLog.readCsv(csv);
    assertEquals(300, read.size());
    for (int i = 0; i < 300; i++) {
      assertEquals(log.step(i), read.step(i));
      assertEquals(log.loss(i), read.loss(i), 1e-5 * Math.max(1, log.loss(i)));
    }
    read.truncateAfter(120);
    assertEquals(120, read.size());
    assertEquals(120, read.step(read.size() - 1));
    assertEquals(0, TrainingLog.readCsv(dir.resolve("missing.csv")).size());
    Files.writeString(dir.resolve("bad.csv"), "step,loss\n1;2\n");
    assertEquals("line 2: expected 'step,loss', got '1;2'", assertThrows(IOException.class,
        () -> TrainingLog.readCsv(dir.resolve("bad.csv"))).getMessage().replaceFirst("^.* line", "line"));
  }

  @Test
  void movingAverageAndRecentMean() {
    Random random = new Random();
    double[] values = new double[50];
    TrainingLog log = new TrainingLog();
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
      log.add(i + 1, values[i]);
    }
    double[] expected = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      double sum = 0;
      int from = Math.max(0, i - 6);
      for (int j = from; j <= i; j++) {
        sum += values[j];
      }
      expected[i] = sum / (i - from + 1);
    }
    assertArrayEquals(expected, log.smoothed(7), 1e-12);
    assertEquals((values[47] + values[48] + values[49]) / 3, log.recentMean(3), 1e-12);
    assertEquals(values[49], log.lastLoss());
  }
}
