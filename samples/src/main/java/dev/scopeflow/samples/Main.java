package dev.scopeflow.samples;

import dev.scopeflow.samples.cli.Arguments;
import dev.scopeflow.samples.cli.Option;
import dev.scopeflow.samples.cli.Sample;
import dev.scopeflow.samples.cli.SampleContext;
import dev.scopeflow.samples.cli.UsageException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The launcher's entry point ({@code ./scopeflow [SAMPLE] [OPTIONS]}): runs a sample by name, {@code char-lm} when
 * none is named; {@code --help} lists every sample and its options, {@code SAMPLE --help} one sample's.
 */
public final class Main {
  /** Exit code for a run that failed. */
  public static final int EXIT_FAILURE = 1;
  /** Exit code for wrong arguments. */
  public static final int EXIT_USAGE = 2;

  /** The samples, in the order the help lists them; the first is the default. */
  static final List<Sample> SAMPLES = List.of(
      new dev.scopeflow.samples.charlm.CharLm(),
      new dev.scopeflow.samples.siamese.WeightSharing(),
      new dev.scopeflow.samples.regression.SequenceRegression(),
      new InspectCheckpoint.AsSample(),
      new Devices());

  /**
   * The RNN cells and functions log TF's deprecation notices (tf.nn.rnn_cell is deprecated in TF 2, ...) as TF does;
   * the samples use those APIs on purpose, so the launcher hides them unless {@code -Dscopeflow.log=info}. Held here
   * because java.util.logging keeps loggers only weakly.
   */
  private static final java.util.logging.Logger RNN_NOTICES = java.util.logging.Logger.getLogger("dev.scopeflow.rnn");

  private Main() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    quietLogging();
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    int code = run(args, System.out, System.err, terminal);
    System.out.flush();
    System.exit(code);
  }

  /**
   * The library logs through {@code System.Logger} (java.util.logging here): warnings and errors are shown as one
   * line each, INFO (which GEMM engine loaded, checkpoint paths) only with {@code -Dscopeflow.log=info}. A logging
   * configuration file given with {@code -Djava.util.logging.config.file} wins.
   */
  private static void quietLogging() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
    java.util.logging.Level level = "info".equalsIgnoreCase(System.getProperty("scopeflow.log", ""))
        ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING;
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel(level);
    if (level != java.util.logging.Level.INFO) {
      RNN_NOTICES.setLevel(java.util.logging.Level.SEVERE);
    }
    for (java.util.logging.Handler h : root.getHandlers()) {
      h.setLevel(level);
      h.setFormatter(new java.util.logging.SimpleFormatter());
    }
  }

  /** Runs the launcher with the given streams; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean interactive) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
      printHelp(out);
      return 0;
    }
    Sample sample = SAMPLES.get(0);
    String[] rest = args;
    if (args.length > 0 && !args[0].startsWith("-")) {
      Optional<Sample> named = find(args[0]);
      if (named.isEmpty()) {
        err.println("scopeflow: no sample called '" + args[0] + "'. Samples: "
            + String.join(", ", SAMPLES.stream().map(Sample::name).toList()) + " (./scopeflow --help)");
        return EXIT_USAGE;
      }
      sample = named.get();
      rest = Arrays.copyOfRange(args, 1, args.length);
    }
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      printSampleHelp(sample, out);
      return 0;
    }
    try {
      Arguments parsed = Arguments.parse(sample.name(), sample.options(), rest);
      return sample.run(new SampleContext(sample, parsed, out, err, interactive));
    } catch (UsageException e) {
      err.println("scopeflow " + sample.name() + ": " + e.getMessage());
      err.println(usageLine(sample));
      return EXIT_USAGE;
    } catch (Exception e) {
      err.println("scopeflow " + sample.name() + " failed: " + e);
      for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
        err.println("  caused by: " + c);
      }
      return EXIT_FAILURE;
    }
  }

  static Optional<Sample> find(String name) {
    return SAMPLES.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  static void printHelp(PrintStream out) {
    out.println("ScopeFlow samples: TF1-style static graphs, variable scopes and LSTMs on the JVM.");
    out.println();
    out.println("Usage: ./scopeflow [SAMPLE] [OPTIONS]      (no SAMPLE runs " + SAMPLES.get(0).name() + ")");
    out.println("       ./scopeflow SAMPLE --help");
    out.println();
    out.println("Samples:");
    int width = SAMPLES.stream().mapToInt(s -> s.name().length()).max().orElse(0) + 2;
    for (Sample s : SAMPLES) {
      out.println("  " + pad(s.name(), width) + s.summary());
    }
    for (Sample s : SAMPLES) {
      out.println();
      printOptions(s, out);
    }
    out.println();
    out.println("Environment: JAVA_OPTS adds JVM options (e.g. -Xmx4g); the first run builds the samples jar with "
        + "Maven.");
  }

  static void printSampleHelp(Sample sample, PrintStream out) {
    out.println(sample.name() + ": " + sample.summary());
    out.println();
    out.println(usageLine(sample));
    out.println();
    printOptions(sample, out);
  }

  private static String usageLine(Sample sample) {
    String positional = sample.positionalUsage().isEmpty() ? "" : " " + sample.positionalUsage();
    return "Usage: ./scopeflow " + sample.name() + positional + " [OPTIONS]";
  }

  private static void printOptions(Sample sample, PrintStream out) {
    String positional = sample.positionalUsage().isEmpty() ? "" : " " + sample.positionalUsage();
    out.println(sample.name() + positional + (sample.options().isEmpty() ? "   (no options)" : " options:"));
    int width = sample.options().stream().mapToInt(o -> synopsis(o).length()).max().orElse(0) + 2;
    for (Option o : sample.options()) {
      String dflt = o.defaultValue().map(d -> " (default " + d + ")").orElse("");
      out.println("  " + pad(synopsis(o), width) + o.help() + dflt);
    }
  }

  private static String synopsis(Option o) {
    return o.synopsis();
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
  }
}
