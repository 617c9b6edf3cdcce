package dev.scopeflow.runtime.opencl.perf;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.runtime.opencl.OpenClSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Timings of the OpenCL runtime that issue 8 asks for, printed as tables (not a test; timing never is):
 * <ul>
 *   <li>{@code gemm}: MatMul at the LSTM shapes (forward 1/32/64 x 1024 x 2048, the backward products with b and a
 *       transposed, 512^3) for each GEMM implementation in {@code -Dperf.impls} (default {@code tiled,register}; see
 *       {@code scopeflow.opencl.gemm}), one session per implementation, run in turn so that load from other processes
 *       hits all alike; the fastest of the repetitions within {@code -Dperf.seconds} (default 3) per implementation;
 *   <li>{@code loop}: microseconds per iteration of a small {@code While} loop of {@code -Dperf.iterations} (default
 *       2000) iterations, plain and writing a tensor list each iteration, with and without {@code
 *       maximum_iterations}, with counted loops off ({@code read}: the predicate is read every iteration) and on,
 *       and the host syncs and plan steps per run.
 * </ul>
 * Arguments: {@code gemm} and/or {@code loop} (default both). Run from the repository root after {@code mvn -o -q -pl
 * runtime-opencl -am test-compile}, with the module's test classpath, e.g. {@code java -cp
 * runtime-opencl/target/test-classes:runtime-opencl/target/classes:graph/target/classes:ops/target/classes:<guava,
 * failureaccess, jocl, jocl-blast jars> -Dperf.impls=tiled,auto,clblast
 * dev.scopeflow.runtime.opencl.perf.OpenClPerfMain gemm loop}.
 */
public final class OpenClPerfMain {
  private static final int[][] SHAPES = {
    // m, k, n, transA, transB
    {1, 1024, 2048, 0, 0},
    {32, 1024, 2048, 0, 0},
    {64, 1024, 2048, 0, 0},
    {64, 768, 2048, 0, 0},
    {64, 2048, 1024, 0, 1},
    {1024, 64, 2048, 1, 0},
    {1024, 64, 2048, 0, 0},
    {512, 512, 512, 0, 0},
    {1, 1024, 2048, 0, 1},
    {32, 1024, 2048, 0, 1},
  };

  private OpenClPerfMain() {}

  public static void main(String[] args) {
    boolean gemm = args.length == 0;
    boolean loop = args.length == 0;
    List<String> impls = List.of(System.getProperty("perf.impls", "tiled,register").split(","));
    for (String a : args) {
      gemm |= a.equals("gemm");
      loop |= a.equals("loop");
    }
    if (gemm) {
      gemmTable(impls);
    }
    if (loop) {
      loopTable();
    }
  }

  private static void gemmTable(List<String> impls) {
    double seconds = Double.parseDouble(System.getProperty("perf.seconds", "3"));
    System.out.printf(Locale.ROOT, "%-24s %-10s %10s %10s%n", "shape (m x k x n)", "gemm", "ms", "GFLOP/s");
    Random random = new Random(1);
    for (int[] s : SHAPES) {
      int m = s[0];
      int k = s[1];
      int n = s[2];
      boolean ta = s[3] == 1;
      boolean tb = s[4] == 1;
      Graph graph = new Graph();
      Ops tf = Ops.create(graph);
      Output a = tf.constant(randomTensor(random, ta ? Shape.of(k, m) : Shape.of(m, k)));
      Output b = tf.constant(randomTensor(random, tb ? Shape.of(n, k) : Shape.of(k, n)));
      Output c = tf.linalg.matmul(a, b, ta, tb);
      // A sum makes the fetched value tiny, so the timing is the product's.
      Output sum = tf.math.reduceSum(c, 0);
      String label = m + "x" + k + "x" + n + (ta ? " tA" : "") + (tb ? " tB" : "");
      // Interleaved: one product per implementation in turn, so load from other processes hits all alike; the
      // minimum over the repetitions is reported (the least disturbed one).
      List<Session> sessions = new ArrayList<>();
      double[] best = new double[impls.size()];
      java.util.Arrays.fill(best, Double.MAX_VALUE);
      try {
        for (String impl : impls) {
          select(impl);
          Session session = Session.open(graph, "opencl");
          sessions.add(session);
          session.runner().fetch(sum).run(); // compile and warm up
        }
        long start = System.nanoTime();
        int rounds = 0;
        while (System.nanoTime() - start < seconds * 1e9 * impls.size() || rounds < 3) {
          for (int i = 0; i < impls.size(); i++) {
            select(impls.get(i));
            long t0 = System.nanoTime();
            sessions.get(i).runner().fetch(sum).run();
            best[i] = Math.min(best[i], (System.nanoTime() - t0) / 1e6);
          }
          rounds++;
        }
      } finally {
        sessions.forEach(Session::close);
      }
      for (int i = 0; i < impls.size(); i++) {
        double gflops = 2.0 * m * n * k / (best[i] * 1e6);
        System.out.printf(Locale.ROOT, "%-24s %-10s %10.3f %10.2f%n", label, impls.get(i), best[i], gflops);
      }
    }
    System.clearProperty("scopeflow.opencl.gemm");
  }

