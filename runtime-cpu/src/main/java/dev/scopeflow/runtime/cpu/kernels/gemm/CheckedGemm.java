package dev.scopeflow.runtime.cpu.kernels.gemm;

import dev.scopeflow.runtime.cpu.Gemm;

/**
 * The start every GEMM engine shares: {@link #sgemm} and {@link #dgemm} check their arguments
 * ({@link GemmArguments#check}) and complete the calls that need no product (an empty C: nothing to do;
 * {@code k == 0} or {@code alpha == 0}: {@code C = beta * C}), then hand the rest to the engine's
 * {@link #sgemmProduct} or {@link #dgemmProduct}.
 */
public abstract class CheckedGemm implements Gemm {
  protected CheckedGemm() {}

  @Override
  public final void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
      int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
    if (GemmArguments.needsProduct(transA, transB, m, n, k, alpha, a.length, aOffset, lda, b.length, bOffset, ldb,
        c.length, cOffset, ldc)) {
      sgemmProduct(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    } else {
      GemmArguments.scale(beta, c, cOffset, ldc, m, n);
    }
  }

  @Override
  public final void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOffset,
      int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc) {
    if (GemmArguments.needsProduct(transA, transB, m, n, k, alpha, a.length, aOffset, lda, b.length, bOffset, ldb,
        c.length, cOffset, ldc)) {
      dgemmProduct(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    } else {
      GemmArguments.scale(beta, c, cOffset, ldc, m, n);
    }
  }

  /** {@link #sgemm} with its arguments checked, m, n, k > 0 and alpha != 0. */
  protected abstract void sgemmProduct(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
      int aOffset, int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc);

  /** {@link #dgemm} with its arguments checked, m, n, k > 0 and alpha != 0. */
  protected abstract void dgemmProduct(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
      int aOffset, int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc);
}
