package dev.scopeflow.runtime.cpu.kernels;

import dev.scopeflow.runtime.cpu.kernels.gemm.CheckedGemm;
import dev.scopeflow.runtime.cpu.kernels.gemm.GemmArguments;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;

/**
 * GEMM through EJML's row-major kernels. A stored matrix whose rows lie back to back from index 0 of its array (the
 * usual case: a whole tensor) is wrapped without copying; only an offset or a row stride wider than the row is copied
 * into a compact EJML matrix first (and, for C, copied back afterwards). A transposed B is transposed into a scratch
 * matrix first when C has enough rows to repay that, so that the plain (or transposed-A) kernel runs.
 */
public final class EjmlGemm extends CheckedGemm {
  public static final EjmlGemm INSTANCE = new EjmlGemm();

  /**
   * Products with at least this many multiply-adds use EJML's concurrent kernels; below it the hand-off to other
   * threads costs more than it saves.
   */
  private static final long CONCURRENT_MIN_FLOPS = 1L << 22;

  /**
   * With B transposed and at least this many rows in C, B is first transposed into a scratch matrix and the plain
   * kernel used: EJML's transposed-B kernels take dot products along rows, which the JIT does not vectorise (about
   * 2.5x slower than the plain kernel's row updates), while the transposition costs one pass over B. Measured
   * break-even on n, k in 64..2048: m = 3..8 for float32 except k = 64 (about 20), and about 2x higher for float64,
   * whose transposition moves twice the bytes.
   */
  private static final int TRANSPOSE_B_MIN_ROWS_F32 = 8;

  private static final int TRANSPOSE_B_MIN_ROWS_F64 = 16;

  /** Source rows per pass of the transposition: few enough that their cache lines stay resident across a pass. */
  private static final int TRANSPOSE_ROW_BLOCK = 8;

  private EjmlGemm() {}

  @Override
  public String toString() {
    return "ejml";
  }

  @Override
  protected void sgemmProduct(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
      int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
    FMatrixRMaj am = view(a, aOffset, lda, transA ? k : m, transA ? m : k);
    boolean transposeB = transB && m >= TRANSPOSE_B_MIN_ROWS_F32;
    FMatrixRMaj bm = transposeB ? transposed(b, bOffset, ldb, n, k) : view(b, bOffset, ldb, transB ? n : k,
        transB ? k : n);
    boolean bmTransposed = transB && !transposeB;
    boolean cCompact = cOffset == 0 && ldc == n;
    FMatrixRMaj cm;
    if (cCompact) {
      cm = FMatrixRMaj.wrap(m, n, c);
      if (beta != 0 && beta != 1) {
        GemmArguments.scale(beta, c, 0, n, m, n);
      }
    } else {
      cm = new FMatrixRMaj(m, n);
      if (beta != 0) {
        for (int i = 0; i < m; i++) {
          int src = cOffset + i * ldc;
          int dst = i * n;
          for (int j = 0; j < n; j++) {
            cm.data[dst + j] = beta * c[src + j];
          }
        }
      }
    }
    boolean concurrent = (long) m * n * k >= CONCURRENT_MIN_FLOPS;
    if (beta == 0) {
      multiply(concurrent, transA, bmTransposed, alpha, am, bm, cm);
    } else {
      multiplyAdd(concurrent, transA, bmTransposed, alpha, am, bm, cm);
    }
    if (!cCompact) {
      for (int i = 0; i < m; i++) {
        System.arraycopy(cm.data, i * n, c, cOffset + i * ldc, n);
      }
    }
  }

