package dev.scopeflow.samples.testing;

import dev.scopeflow.samples.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the launcher's entry point in-process, as {@code ./scopeflow ARGS} would, and keeps what it printed. */
public final class LauncherRun {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** {@code ./scopeflow args...} with output that is not a terminal; returns the exit code. */
  public int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
  }

  /** {@code ./scopeflow sample args...}. */
  public int runSample(String sample, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = sample;
    System.arraycopy(args, 0, all, 1, args.length);
    return run(all);
  }

  /** Everything printed to standard output so far. */
  public String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Everything printed to standard error so far. */
  public String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Forgets what was printed. */
  public void reset() {
    out.reset();
    err.reset();
  }
}
