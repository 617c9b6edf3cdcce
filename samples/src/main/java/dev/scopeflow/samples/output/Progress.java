package dev.scopeflow.samples.output;

import dev.scopeflow.samples.cli.SampleContext;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress: on a terminal one line redrawn in place ({@code [####....] step 120/600 loss 2.31 ...}); when
 * the output is a file or a pipe, a plain line every {@code interval} steps and at the last one, so logs stay
 * readable. Shows step, loss, items (characters, sequences) per second, elapsed time and the estimated time left.
 */
public final class Progress {
  private static final int BAR_WIDTH = 24;

  private final PrintStream out;
  private final boolean interactive;
  private final long firstStep;
  private final long lastStep;
  private final long interval;
  private final String unit;
  private final LongSupplier clock;
  private final long startNanos;
  private long lastDrawNanos;
  private boolean drawn;
  private double items;
  private boolean open;

  /**
   * @param firstStep the step the run starts after (0, or a resumed checkpoint's step)
   * @param lastStep the step the run ends with
   * @param interval steps between plain lines when not interactive
   * @param unit what the throughput counts ({@code chars}, {@code seq})
   */
  public Progress(PrintStream out, boolean interactive, long firstStep, long lastStep, long interval, String unit) {
    this(out, interactive, firstStep, lastStep, interval, unit, System::nanoTime);
  }

  Progress(PrintStream out, boolean interactive, long firstStep, long lastStep, long interval, String unit,
      LongSupplier clock) {
    this.out = out;
    this.interactive = interactive;
    this.firstStep = firstStep;
    this.lastStep = lastStep;
    this.interval = Math.max(1, interval);
    this.unit = unit;
    this.clock = clock;
    this.startNanos = clock.getAsLong();
  }

  /** Records that {@code step} finished with {@code loss} after processing {@code itemsThisStep} items. */
  public void step(long step, double loss, long itemsThisStep) {
    items += itemsThisStep;
    long now = clock.getAsLong();
    boolean last = step >= lastStep;
    if (interactive) {
      // Redraw at most 10 times a second, and always at the end.
      if (last || !drawn || now - lastDrawNanos >= 100_000_000L) {
        lastDrawNanos = now;
        drawn = true;
        out.print("\r" + line(step, loss, now, true) + "\u001b[K");
        out.flush();
        open = true;
      }
      if (last) {
        finish();
      }
    } else if (last || (step - firstStep) % interval == 0) {
      out.println(line(step, loss, now, false));
    }
  }

  /** Ends the redrawn line (before printing anything else while training, and at the end). */
  public void finish() {
    if (open) {
      out.println();
      open = false;
    }
  }

  String line(long step, double loss, long now, boolean bar) {
    double elapsed = (now - startNanos) / 1e9;
    long done = step - firstStep;
    long total = lastStep - firstStep;
    double eta = done > 0 ? elapsed / done * (lastStep - step) : Double.NaN;
    double rate = elapsed > 0 ? items / elapsed : Double.NaN;
    int width = Long.toString(lastStep).length();
    StringBuilder sb = new StringBuilder();
    if (bar) {
      int filled = total > 0 ? (int) Math.min(BAR_WIDTH, BAR_WIDTH * done / total) : BAR_WIDTH;
      sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
    }
    sb.append(String.format(Locale.ROOT, "step %" + width + "d/%d  loss %.4f  %s %s/s  elapsed %s  ETA %s", step,
        lastStep, loss, Double.isFinite(rate) ? humanCount(rate) : "?", unit, SampleContext.duration(elapsed),
        step >= lastStep ? "0 s" : SampleContext.duration(eta)));
    return sb.toString();
  }

  /** {@code 950}, {@code 12.3k}, {@code 4.1M}. */
  static String humanCount(double n) {
    if (n < 1000) {
      return String.format(Locale.ROOT, "%.0f", n);
    }
    if (n < 1e6) {
      return String.format(Locale.ROOT, "%.1fk", n / 1e3);
    }
    return String.format(Locale.ROOT, "%.1fM", n / 1e6);
  }
}
