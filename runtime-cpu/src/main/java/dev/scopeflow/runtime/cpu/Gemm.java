package dev.scopeflow.runtime.cpu;

/**
 * The one matrix-multiply interface every CPU kernel goes through (MatMul and whatever composes it), so a faster
 * engine can replace the default without touching kernels. Row-major BLAS semantics:
 * {@code C = alpha * op(A) * op(B) + beta * C} with {@code op(A)} of m×k and {@code op(B)} of k×n; {@code lda},
 * {@code ldb}, {@code ldc} are row strides of the stored (untransposed) arrays. With {@code beta == 0} C is not read
 * (NaN there does not leak). Engines: native OpenBLAS, pure Java, EJML; {@link GemmEngines} picks one per session.
 * Implementations are thread-safe: runs of a session may multiply concurrently.
 */
public interface Gemm {
  void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset, int lda,
      float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc);

  void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOffset, int lda,
      double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc);
}
