package dev.scopeflow.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The GEMM kernels of {@code MatMul} against a float64 reference computed here in plain loops, for every
 * implementation the kernel selects between ({@code -Dscopeflow.opencl.gemm}: auto, register, tiled), every
 * combination of transpose flags, float32 and float64: the LSTM shapes scaled down (skinny rows against wide
 * weights, and the two backward products), a matrix-vector product (m = 1), and odd sizes that leave partial vector
 * blocks and rows in every dimension. Each element must be within a tolerance relative to {@code sum |a||b|} of its
 * dot product (float32 1e-5, float64 1e-12). CLBlast is checked the same way when asked for.
 */
@RequiresOpenCl
class GemmKernelsTest {
  private static final String PROPERTY = "scopeflow.opencl.gemm";

  /** m, k, n. */
  private static final int[][] SHAPES = {
    {1, 256, 512}, // matrix-vector, the batch-1 LSTM step
    {16, 128, 512}, // skinny forward product
    {64, 256, 128}, // the input-gradient product's shape (b transposed in training)
    {128, 16, 256}, // the weight-gradient product's shape (a transposed in training)
    {1, 37, 29},
    {3, 5, 7},
    {13, 67, 45},
    {9, 17, 8},
    {17, 33, 1},
    {1, 1, 1},
    {65, 70, 66},
  };

  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);

  @Test
  void everyImplementationAndTransposeMatchesAFloat64Reference() {
    String before = System.getProperty(PROPERTY);
    try {
      for (String impl : List.of("auto", "register", "tiled")) {
        System.setProperty(PROPERTY, impl);
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
          for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
              check(impl, dtype, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0);
            }
          }
        }
      }
    } finally {
      if (before == null) {
        System.clearProperty(PROPERTY);
      } else {
        System.setProperty(PROPERTY, before);
      }
    }
  }

  /** The LSTM shapes at full size, as the forward and backward passes use them (float32 only: they are large). */
  @Test
  void fullSizeLstmProducts() {
    check("auto", DType.FLOAT32, 64, 768, 2048, false, false);
    check("auto", DType.FLOAT32, 64, 2048, 768, false, true);
    check("auto", DType.FLOAT32, 768, 64, 2048, true, false);
    check("auto", DType.FLOAT32, 1, 768, 2048, false, false);
  }

  /**
   * CLBlast (opt-in: {@code -Dscopeflow.test.clblast=true}, since it compiles its kernels for about 20 s on first use
   * in a process), where its libraries load.
   */
  @Test
  @EnabledIfSystemProperty(named = "scopeflow.test.clblast", matches = "true")
  void clblastMatchesAFloat64Reference() {
    Assumptions.assumeTrue(ClBlastGemm.unavailableReason().isEmpty(), () -> "CLBlast did not load: "
        + ClBlastGemm.unavailableReason().orElse(""));
    for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
      for (int t = 0; t < 4; t++) {
        check("clblast", dtype, 13, 67, 45, (t & 1) != 0, (t & 2) != 0);
        check("clblast", dtype, 1, 64, 33, (t & 1) != 0, (t & 2) != 0);
      }
    }
  }

  private void check(String impl, DType dtype, int m, int k, int n, boolean ta, boolean tb) {
    System.setProperty(PROPERTY, impl);
    try {
      double[] a = randomValues(m * k);
      double[] b = randomValues(k * n);
      Graph graph = new Graph();
      Ops tf = Ops.create(graph);
      Shape aShape = ta ? Shape.of(k, m) : Shape.of(m, k);
      Shape bShape = tb ? Shape.of(n, k) : Shape.of(k, n);
      Output pa = tf.placeholder(dtype, aShape);
      Output pb = tf.placeholder(dtype, bShape);
      Output c = tf.linalg.matmul(pa, pb, ta, tb);
      double[] got;
      try (Session session = Session.open(graph, "opencl")) {
        got = session.runner().feed(pa, Tensor.fromDoubles(dtype, aShape, a))
            .feed(pb, Tensor.fromDoubles(dtype, bShape, b)).fetch(c).run().get(0).asDoubles();
      }
      assertEquals(m * n, got.length);
      double relative = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
      // Values as the kernel saw them: float32 inputs rounded first.
      double[] av = rounded(dtype, a);
      double[] bv = rounded(dtype, b);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double sum = 0;
          double abs = 0;
          for (int p = 0; p < k; p++) {
            double x = ta ? av[p * m + i] : av[i * k + p];
            double y = tb ? bv[j * k + p] : bv[p * n + j];
            sum += x * y;
            abs += Math.abs(x * y);
          }
          double error = Math.abs(got[i * n + j] - sum);
          double tol = relative * abs + 1e-30;
          if (!(error <= tol)) {
            fail(impl + " " + dtype + " " + m + "x" + k + "x" + n + " transpose_a=" + ta
                + " transpose_b=" + tb + ": c[" + i + ", " + j + "] = " + got[i * n + j] + ", expected " + sum
                + " (error " + error + " > " + tol + "; seed " + seed + ")");
          }
        }
      }
    } finally {
      System.clearProperty(PROPERTY);
    }
  }

  private double[] randomValues(int size) {
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = random.nextDouble() * 2 - 1;
    }
    return v;
  }

  private static double[] rounded(DType dtype, double[] v) {
    if (dtype != DType.FLOAT32) {
      return v;
    }
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = (float) v[i];
    }
    return r;
  }
}
