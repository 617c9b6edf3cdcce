package dev.scopeflow.runtime.cpu.kernels.gemm;

import com.google.common.base.Preconditions;
import java.util.Arrays;

/**
 * Argument checks and the {@code C = beta * C} pass that every GEMM engine shares (through {@link CheckedGemm}).
 * {@link #scale} is written once per precision: a primitive array type cannot be abstracted over without boxing.
 */
public final class GemmArguments {
  private GemmArguments() {}

  /**
   * Checks that the sizes are non-negative and that each stored row-major matrix fits its array with a row stride of
   * at least its width.
   *
   * @throws IllegalArgumentException naming the matrix that does not fit
   */
  public static void check(boolean transA, boolean transB, int m, int n, int k, int aLength, int aOffset, int lda,
      int bLength, int bOffset, int ldb, int cLength, int cOffset, int ldc) {
    Preconditions.checkArgument(m >= 0 && n >= 0 && k >= 0, "GEMM sizes must be >= 0, got m=%s n=%s k=%s", m, n, k);
    checkStored("A", transA ? k : m, transA ? m : k, aLength, aOffset, lda);
    checkStored("B", transB ? n : k, transB ? k : n, bLength, bOffset, ldb);
    checkStored("C", m, n, cLength, cOffset, ldc);
  }

  /** A stored row-major {@code rows x cols} matrix must fit its array with a row stride of at least {@code cols}. */
  private static void checkStored(String which, int rows, int cols, int length, int offset, int ld) {
    Preconditions.checkArgument(ld >= Math.max(1, cols), "ld%s=%s must be >= max(1, %s)", which.toLowerCase(), ld,
        cols);
    Preconditions.checkArgument(offset >= 0, "%s offset %s must be >= 0", which, offset);
    if (rows > 0 && cols > 0) {
      long end = offset + (long) (rows - 1) * ld + cols;
      Preconditions.checkArgument(end <= length, "%s (%s x %s, offset %s, ld %s) needs %s elements, array has %s",
          which, rows, cols, offset, ld, end, length);
    }
  }

  /**
   * {@link #check}s the arguments and says whether the call needs a product: not for an empty C (nothing to do) nor
   * for {@code k == 0} or {@code alpha == 0}, where {@code C = beta * C} ({@link #scale}) completes it. One method
   * for both precisions: a float alpha widens to double exactly, so {@code alpha != 0} is the same test.
   */
  static boolean needsProduct(boolean transA, boolean transB, int m, int n, int k, double alpha, int aLength,
      int aOffset, int lda, int bLength, int bOffset, int ldb, int cLength, int cOffset, int ldc) {
    check(transA, transB, m, n, k, aLength, aOffset, lda, bLength, bOffset, ldb, cLength, cOffset, ldc);
    return m > 0 && n > 0 && k > 0 && alpha != 0;
  }

  /**
   * {@code C = beta * C} on the m x n block; beta 0 writes zeros without reading C (BLAS semantics). An empty block
   * is left alone ({@link #check} does not bound an empty C, so its rows may lie past the array).
   */
  public static void scale(float beta, float[] c, int offset, int ldc, int m, int n) {
    if (beta == 1 || m == 0 || n == 0) {
      return;
    }
    for (int i = 0; i < m; i++) {
      int row = offset + i * ldc;
      if (beta == 0) {
        Arrays.fill(c, row, row + n, 0f);
      } else {
        for (int j = row; j < row + n; j++) {
          c[j] *= beta;
        }
      }
    }
  }

  /** {@code C = beta * C} on the m x n block; beta 0 writes zeros without reading C (BLAS semantics). */
  public static void scale(double beta, double[] c, int offset, int ldc, int m, int n) {
    if (beta == 1 || m == 0 || n == 0) {
      return;
    }
    for (int i = 0; i < m; i++) {
      int row = offset + i * ldc;
      if (beta == 0) {
        Arrays.fill(c, row, row + n, 0d);
      } else {
        for (int j = row; j < row + n; j++) {
          c[j] *= beta;
        }
      }
    }
  }
}
