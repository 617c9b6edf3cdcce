package dev.scopeflow.samples.cli;

import java.util.List;

/** Options shared by samples, declared once so they read the same everywhere. */
public final class CommonOptions {
  private CommonOptions() {}

  /** {@code --runtime}: which runtime runs the graph. */
  public static final Option RUNTIME = Option.value("runtime", "cpu|opencl", "cpu",
      "runtime that runs the graph (opencl: any vendor's OpenCL device; see the devices sample)");
  /** {@code --device}: which device of the runtime; a non-cpu value implies {@code --runtime opencl}. */
  public static final Option DEVICE = Option.optional("device", "SPEC",
      "device: cpu, gpu, accelerator, an index of the devices listing, or part of its name (implies --runtime "
          + "opencl unless it is cpu)");
  /** {@code --out}: where a sample writes its checkpoints and pictures. */
  public static final Option OUT = Option.optional("out", "DIR", "output folder (default: runs/<sample>)");
  /** {@code --seed}: the graph-level random seed and the seed of the data. */
  public static final Option SEED = Option.value("seed", "N", "42", "random seed (initial weights and data)");

  /** Runtime and device: for every sample that opens a session. */
  public static List<Option> session() {
    return List.of(RUNTIME, DEVICE);
  }

  /** Runtime, device, output folder and seed: for samples that train. */
  public static List<Option> training() {
    return List.of(RUNTIME, DEVICE, OUT, SEED);
  }

  /** A training sample's own options followed by {@link #training()}, in the order its help lists them. */
  public static List<Option> withTraining(Option... own) {
    List<Option> all = new java.util.ArrayList<>(List.of(own));
    all.addAll(training());
    return List.copyOf(all);
  }
}