  /**
   * {@code i < n: (i, acc) -> (i + 1, acc * 0.5 + 1)} over a 16-float acc, and the same loop writing acc into a
   * tensor list each step (dynamicRnn's pattern): milliseconds per iteration and host syncs per run.
   */
  private static void loopTable() {
    int iterations = Integer.getInteger("perf.iterations", 2000);
    System.out.printf(Locale.ROOT, "%-34s %-8s %12s %12s %12s%n", "loop (" + iterations + " iterations)", "while",
        "us/iter", "syncs/run", "steps/run");
    for (boolean withList : new boolean[] {false, true}) {
      for (boolean maxIterations : new boolean[] {false, true}) {
        Graph graph = new Graph();
        Ops tf = Ops.create(graph);
        Output n = tf.constant(iterations);
        Output acc0 = tf.constant(new float[16]);
        List<Output> vars = new ArrayList<>(List.of(tf.constant(0), acc0));
        if (withList) {
          vars.add(tf.tensorList.reserve(Shape.of(16), n, DType.FLOAT32));
        }
        var options = dev.scopeflow.ops.ControlFlowOps.whileOptions();
        if (maxIterations) {
          options.maximumIterations(n);
        }
        List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), n), v -> {
          Output next = tf.math.add(tf.math.mul(v.get(1), tf.constant(0.5f)), tf.constant(1f));
          List<Output> r = new ArrayList<>(List.of(tf.math.add(v.get(0), tf.constant(1)), next));
          if (withList) {
            r.add(tf.tensorList.setItem(v.get(2), v.get(0), next, Shape.of(16)));
          }
          return r;
        }, vars, options);
        Output fetch = withList ? tf.tensorList.stack(out.get(2), Shape.of(16), DType.FLOAT32, iterations)
            : out.get(1);
        // Counted loops off and on, interleaved run by run; the fastest run of each is reported.
        String name = (withList ? "list write" : "plain") + (maxIterations ? " + maximum_iterations" : "");
        for (boolean counted : new boolean[] {false, true}) {
          System.setProperty("scopeflow.opencl.countedLoops", Boolean.toString(counted));
          try (Session session = Session.open(graph, "opencl")) {
            OpenClSession s = (OpenClSession) session;
            session.runner().fetch(fetch).run();
            long syncs0 = s.hostSyncCount();
            long kernels0 = session.metrics().kernelsExecuted();
            int runs = 5;
            double best = Double.MAX_VALUE;
            for (int r = 0; r < runs; r++) {
              long start = System.nanoTime();
              session.runner().fetch(fetch).run();
              best = Math.min(best, (System.nanoTime() - start) / 1e3 / iterations);
            }
            System.out.printf(Locale.ROOT, "%-34s %-8s %12.2f %12d %12d%n", name, counted ? "counted" : "read",
                best, (s.hostSyncCount() - syncs0) / runs, (session.metrics().kernelsExecuted() - kernels0) / runs);
          }
        }
        System.clearProperty("scopeflow.opencl.countedLoops");
      }
    }
  }

  private static void select(String impl) {
    System.setProperty("scopeflow.opencl.gemm", impl);
  }

  private static Tensor randomTensor(Random random, Shape shape) {
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextFloat() * 2 - 1;
    }
    return Tensor.create(shape, v);
  }
}
