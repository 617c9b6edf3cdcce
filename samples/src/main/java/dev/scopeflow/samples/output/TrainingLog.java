package dev.scopeflow.samples.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The loss of every training step, kept to plot it ({@link #plot}) and to write it as CSV ({@code step,loss}); a
 * resumed run reads the earlier CSV back ({@link #readCsv}) so its curve continues where it stopped.
 */
public final class TrainingLog {
  private long[] steps = new long[256];
  private double[] losses = new double[256];
  private int size;

  public void add(long step, double loss) {
    if (size == steps.length) {
      steps = Arrays.copyOf(steps, size * 2);
      losses = Arrays.copyOf(losses, size * 2);
    }
    steps[size] = step;
    losses[size] = loss;
    size++;
  }

  public int size() {
    return size;
  }

  public long step(int i) {
    return steps[i];
  }

  public double loss(int i) {
    return losses[i];
  }

  /** The last loss, NaN when empty. */
  public double lastLoss() {
    return size == 0 ? Double.NaN : losses[size - 1];
  }

  /** The mean loss of the last {@code n} steps (fewer when the log is shorter); NaN when empty. */
  public double recentMean(int n) {
    int from = Math.max(0, size - n);
    double sum = 0;
    for (int i = from; i < size; i++) {
      sum += losses[i];
    }
    return size == from ? Double.NaN : sum / (size - from);
  }

  /** Keeps only the steps up to and including {@code step} (a resumed run drops what it will redo). */
  public void truncateAfter(long step) {
    while (size > 0 && steps[size - 1] > step) {
      size--;
    }
  }

  /** Trailing moving average over {@code window} steps (shorter at the start). */
  public double[] smoothed(int window) {
    double[] out = new double[size];
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += losses[i];
      if (i >= window) {
        sum -= losses[i - window];
      }
      out[i] = sum / Math.min(i + 1, window);
    }
    return out;
  }

  /**
   * A chart of the raw loss (thin) and its moving average over about 2% of the steps (thick, when there are enough
   * steps to smooth).
   */
  public LossPlot plot(String title, String yLabel) {
    double[] x = new double[size];
    for (int i = 0; i < size; i++) {
      x[i] = steps[i];
    }
    double[] y = Arrays.copyOf(losses, size);
    LossPlot plot = new LossPlot(title, "training step", yLabel);
    int window = Math.max(1, size / 50);
    if (window >= 3) {
      plot.faintSeries("loss per step", x, y);
      plot.series("moving average (" + window + " steps)", x, smoothed(window));
    } else {
      plot.series("loss", x, y);
    }
    return plot;
  }

  /** Writes {@code step,loss} lines with a header, atomically. */
  public Path writeCsv(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("step,loss\n");
    for (int i = 0; i < size; i++) {
      sb.append(steps[i]).append(',').append(String.format(Locale.ROOT, "%.6g", losses[i])).append('\n');
    }
    return AtomicFiles.writeString(file, sb);
  }

  /** Reads a file {@link #writeCsv} wrote; a missing file gives an empty log. */
  public static TrainingLog readCsv(Path file) throws IOException {
    TrainingLog log = new TrainingLog();
    if (!Files.exists(file)) {
      return log;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(",");
      if (parts.length != 2) {
        throw new IOException(file + " line " + (i + 1) + ": expected 'step,loss', got '" + line + "'");
      }
      try {
        log.add(Long.parseLong(parts[0]), Double.parseDouble(parts[1]));
      } catch (NumberFormatException e) {
        throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return log;
  }
}
