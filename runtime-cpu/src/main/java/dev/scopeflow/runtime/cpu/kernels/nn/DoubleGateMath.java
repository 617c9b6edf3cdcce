package dev.scopeflow.runtime.cpu.kernels.nn;

/**
 * float64 {@code tanh} and {@code sigmoid} over runs of an array, the double counterpart of {@link FloatGateMath}
 * with the same methods, so that one template ({@code LstmBlockPasses.java.template}) serves both precisions: here
 * the exact functions, {@link Math#tanh} and {@link Activations#sigmoid(double)}, so that float64 matches the
 * composed graph exactly.
 */
final class DoubleGateMath {
  private DoubleGateMath() {}

  /** {@code dst[off + j] = tanh(src[off + j])} for {@code j < n}; {@code dst} may be {@code src}. */
  static void tanh(double[] src, double[] dst, int off, int n) {
    for (int j = off; j < off + n; j++) {
      dst[j] = Math.tanh(src[j]);
    }
  }

  /** {@code a[off + j] = sigmoid(a[off + j])} for {@code j < n}. */
  static void sigmoidInPlace(double[] a, int off, int n) {
    for (int j = off; j < off + n; j++) {
      a[j] = Activations.sigmoid(a[j]);
    }
  }
}
