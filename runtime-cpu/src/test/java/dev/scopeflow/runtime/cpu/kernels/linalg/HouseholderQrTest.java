package dev.scopeflow.runtime.cpu.kernels.linalg;

import static org.junit.jupiter.api.Assertions.fail;

import dev.scopeflow.runtime.cpu.SeededTestBase;
import org.junit.jupiter.api.Test;

/**
 * {@link HouseholderQr} against a textbook column-at-a-time Householder QR with the same LAPACK conventions (written
 * out here, sharing no code with the kernel), plus the invariants {@code Q^T Q = I}, {@code Q R = A} and {@code R}
 * upper triangular, on random, rank-deficient, already triangular and degenerate matrices, thin and full.
 */
class HouseholderQrTest extends SeededTestBase {
  /** The reference: reflectors applied one column of the trailing matrix at a time, Q accumulated backwards. */
  private static double[][] referenceQr(double[] input, int m, int n, boolean full) {
    double[][] a = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int c = 0; c < n; c++) {
        a[i][c] = input[i * n + c];
      }
    }
    int p = Math.min(m, n);
    double[] tau = new double[p];
    double[][] v = new double[p][m];
    for (int j = 0; j < p; j++) {
      double tail = 0;
      for (int i = j + 1; i < m; i++) {
        tail += a[i][j] * a[i][j];
      }
      if (tail == 0) {
        continue;
      }
      double alpha = a[j][j];
      double beta = -Math.signum(alpha == 0 ? 1 : alpha) * Math.sqrt(alpha * alpha + tail);
      tau[j] = (beta - alpha) / beta;
      v[j][j] = 1;
      for (int i = j + 1; i < m; i++) {
        v[j][i] = a[i][j] / (alpha - beta);
      }
      for (int c = j; c < n; c++) {
        double s = 0;
        for (int i = j; i < m; i++) {
          s += v[j][i] * a[i][c];
        }
        for (int i = j; i < m; i++) {
          a[i][c] -= tau[j] * s * v[j][i];
        }
      }
    }
    int qCols = full ? m : p;
    int rRows = full ? m : p;
    double[] q = new double[m * qCols];
    for (int i = 0; i < Math.min(m, qCols); i++) {
      q[i * qCols + i] = 1;
    }
    for (int j = p - 1; j >= 0; j--) {
      for (int c = 0; c < qCols; c++) {
        double s = 0;
        for (int i = j; i < m; i++) {
          s += v[j][i] * q[i * qCols + c];
        }
        for (int i = j; i < m; i++) {
          q[i * qCols + c] -= tau[j] * s * v[j][i];
        }
      }
    }
    double[] r = new double[rRows * n];
    for (int i = 0; i < rRows; i++) {
      for (int c = i; c < n; c++) {
        r[i * n + c] = a[i][c];
      }
    }
    return new double[][] {q, r};
  }

  private void check(double[] a, int m, int n, boolean full) {
    check(a, m, n, full, true);
  }

  /**
   * @param againstReference false where rounding noise decides a reflector (a column that is numerically, not exactly,
   *     dependent on earlier ones), so that only the invariants are well defined
   */
  private void check(double[] a, int m, int n, boolean full, boolean againstReference) {
    String what = m + "x" + n + (full ? " full" : " thin") + " (seed " + seed + ")";
    int p = Math.min(m, n);
    int qCols = full ? m : p;
    int rRows = full ? m : p;
    double[] q = new double[m * qCols];
    double[] r = new double[rRows * n];
    java.util.Arrays.fill(r, Double.NaN);
    HouseholderQr.decompose(a.clone(), m, n, full, q, r);
    double scale = 1;
    for (double x : a) {
      scale = Math.max(scale, Math.abs(x));
    }
    double tol = 1e-12 * Math.max(m, n) * scale;
    if (againstReference) {
      double[][] ref = referenceQr(a, m, n, full);
      assertClose(ref[0], q, 1e-12 * Math.max(m, n), "Q of " + what);
      assertClose(ref[1], r, tol, "R of " + what);
    }
    // Q^T Q = I over Q's columns.
    double[] qtq = new double[qCols * qCols];
    double[] identity = new double[qCols * qCols];
    for (int c = 0; c < qCols; c++) {
      identity[c * qCols + c] = 1;
      for (int d = 0; d < qCols; d++) {
        double s = 0;
        for (int i = 0; i < m; i++) {
          s += q[i * qCols + c] * q[i * qCols + d];
        }
        qtq[c * qCols + d] = s;
      }
    }
    assertClose(identity, qtq, 1e-12 * Math.max(1, m), "Q^T Q of " + what);
    // Q R = A, and R is zero below its diagonal.
    double[] qr = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int c = 0; c < n; c++) {
        double s = 0;
        for (int k = 0; k < qCols; k++) {
          s += q[i * qCols + k] * r[k * n + c];
        }
        qr[i * n + c] = s;
      }
    }
    assertClose(a, qr, tol, "Q R of " + what);
    for (int i = 0; i < rRows; i++) {
      for (int c = 0; c < Math.min(i, n); c++) {
        if (r[i * n + c] != 0) {
          fail("R of " + what + " has " + r[i * n + c] + " below the diagonal at (" + i + ", " + c + ")");
        }
      }
    }
  }

  private static void assertClose(double[] expected, double[] actual, double tol, String what) {
    if (expected.length != actual.length) {
      fail(what + ": length " + actual.length + ", expected " + expected.length);
    }
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
        fail(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
      }
    }
  }

  private double[] randomMatrix(int m, int n) {
    double[] a = new double[m * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextGaussian() * 3;
    }
    return a;
  }

  @Test
  void randomMatricesOfEveryShape() {
    int[][] shapes = {{1, 1}, {1, 5}, {5, 1}, {2, 3}, {3, 2}, {6, 6}, {13, 7}, {7, 13}, {40, 25}, {25, 40}, {64, 64}};
    for (int[] s : shapes) {
      for (boolean full : new boolean[] {false, true}) {
        check(randomMatrix(s[0], s[1]), s[0], s[1], full);
      }
    }
  }

  @Test
  void rankDeficientTriangularAndZeroMatrices() {
    for (boolean full : new boolean[] {false, true}) {
      // Column 2 is twice column 0 (its reflector is then made of rounding noise); column 3 is exactly zero, so its
      // reflector is the identity.
      double[] a = randomMatrix(9, 5);
      for (int i = 0; i < 9; i++) {
        a[i * 5 + 2] = 2 * a[i * 5];
      }
      check(a, 9, 5, full, false);
      double[] z = randomMatrix(9, 5);
      for (int i = 0; i < 9; i++) {
        z[i * 5 + 3] = 0;
      }
      check(z, 9, 5, full);
      // Already upper triangular: every reflector is the identity, including on negative diagonals.
      double[] t = randomMatrix(6, 4);
      for (int i = 0; i < 6; i++) {
        for (int c = 0; c < Math.min(i, 4); c++) {
          t[i * 4 + c] = 0;
        }
      }
      check(t, 6, 4, full);
      check(new double[12], 4, 3, full);
      check(new double[12], 3, 4, full);
    }
  }

  @Test
  void emptyMatrices() {
    for (boolean full : new boolean[] {false, true}) {
      check(new double[0], 0, 3, full);
      check(new double[0], 3, 0, full);
      check(new double[0], 0, 0, full);
    }
  }
}
