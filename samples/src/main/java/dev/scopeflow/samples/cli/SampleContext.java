package dev.scopeflow.samples.cli;

import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.SessionOptions;
import dev.scopeflow.runtime.opencl.OpenClSession;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a running sample gets from the launcher: its parsed arguments, where to print, whether the output is a
 * terminal, and the shared options turned into a session and an output folder.
 */
public final class SampleContext {
  private final Sample sample;
  private final Arguments args;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;

  public SampleContext(Sample sample, Arguments args, PrintStream out, PrintStream err, boolean interactive) {
    this.sample = sample;
    this.args = args;
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  public Arguments args() {
    return args;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  /** Whether {@link #out()} is a terminal: progress bars redraw one line there, and print plain lines otherwise. */
  public boolean interactive() {
    return interactive;
  }

  /** The runtime chosen with {@code --runtime} and {@code --device}: {@code cpu} or {@code opencl}. */
  public String runtime() {
    String runtime = args.choice(CommonOptions.RUNTIME.name(), "cpu", "opencl");
    String device = args.string(CommonOptions.DEVICE.name()).orElse(null);
    if (device == null) {
      return runtime;
    }
    boolean cpuDevice = device.trim().equalsIgnoreCase("cpu");
    if (runtime.equals("cpu") && !cpuDevice) {
      if (args.given(CommonOptions.RUNTIME.name())) {
        throw new UsageException("--device " + device + " needs --runtime opencl (the cpu runtime has one device, "
            + "'cpu')");
      }
      return "opencl";
    }
    return runtime;
  }

  /** Session options for {@code --runtime} and {@code --device}. */
  public SessionOptions sessionOptions() {
    String runtime = runtime();
    SessionOptions.Builder b = SessionOptions.builder().runtime(runtime);
    args.string(CommonOptions.DEVICE.name())
        .filter(d -> runtime.equals("opencl"))
        .ifPresent(d -> b.set("opencl.device", d.trim()));
    return b.build();
  }

  /** Opens a session on the chosen runtime and device. */
  public Session openSession(Graph graph) {
    return Session.open(graph, sessionOptions());
  }

  /** One line naming what runs the graph: {@code cpu} or {@code opencl: Portable Computing Language / cpu-...}. */
  public static String describe(Session session) {
    if (session instanceof OpenClSession s) {
      return "opencl (" + s.device().qualifiedName() + ", " + s.device().type() + ")";
    }
    return session.runtimeName() + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
  }

  /** {@code --seed}. */
  public long seed() {
    return args.longValue(CommonOptions.SEED.name());
  }

  /** The output folder ({@code --out}, default {@code runs/<sample>}), created if missing. */
  public Path outputDir() {
    Path dir = args.path(CommonOptions.OUT.name()).orElse(Path.of("runs", sample.name()));
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output folder " + dir.toAbsolutePath(), e);
    }
  }

  /** Prints the output folder and the files written there, as the last lines of a run. */
  public void reportOutputs(List<Path> files) {
    out.println();
    out.println("Outputs in " + outputDir().toAbsolutePath().normalize() + ":");
    for (Path f : files) {
      out.println("  " + outputDir().toAbsolutePath().normalize().relativize(f.toAbsolutePath().normalize()));
    }
  }

  /** {@code 1.5 s}, {@code 2 min 05 s}: elapsed and remaining times for people. */
  public static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    if (seconds < 60) {
      return String.format(Locale.ROOT, seconds < 10 ? "%.1f s" : "%.0f s", seconds);
    }
    long s = Math.round(seconds);
    return s < 3600 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
        : String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
