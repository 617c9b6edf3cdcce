package dev.scopeflow.samples.output;

import com.google.common.base.Preconditions;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A line chart of training curves drawn with Java2D and written as PNG: one or more series of (step, value) points,
 * optional horizontal reference lines (a baseline's error, the unigram entropy), axes with round ticks, a legend.
 * Needs no display ({@code java.awt.headless}) and no library beyond the JDK.
 */
public final class LossPlot {
  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e)};
  /** Reference lines: dark grey, then other dark colours, each with its own dash pattern, so two can be told apart. */
  private static final Color[] REFERENCE_COLORS = {new Color(0x444444), new Color(0x8c564b), new Color(0x7f7f7f)};
  private static final float[][] REFERENCE_DASHES = {{7f, 5f}, {2f, 4f}, {10f, 4f, 2f, 4f}};

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Reference> references = new ArrayList<>();
  private int width = 960;
  private int height = 560;

  private record Series(String name, double[] x, double[] y, Color color, float strokeWidth) {}

  private record Reference(String name, double y) {}

  public LossPlot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** Adds a curve; {@code x} and {@code y} have the same length; non-finite values are skipped. */
  public LossPlot series(String name, double[] x, double[] y) {
    return series(name, x, y, 2f);
  }

  /** Adds a thin, light curve (raw values under a smoothed one). */
  public LossPlot faintSeries(String name, double[] x, double[] y) {
    return series(name, x, y, 1f);
  }

  private LossPlot series(String name, double[] x, double[] y, float strokeWidth) {
    Preconditions.checkArgument(x.length == y.length, "series %s: %s x values but %s y values", name, x.length,
        y.length);
    // A faint series shares its hue with the next full one (raw values under their moving average).
    Color color = PALETTE[(int) (series.stream().filter(s -> s.strokeWidth() >= 2f).count() % PALETTE.length)];
    if (strokeWidth < 2f) {
      color = new Color(color.getRed(), color.getGreen(), color.getBlue(), 80);
    }
    series.add(new Series(name, x.clone(), y.clone(), color, strokeWidth));
    return this;
  }

  /** Adds a dashed horizontal line at {@code y}, named in the legend. */
  public LossPlot reference(String name, double y) {
    Preconditions.checkArgument(Double.isFinite(y), "reference %s: %s", name, y);
    references.add(new Reference(name, y));
    return this;
  }

  /** Image size in pixels (default 960 x 560). */
  public LossPlot size(int width, int height) {
    Preconditions.checkArgument(width >= 200 && height >= 150, "plot size %sx%s", width, height);
    this.width = width;
    this.height = height;
    return this;
  }

  /** Draws the chart. */
  public BufferedImage render() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      draw(g);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Writes the chart as PNG (to a temporary file first, then renamed, so a reader never sees half a file). */
  public Path writePng(Path file) throws IOException {
    BufferedImage image = render();
    return AtomicFiles.write(file, tmp -> {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer in this JDK");
      }
    });
  }

  private void draw(Graphics2D g) {
    Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    g.setFont(base.deriveFont(Font.BOLD, 16f));
    FontMetrics titleMetrics = g.getFontMetrics();
    g.setColor(Color.BLACK);
    g.drawString(title, (width - titleMetrics.stringWidth(title)) / 2, 28);

    double[] xr = range(true);
    double[] yr = range(false);
    double[] xTicks = ticks(xr[0], xr[1], 8);
    double[] yTicks = ticks(yr[0], yr[1], 7);
    xr = new double[] {Math.min(xr[0], xTicks[0]), Math.max(xr[1], xTicks[xTicks.length - 1])};
    yr = new double[] {Math.min(yr[0], yTicks[0]), Math.max(yr[1], yTicks[yTicks.length - 1])};

    g.setFont(base);
    FontMetrics fm = g.getFontMetrics();
    int left = 24 + fm.getHeight() + maxWidth(fm, yTicks);
    int right = width - 24;
    int top = 48;
    int bottom = height - 32 - 2 * fm.getHeight();
    Axis x = new Axis(xr[0], xr[1], left, right);
    Axis y = new Axis(yr[0], yr[1], bottom, top);

    // Grid and tick labels
    g.setStroke(new BasicStroke(1f));
    for (double t : yTicks) {
      int py = y.pixel(t);
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(left, py, right, py);
      g.setColor(Color.DARK_GRAY);
      String label = format(t, yTicks);
      g.drawString(label, left - 6 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
    }
    for (double t : xTicks) {
      int px = x.pixel(t);
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(px, top, px, bottom);
      g.setColor(Color.DARK_GRAY);
      String label = format(t, xTicks);
      g.drawString(label, px - fm.stringWidth(label) / 2, bottom + 4 + fm.getAscent());
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, right - left, bottom - top);
    g.drawString(xLabel, (left + right - fm.stringWidth(xLabel)) / 2, height - 14);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString(yLabel, -(top + bottom + fm.stringWidth(yLabel)) / 2, 18 + fm.getAscent());
    rotated.dispose();

    // Curves, clipped to the plot area
    Graphics2D plot = (Graphics2D) g.create();
    plot.clipRect(left, top, right - left + 1, bottom - top + 1);
    for (int i = 0; i < references.size(); i++) {
      referenceStyle(plot, i);
      plot.drawLine(left, y.pixel(references.get(i).y()), right, y.pixel(references.get(i).y()));
    }
    for (Series s : series) {
      plot.setColor(s.color());
      plot.setStroke(new BasicStroke(s.strokeWidth(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      Path2D.Double path = new Path2D.Double();
      boolean penDown = false;
      int points = 0;
      for (int i = 0; i < s.x().length; i++) {
        if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
          penDown = false;
          continue;
        }
        double px = x.exact(s.x()[i]);
        double py = y.exact(s.y()[i]);
        if (penDown) {
          path.lineTo(px, py);
        } else {
          path.moveTo(px, py);
          penDown = true;
        }
        points++;
      }
      plot.draw(path);
      if (points == 1) {
        plot.fill(new java.awt.geom.Ellipse2D.Double(path.getCurrentPoint().getX() - 3,
            path.getCurrentPoint().getY() - 3, 6, 6));
      }
    }
    plot.dispose();
    drawLegend(g, fm, right, top);
  }

  private void drawLegend(Graphics2D g, FontMetrics fm, int right, int top) {
    List<String> names = new ArrayList<>();
    series.forEach(s -> names.add(s.name()));
    references.forEach(r -> names.add(r.name()));
    if (names.isEmpty()) {
      return;
    }
    int lineHeight = fm.getHeight() + 2;
    int boxWidth = 40 + names.stream().mapToInt(fm::stringWidth).max().orElse(0);
    int boxHeight = 8 + lineHeight * names.size();
    int bx = right - boxWidth - 10;
    int by = top + 10;
    g.setColor(new Color(255, 255, 255, 230));
    g.fillRect(bx, by, boxWidth, boxHeight);
    g.setColor(Color.GRAY);
    g.drawRect(bx, by, boxWidth, boxHeight);
    int row = 0;
    for (Series s : series) {
      int cy = by + 4 + lineHeight * row + lineHeight / 2;
      g.setColor(s.color());
      g.setStroke(new BasicStroke(Math.max(2f, s.strokeWidth())));
      g.drawLine(bx + 6, cy, bx + 30, cy);
      g.setColor(Color.BLACK);
      g.drawString(s.name(), bx + 36, cy + fm.getAscent() / 2 - 1);
      row++;
    }
    for (int i = 0; i < references.size(); i++) {
      int cy = by + 4 + lineHeight * row + lineHeight / 2;
      referenceStyle(g, i);
      g.drawLine(bx + 6, cy, bx + 30, cy);
      g.setColor(Color.BLACK);
      g.drawString(references.get(i).name(), bx + 36, cy + fm.getAscent() / 2 - 1);
      row++;
    }
  }

  private static void referenceStyle(Graphics2D g, int index) {
    g.setColor(REFERENCE_COLORS[index % REFERENCE_COLORS.length]);
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        REFERENCE_DASHES[index % REFERENCE_DASHES.length], 0f));
  }

  /** Data range of x or y over every series (and, for y, the references), padded so curves do not touch the frame. */
  private double[] range(boolean ofX) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
          double v = ofX ? s.x()[i] : s.y()[i];
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!ofX) {
      for (Reference r : references) {
        lo = Math.min(lo, r.y());
        hi = Math.max(hi, r.y());
      }
    }
    if (lo > hi) {
      return new double[] {0, 1};
    }
    if (lo == hi) {
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      return new double[] {lo - pad, hi + pad};
    }
    if (ofX) {
      return new double[] {lo, hi};
    }
    double pad = (hi - lo) * 0.04;
    return new double[] {lo - pad, hi + pad};
  }

  /** Round tick values (steps of 1, 2 or 5 times a power of ten) covering [lo, hi], about {@code target} of them. */
  static double[] ticks(double lo, double hi, int target) {
    double raw = (hi - lo) / Math.max(1, target);
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * magnitude >= raw) {
        step = m * magnitude;
        break;
      }
    }
    double first = Math.floor(lo / step) * step;
    double last = Math.ceil(hi / step) * step;
    int n = (int) Math.round((last - first) / step) + 1;
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = first + i * step;
    }
    return t;
  }

  private static String format(double v, double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
    int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    if (Math.abs(v) >= 1e6 && decimals == 0) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step / 2 ? 0.0 : v);
  }

  private static int maxWidth(FontMetrics fm, double[] ticks) {
    int w = 0;
    for (double t : ticks) {
      w = Math.max(w, fm.stringWidth(format(t, ticks)));
    }
    return w;
  }

  /** Maps data values to pixels along one axis. */
  private record Axis(double lo, double hi, int from, int to) {
    double exact(double v) {
      return from + (v - lo) / (hi - lo) * (to - from);
    }

    int pixel(double v) {
      return (int) Math.round(exact(v));
    }
  }
}
