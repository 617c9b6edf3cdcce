package dev.scopeflow.samples.cli;

import java.util.List;

/**
 * A program the launcher ({@code ./scopeflow NAME}) runs by name. Implementations declare their options, so the
 * launcher's {@code --help} lists every sample with its options from the same declarations the parser uses.
 */
public interface Sample {
  /** The name on the command line: {@code char-lm}. */
  String name();

  /** One line for the sample listing. */
  String summary();

  /** Every option the sample accepts, including the shared ones it uses ({@link CommonOptions}). */
  List<Option> options();

  /** Positional arguments for the usage line ({@code "<checkpoint>"}); empty when the sample takes none. */
  default String positionalUsage() {
    return "";
  }

  /**
   * Runs the sample.
   *
   * @return the exit code: 0 on success, 1 on failure (the sample has printed why to {@link SampleContext#err()})
   * @throws UsageException for wrong arguments (the launcher prints it with the usage and exits with 2)
   */
  int run(SampleContext context) throws Exception;
}
