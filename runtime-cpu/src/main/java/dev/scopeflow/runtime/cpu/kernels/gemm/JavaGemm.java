package dev.scopeflow.runtime.cpu.kernels.gemm;

/**
 * The pure-Java GEMM engine: runs on any JDK, no native code. Cache-blocked and packed, split over the cores
 * ({@code scopeflow.cpu.threads}, default: all), with inner loops that C2 vectorises; matrix-vector products (one row
 * or column of C) take a separate memory-bound path. See {@link JavaSgemm} for the design; JavaSgemm and JavaDgemm are
 * generated from one template (see the package documentation).
 */
public final class JavaGemm extends CheckedGemm {
  public static final JavaGemm INSTANCE = new JavaGemm();

  private JavaGemm() {}

  @Override
  protected void sgemmProduct(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
      int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
    JavaSgemm.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
  }

  @Override
  protected void dgemmProduct(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
      int aOffset, int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc) {
    JavaDgemm.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
  }

  @Override
  public String toString() {
    return "java (" + GemmThreads.PARALLELISM + " threads)";
  }
}