  @Override
  protected void dgemmProduct(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
      int aOffset, int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc) {
    DMatrixRMaj am = view(a, aOffset, lda, transA ? k : m, transA ? m : k);
    boolean transposeB = transB && m >= TRANSPOSE_B_MIN_ROWS_F64;
    DMatrixRMaj bm = transposeB ? transposed(b, bOffset, ldb, n, k) : view(b, bOffset, ldb, transB ? n : k,
        transB ? k : n);
    boolean bmTransposed = transB && !transposeB;
    boolean cCompact = cOffset == 0 && ldc == n;
    DMatrixRMaj cm;
    if (cCompact) {
      cm = DMatrixRMaj.wrap(m, n, c);
      if (beta != 0 && beta != 1) {
        GemmArguments.scale(beta, c, 0, n, m, n);
      }
    } else {
      cm = new DMatrixRMaj(m, n);
      if (beta != 0) {
        for (int i = 0; i < m; i++) {
          int src = cOffset + i * ldc;
          int dst = i * n;
          for (int j = 0; j < n; j++) {
            cm.data[dst + j] = beta * c[src + j];
          }
        }
      }
    }
    boolean concurrent = (long) m * n * k >= CONCURRENT_MIN_FLOPS;
    if (beta == 0) {
      multiply(concurrent, transA, bmTransposed, alpha, am, bm, cm);
    } else {
      multiplyAdd(concurrent, transA, bmTransposed, alpha, am, bm, cm);
    }
    if (!cCompact) {
      for (int i = 0; i < m; i++) {
        System.arraycopy(cm.data, i * n, c, cOffset + i * ldc, n);
      }
    }
  }

  // ---------------------------------------------------------------- float32

  /** The stored matrix, wrapped when its rows are contiguous from index 0, else copied. */
  private static FMatrixRMaj view(float[] x, int offset, int ld, int rows, int cols) {
    if (offset == 0 && ld == cols) {
      return FMatrixRMaj.wrap(rows, cols, x);
    }
    FMatrixRMaj r = new FMatrixRMaj(rows, cols);
    for (int i = 0; i < rows; i++) {
      System.arraycopy(x, offset + i * ld, r.data, i * cols, cols);
    }
    return r;
  }

  /**
   * The transpose ({@code cols x rows}, compact) of the stored row-major {@code rows x cols} matrix. Each pass reads a
   * block of source rows left to right and writes short contiguous runs into every destination row.
   */
  private static FMatrixRMaj transposed(float[] x, int offset, int ld, int rows, int cols) {
    FMatrixRMaj t = new FMatrixRMaj(cols, rows);
    float[] d = t.data;
    for (int i0 = 0; i0 < rows; i0 += TRANSPOSE_ROW_BLOCK) {
      int i1 = Math.min(rows, i0 + TRANSPOSE_ROW_BLOCK);
      for (int j = 0; j < cols; j++) {
        int dst = j * rows;
        int src = offset + j;
        for (int i = i0; i < i1; i++) {
          d[dst + i] = x[src + i * ld];
        }
      }
    }
    return t;
  }

  private static void multiply(boolean concurrent, boolean transA, boolean transB, float alpha, FMatrixRMaj a,
      FMatrixRMaj b, FMatrixRMaj c) {
    // The alpha-free overloads have matrix-vector fast paths that the alpha ones lack.
    boolean unit = alpha == 1;
    if (concurrent) {
      if (!transA && !transB) {
        CommonOps_MT_FDRM.mult(alpha, a, b, c);
      } else if (transA && !transB) {
        CommonOps_MT_FDRM.multTransA(alpha, a, b, c);
      } else if (!transA) {
        CommonOps_MT_FDRM.multTransB(alpha, a, b, c);
      } else {
        CommonOps_MT_FDRM.multTransAB(alpha, a, b, c);
      }
    } else if (!transA && !transB) {
      if (unit) {
        CommonOps_FDRM.mult(a, b, c);
      } else {
        CommonOps_FDRM.mult(alpha, a, b, c);
      }
    } else if (transA && !transB) {
      if (unit) {
        CommonOps_FDRM.multTransA(a, b, c);
      } else {
        CommonOps_FDRM.multTransA(alpha, a, b, c);
      }
    } else if (!transA) {
      if (unit) {
        CommonOps_FDRM.multTransB(a, b, c);
      } else {
        CommonOps_FDRM.multTransB(alpha, a, b, c);
      }
    } else if (unit) {
      CommonOps_FDRM.multTransAB(a, b, c);
    } else {
      CommonOps_FDRM.multTransAB(alpha, a, b, c);
    }
  }

