package dev.scopeflow.samples;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Runtimes;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.SessionOptions;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.runtime.opencl.OpenClDeviceInfo;
import dev.scopeflow.runtime.opencl.OpenClDevices;
import dev.scopeflow.samples.cli.CommonOptions;
import dev.scopeflow.samples.cli.Option;
import dev.scopeflow.samples.cli.Sample;
import dev.scopeflow.samples.cli.SampleContext;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * The {@code devices} sample: lists the runtimes and every OpenCL platform and device, then checks the device that
 * {@code --runtime}/{@code --device} select (the default OpenCL device when OpenCL is there) by running a small graph
 * on it and comparing with the CPU runtime.
 */
final class Devices implements Sample {
  /** Largest difference from the CPU runtime the self-check accepts (float32, sums of 256 products). */
  static final double TOLERANCE = 1e-4;

  @Override
  public String name() {
    return "devices";
  }

  @Override
  public String summary() {
    return "list the runtimes and OpenCL platforms/devices, and check the selected device against the cpu runtime";
  }

  @Override
  public List<Option> options() {
    return CommonOptions.session();
  }

  @Override
  public int run(SampleContext context) {
    var out = context.out();
    boolean openClAsked = context.args().given("runtime") || context.args().given("device");
    String runtime = context.runtime();
    out.println("Runtimes: " + String.join(", ", Runtimes.available()));
    out.println("cpu: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
        + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    Optional<String> unavailable = OpenClDevices.unavailableReason();
    if (unavailable.isPresent()) {
      out.println("OpenCL: unavailable: " + unavailable.get());
      if (runtime.equals("opencl")) {
        context.err().println("devices: --runtime opencl was asked for, but OpenCL is unavailable (see above)");
        return Main.EXIT_FAILURE;
      }
    } else {
      List<OpenClDeviceInfo> devices = OpenClDevices.list();
      out.println("OpenCL: " + devices.size() + " device(s) (--device takes the index, a type or part of the name):");
      for (OpenClDeviceInfo d : devices) {
        out.println("  " + d.describe());
      }
      if (!openClAsked) {
        runtime = "opencl"; // check the default OpenCL device
      }
    }
    if (runtime.equals("cpu")) {
      out.println("Self-check: the cpu runtime is the reference; nothing to compare.");
      return 0;
    }
    SessionOptions options = openClAsked ? context.sessionOptions()
        : SessionOptions.builder().runtime("opencl").build();
    return selfCheck(context, options);
  }

  /** A [64,256] x [256,128] MatMul + tanh on the selected device against the same graph on the CPU runtime. */
  private static int selfCheck(SampleContext context, SessionOptions options) {
    Graph g = new Graph();
    Ops tf = Ops.create(g);
    Output a = tf.placeholder(DType.FLOAT32, Shape.of(-1, 256));
    Random random = new Random(context.args().given("device") ? 1 : 2);
    float[] w = new float[256 * 128];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() / 16);
    }
    float[] x = new float[64 * 256];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    Output y = tf.nn.tanh(tf.linalg.matmul(a, tf.constant(Tensor.create(Shape.of(256, 128), w))));
    Tensor feed = Tensor.create(Shape.of(64, 256), x);
    Tensor expected;
    try (Session cpu = Session.open(g, "cpu")) {
      expected = cpu.runner().feed(a, feed).fetch(y).run().get(0);
    }
    try (Session session = Session.open(g, options)) {
      long start = System.nanoTime();
      Tensor got = session.runner().feed(a, feed).fetch(y).run().get(0);
      double seconds = (System.nanoTime() - start) / 1e9;
      double maxDiff = 0;
      for (int i = 0; i < got.size(); i++) {
        maxDiff = Math.max(maxDiff, Math.abs(got.getDouble(i) - expected.getDouble(i)));
      }
      String verdict = maxDiff <= TOLERANCE ? "agrees with" : "DIFFERS from";
      context.out().printf(Locale.ROOT, "Self-check on %s: MatMul [64,256]x[256,128] + tanh %s the cpu runtime "
          + "(max |difference| %.1e) in %s, first run (kernel builds included)%n", SampleContext.describe(session),
          verdict, maxDiff, SampleContext.duration(seconds));
      return maxDiff <= TOLERANCE ? 0 : Main.EXIT_FAILURE;
    }
  }
}
