package dev.scopeflow.runtime.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.scopeflow.graph.SessionOptions;
import dev.scopeflow.runtime.cpu.kernels.EjmlGemm;
import dev.scopeflow.runtime.cpu.kernels.gemm.JavaGemm;
import dev.scopeflow.runtime.cpu.kernels.gemm.OpenBlasGemm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every GEMM engine against a naive float64 triple loop: every transpose combination, offsets, leading dimensions
 * wider than the rows, alpha and beta (including BLAS's "beta = 0 does not read C", with NaN in C), empty and
 * matrix-vector shapes, products large enough for the blocked, packed and multithreaded paths, and untouched memory
 * outside C's block. OpenBLAS is skipped where it cannot load, except on CI ({@code CI=true}), which must have it.
 */
class GemmEngineTest extends SeededTestBase {
  /** One GEMM problem laid out in arrays with offsets, padded strides and guard elements around the matrices. */
  private final class Problem {
    final boolean transA;
    final boolean transB;
    final int m;
    final int n;
    final int k;
    final int aOffset;
    final int lda;
    final int bOffset;
    final int ldb;
    final int cOffset;
    final int ldc;
    final double[] a;
    final double[] b;
    final double[] c;

    /**
     * @param layout 0: compact rows from index 0; 1: offsets; 2: row strides wider than the rows; 3: both
     */
    Problem(boolean transA, boolean transB, int m, int n, int k, int layout, boolean nanInC) {
      this.transA = transA;
      this.transB = transB;
      this.m = m;
      this.n = n;
      this.k = k;
      int aRows = transA ? k : m;
      int aCols = transA ? m : k;
      int bRows = transB ? n : k;
      int bCols = transB ? k : n;
      boolean offsets = (layout & 1) != 0;
      boolean strides = (layout & 2) != 0;
      aOffset = offsets ? 1 + random.nextInt(5) : 0;
      bOffset = offsets ? 1 + random.nextInt(5) : 0;
      cOffset = offsets ? 1 + random.nextInt(5) : 0;
      lda = Math.max(1, aCols) + (strides ? random.nextInt(4) + 1 : 0);
      ldb = Math.max(1, bCols) + (strides ? random.nextInt(4) + 1 : 0);
      ldc = Math.max(1, n) + (strides ? random.nextInt(4) + 1 : 0);
      a = randomArray(aOffset + aRows * lda + 3);
      b = randomArray(bOffset + bRows * ldb + 3);
      c = randomArray(cOffset + m * ldc + 3);
      if (nanInC) {
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            c[cOffset + i * ldc + j] = Double.NaN;
          }
        }
      }
    }

    /**
     * The expected C array for inputs {@code a}, {@code b}, {@code c} in this layout: the block replaced by
     * {@code alpha op(A) op(B) + beta C}, everything else unchanged.
     */
    double[] expected(double[] a, double[] b, double[] c, double alpha, double beta) {
      double[] e = c.clone();
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            double x = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
            double y = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
            s += x * y;
          }
          int idx = cOffset + i * ldc + j;
          e[idx] = alpha * s + (beta == 0 ? 0 : beta * c[idx]);
        }
      }
      return e;
    }

    float[] floats(double[] x) {
      float[] f = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        f[i] = (float) x[i];
      }
      return f;
    }
  }

  private double[] randomArray(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextDouble() * 2 - 1;
    }
    return x;
  }

  private static double[] widen(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  private void assertClose(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double a = actual[i];
      if (!(Math.abs(e - a) <= tol * Math.max(1, Math.abs(e)))) {
        fail(what + ": element " + i + " expected " + e + " but was " + a + " (seed " + seed + ")");
      }
    }
  }

  private static Gemm engine(String name) {
    switch (name) {
      case "ejml":
        return EjmlGemm.INSTANCE;
      case "java":
        return JavaGemm.INSTANCE;
      case "openblas": {
        OpenBlasGemm.Loaded loaded = OpenBlasGemm.load();
        if ("true".equals(System.getenv("CI"))) {
          assertTrue(loaded.engine().isPresent(), "CI must have OpenBLAS (libopenblas0-pthread): " + loaded.detail());
        }
        assumeTrue(loaded.engine().isPresent(), "OpenBLAS not available here: " + loaded.detail());
        return loaded.engine().get();
      }
      default:
        throw new IllegalArgumentException(name);
    }
  }

  private void check(Gemm gemm, Problem p, double alpha, double beta) {
    String what = "transA=" + p.transA + " transB=" + p.transB + " m=" + p.m + " n=" + p.n + " k=" + p.k + " offsets="
        + p.aOffset + "/" + p.bOffset + "/" + p.cOffset + " ld=" + p.lda + "/" + p.ldb + "/" + p.ldc + " alpha="
        + alpha + " beta=" + beta + " engine=" + gemm;
    // float64: expected and inputs are the same doubles.
    double[] expected = p.expected(p.a, p.b, p.c, alpha, beta);
    double[] c = p.c.clone();
    gemm.dgemm(p.transA, p.transB, p.m, p.n, p.k, alpha, p.a, p.aOffset, p.lda, p.b, p.bOffset, p.ldb,
        beta, c, p.cOffset, p.ldc);
    assertClose(expected, c, 1e-12 * Math.max(1, p.k), "dgemm " + what);
    // float32: the reference works on the float-rounded inputs, in double.
    float[] af = p.floats(p.a);
    float[] bf = p.floats(p.b);
    float[] cf = p.floats(p.c);
    double[] expectedF = p.expected(widen(af), widen(bf), widen(cf), (float) alpha, (float) beta);
    gemm.sgemm(p.transA, p.transB, p.m, p.n, p.k, (float) alpha, af, p.aOffset, p.lda, bf, p.bOffset,
        p.ldb, (float) beta, cf, p.cOffset, p.ldc);
    double[] cfd = widen(cf);
    assertClose(expectedF, cfd, 2e-6 * Math.max(1, Math.sqrt(p.k)), "sgemm " + what);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "java", "openblas"})
  void everyTransposeComboWithCompactAndPaddedLayouts(String engineName) {
    Gemm gemm = engine(engineName);
    int[][] sizes = {{3, 4, 5}, {1, 1, 1}, {1, 6, 4}, {5, 1, 3}, {4, 3, 1}, {7, 9, 2}, {16, 20, 33}};
    double[][] alphaBetas = {{1, 0}, {1, 1}, {0.5, 0}, {-2, 0.3}, {1.5, -1}, {0, 0.7}, {0, 0}};
    for (boolean transA : new boolean[] {false, true}) {
      for (boolean transB : new boolean[] {false, true}) {
        for (int[] s : sizes) {
          for (int layout = 0; layout < 4; layout++) {
            for (double[] ab : alphaBetas) {
              check(gemm, new Problem(transA, transB, s[0], s[1], s[2], layout, false), ab[0], ab[1]);
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "java", "openblas"})
  void betaZeroDoesNotReadC(String engineName) {
    Gemm gemm = engine(engineName);
    for (boolean transA : new boolean[] {false, true}) {
      for (boolean transB : new boolean[] {false, true}) {
        for (int layout = 0; layout < 4; layout++) {
          check(gemm, new Problem(transA, transB, 4, 5, 3, layout, true), 1, 0);
          check(gemm, new Problem(transA, transB, 4, 5, 3, layout, true), -0.5, 0);
          check(gemm, new Problem(transA, transB, 4, 5, 0, layout, true), 1, 0);
          check(gemm, new Problem(transA, transB, 2, 3, 4, layout, true), 0, 0);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "java", "openblas"})
  void emptyDimensions(String engineName) {
    Gemm gemm = engine(engineName);
    for (int layout = 0; layout < 4; layout++) {
      check(gemm, new Problem(false, false, 0, 4, 3, layout, false), 1, 0.5);
      check(gemm, new Problem(true, false, 3, 0, 2, layout, false), 1, 0.5);
      // k = 0: C = beta * C.
      check(gemm, new Problem(false, true, 3, 4, 0, layout, false), 2, 0.5);
      check(gemm, new Problem(true, true, 3, 4, 0, layout, false), 2, 1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "java", "openblas"})
  void largeProductsUseTheBlockedAndConcurrentKernels(String engineName) {
    Gemm gemm = engine(engineName);
    for (boolean transA : new boolean[] {false, true}) {
      for (boolean transB : new boolean[] {false, true}) {
        check(gemm, new Problem(transA, transB, 150, 170, 180, 0, false), 1, 0);
        check(gemm, new Problem(transA, transB, 150, 170, 180, 3, false), 0.5, 1);
        check(gemm, new Problem(transA, transB, 150, 170, 180, 2, true), -1, 0);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "java", "openblas"})
  void transposedBOnBothSidesOfTheScratchTranspositionCutOff(String engineName) {
    Gemm gemm = engine(engineName);
    // Rows of C around the float32 (8) and float64 (16) cut-offs; B shapes including a single row or column.
    int[][] sizes = {{7, 13, 11}, {8, 13, 11}, {9, 1, 17}, {15, 19, 1}, {16, 13, 11}, {17, 2, 9}, {33, 40, 23}};
    double[][] alphaBetas = {{1, 0}, {-0.5, 0}, {1, 1}, {2, -0.3}};
    for (boolean transA : new boolean[] {false, true}) {
      for (int[] s : sizes) {
        for (int layout = 0; layout < 4; layout++) {
          for (double[] ab : alphaBetas) {
            check(gemm, new Problem(transA, true, s[0], s[1], s[2], layout, false), ab[0], ab[1]);
          }
          check(gemm, new Problem(transA, true, s[0], s[1], s[2], layout, true), 1.5, 0);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "java", "openblas"})
  void rejectsLayoutsThatDoNotFit(String engineName) {
    Gemm gemm = engine(engineName);
    float[] a = new float[6];
    float[] b = new float[6];
    float[] c = new float[4];
    assertThrows(IllegalArgumentException.class,
        () -> gemm.sgemm(false, false, 2, 2, 3, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> gemm.sgemm(false, false, 2, 2, 3, 1, a, 1, 3, b, 0, 2, 0, c, 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> gemm.sgemm(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 3));
    assertThrows(IllegalArgumentException.class,
        () -> gemm.dgemm(true, false, 2, 2, 3, 1, new double[6], 0, 1, new double[6], 0, 2, 0,
            new double[4], 0, 2));
    // The same stored A (3 x 2, transposed) with its real row stride fits.
    gemm.dgemm(true, false, 2, 2, 3, 1, new double[6], 0, 2, new double[6], 0, 2, 0, new double[4], 0, 2);
    assertThrows(IllegalArgumentException.class,
        () -> gemm.dgemm(false, false, -1, 2, 3, 1, new double[6], 0, 3, new double[6], 0, 2, 0,
            new double[4], 0, 2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "java", "openblas"})
  void randomShapesIncludingOddSizesAndSingleRowsOrColumns(String engineName) {
    Gemm gemm = engine(engineName);
    double[][] alphaBetas = {{1, 0}, {-0.75, 0}, {1, 1}, {0.5, -2}};
    for (int trial = 0; trial < 60; trial++) {
      int m = random.nextInt(4) == 0 ? 1 : random.nextInt(40);
      int n = random.nextInt(4) == 0 ? 1 : random.nextInt(40);
      int k = random.nextInt(5) == 0 ? random.nextInt(2) : random.nextInt(40);
      double[] ab = alphaBetas[random.nextInt(alphaBetas.length)];
      check(gemm, new Problem(random.nextBoolean(), random.nextBoolean(), m, n, k, random.nextInt(4),
          ab[1] == 0 && random.nextBoolean()), ab[0], ab[1]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "java", "openblas"})
  void matrixVectorProductsOnBothSidesAndAcrossThreads(String engineName) {
    Gemm gemm = engine(engineName);
    // Batch 1 (one row of C) and one column of C, small and large enough to be split over threads.
    int[][] sizes = {{1, 37, 29}, {41, 1, 23}, {1, 1, 50}, {1, 1100, 1000}, {1100, 1, 1000}};
    for (boolean transA : new boolean[] {false, true}) {
      for (boolean transB : new boolean[] {false, true}) {
        for (int[] s : sizes) {
          check(gemm, new Problem(transA, transB, s[0], s[1], s[2], random.nextInt(4), false), 1, 0);
          check(gemm, new Problem(transA, transB, s[0], s[1], s[2], 3, true), -1.5, 0);
          check(gemm, new Problem(transA, transB, s[0], s[1], s[2], 3, false), 0.5, 0.25);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "java", "openblas"})
  void productsSpanningSeveralTilesPanelsAndTheNarrowOrientation(String engineName) {
    Gemm gemm = engine(engineName);
    // More than 512 columns and 256 inner rows (several tiles and packed panels, float32 and float64 tile widths);
    // a narrow C (fewer than 128 columns, more rows) that the Java engine computes transposed.
    int[][] sizes = {{70, 600, 300}, {300, 20, 50}, {130, 127, 257}};
    for (boolean transA : new boolean[] {false, true}) {
      for (boolean transB : new boolean[] {false, true}) {
        for (int[] s : sizes) {
          check(gemm, new Problem(transA, transB, s[0], s[1], s[2], 3, true), 1, 0);
          check(gemm, new Problem(transA, transB, s[0], s[1], s[2], 1, false), -0.5, 1.5);
        }
      }
    }
  }

  @Test
  void engineSelectionHonoursTheOptionAndThePropertyAndRejectsUnknownNames() {
    // Independent of the property this JVM was started with (the java-gemm surefire run sets it).
    String before = System.getProperty(GemmEngines.PROPERTY);
    try {
      System.clearProperty(GemmEngines.PROPERTY);
      assertTrue(GemmEngines.select(options("java")) == JavaGemm.INSTANCE);
      assertTrue(GemmEngines.select(options("ejml")) == EjmlGemm.INSTANCE);
      Gemm automatic = GemmEngines.select(SessionOptions.defaults());
      assertTrue(automatic == GemmEngines.select(options("auto")));
      OpenBlasGemm.Loaded openBlas = OpenBlasGemm.load();
      if (openBlas.engine().isPresent()) {
        assertTrue(automatic == openBlas.engine().get(), "OpenBLAS loads, so it is the default");
        assertTrue(GemmEngines.select(options("openblas")) == automatic);
      } else {
        assertTrue(automatic == JavaGemm.INSTANCE, "without OpenBLAS the pure-Java engine is the default");
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> GemmEngines.select(options("openblas")));
        assertTrue(e.getMessage().startsWith("cpu.gemm=openblas, but OpenBLAS is not available: "), e.getMessage());
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GemmEngines.select(options("fast")));
      assertEquals("Unknown cpu.gemm engine 'fast'; available: [auto, openblas, java, ejml]", e.getMessage());
      System.setProperty(GemmEngines.PROPERTY, "ejml");
      assertTrue(GemmEngines.select(SessionOptions.defaults()) == EjmlGemm.INSTANCE);
      assertTrue(GemmEngines.select(options("java")) == JavaGemm.INSTANCE, "the session option wins");
      System.setProperty(GemmEngines.PROPERTY, "nope");
      e = assertThrows(IllegalArgumentException.class, () -> GemmEngines.select(SessionOptions.defaults()));
      assertEquals("Unknown scopeflow.cpu.gemm engine 'nope'; available: [auto, openblas, java, ejml]",
          e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(GemmEngines.PROPERTY);
      } else {
        System.setProperty(GemmEngines.PROPERTY, before);
      }
    }
  }

  private static SessionOptions options(String engine) {
    return SessionOptions.builder().set(GemmEngines.OPTION, engine).build();
  }
}