  private static void multiplyAdd(boolean concurrent, boolean transA, boolean transB, float alpha, FMatrixRMaj a,
      FMatrixRMaj b, FMatrixRMaj c) {
    if (concurrent) {
      if (!transA && !transB) {
        CommonOps_MT_FDRM.multAdd(alpha, a, b, c);
      } else if (transA && !transB) {
        CommonOps_MT_FDRM.multAddTransA(alpha, a, b, c);
      } else if (!transA) {
        CommonOps_MT_FDRM.multAddTransB(alpha, a, b, c);
      } else {
        CommonOps_MT_FDRM.multAddTransAB(alpha, a, b, c);
      }
    } else if (!transA && !transB) {
      CommonOps_FDRM.multAdd(alpha, a, b, c);
    } else if (transA && !transB) {
      CommonOps_FDRM.multAddTransA(alpha, a, b, c);
    } else if (!transA) {
      CommonOps_FDRM.multAddTransB(alpha, a, b, c);
    } else {
      CommonOps_FDRM.multAddTransAB(alpha, a, b, c);
    }
  }

  // ---------------------------------------------------------------- float64

  private static DMatrixRMaj view(double[] x, int offset, int ld, int rows, int cols) {
    if (offset == 0 && ld == cols) {
      return DMatrixRMaj.wrap(rows, cols, x);
    }
    DMatrixRMaj r = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < rows; i++) {
      System.arraycopy(x, offset + i * ld, r.data, i * cols, cols);
    }
    return r;
  }

  private static DMatrixRMaj transposed(double[] x, int offset, int ld, int rows, int cols) {
    DMatrixRMaj t = new DMatrixRMaj(cols, rows);
    double[] d = t.data;
    for (int i0 = 0; i0 < rows; i0 += TRANSPOSE_ROW_BLOCK) {
      int i1 = Math.min(rows, i0 + TRANSPOSE_ROW_BLOCK);
      for (int j = 0; j < cols; j++) {
        int dst = j * rows;
        int src = offset + j;
        for (int i = i0; i < i1; i++) {
          d[dst + i] = x[src + i * ld];
        }
      }
    }
    return t;
  }

  private static void multiply(boolean concurrent, boolean transA, boolean transB, double alpha, DMatrixRMaj a,
      DMatrixRMaj b, DMatrixRMaj c) {
    boolean unit = alpha == 1;
    if (concurrent) {
      if (!transA && !transB) {
        CommonOps_MT_DDRM.mult(alpha, a, b, c);
      } else if (transA && !transB) {
        CommonOps_MT_DDRM.multTransA(alpha, a, b, c);
      } else if (!transA) {
        CommonOps_MT_DDRM.multTransB(alpha, a, b, c);
      } else {
        CommonOps_MT_DDRM.multTransAB(alpha, a, b, c);
      }
    } else if (!transA && !transB) {
      if (unit) {
        CommonOps_DDRM.mult(a, b, c);
      } else {
        CommonOps_DDRM.mult(alpha, a, b, c);
      }
    } else if (transA && !transB) {
      if (unit) {
        CommonOps_DDRM.multTransA(a, b, c);
      } else {
        CommonOps_DDRM.multTransA(alpha, a, b, c);
      }
    } else if (!transA) {
      if (unit) {
        CommonOps_DDRM.multTransB(a, b, c);
      } else {
        CommonOps_DDRM.multTransB(alpha, a, b, c);
      }
    } else if (unit) {
      CommonOps_DDRM.multTransAB(a, b, c);
    } else {
      CommonOps_DDRM.multTransAB(alpha, a, b, c);
    }
  }

  private static void multiplyAdd(boolean concurrent, boolean transA, boolean transB, double alpha, DMatrixRMaj a,
      DMatrixRMaj b, DMatrixRMaj c) {
    if (concurrent) {
      if (!transA && !transB) {
        CommonOps_MT_DDRM.multAdd(alpha, a, b, c);
      } else if (transA && !transB) {
        CommonOps_MT_DDRM.multAddTransA(alpha, a, b, c);
      } else if (!transA) {
        CommonOps_MT_DDRM.multAddTransB(alpha, a, b, c);
      } else {
        CommonOps_MT_DDRM.multAddTransAB(alpha, a, b, c);
      }
    } else if (!transA && !transB) {
      CommonOps_DDRM.multAdd(alpha, a, b, c);
    } else if (transA && !transB) {
      CommonOps_DDRM.multAddTransA(alpha, a, b, c);
    } else if (!transA) {
      CommonOps_DDRM.multAddTransB(alpha, a, b, c);
    } else {
      CommonOps_DDRM.multAddTransAB(alpha, a, b, c);
    }
  }
}
