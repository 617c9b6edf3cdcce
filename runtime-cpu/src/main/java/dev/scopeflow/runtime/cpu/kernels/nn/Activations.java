package dev.scopeflow.runtime.cpu.kernels.nn;

import dev.scopeflow.graph.Tensor;
import dev.scopeflow.runtime.cpu.Kernel;
import dev.scopeflow.runtime.cpu.KernelContext;

/**
 * Kernels of the element-wise activations. Each activation owns its loops (no per-element lambda), so the JIT sees
 * one monomorphic loop per op and dtype.
 */
public final class Activations {
  private Activations() {}

  /** TF's {@code Selu} constants. */
  private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  private static final double SELU_SCALE = 1.0507009873554804934193349852946;

  /**
   * TF's softplus cut-offs, {@code log(epsilon) + 2} of the dtype: above {@code -threshold} softplus(x) is x and
   * below {@code threshold} it is exp(x) to the dtype's precision, and neither overflows.
   */
  private static final double SOFTPLUS_THRESHOLD_F32 = Math.log(Math.ulp(1f)) + 2;
  private static final double SOFTPLUS_THRESHOLD_F64 = Math.log(Math.ulp(1d)) + 2;

  public static final Kernel SIGMOID = new FloatActivation() {
    @Override
    void apply(float[] x, float[] y) {
      for (int i = 0; i < x.length; i++) {
        y[i] = (float) sigmoid(x[i]);
      }
    }

    @Override
    void apply(double[] x, double[] y) {
      for (int i = 0; i < x.length; i++) {
        y[i] = sigmoid(x[i]);
      }
    }
  };

  public static final Kernel TANH = new FloatActivation() {
    @Override
    void apply(float[] x, float[] y) {
      for (int i = 0; i < x.length; i++) {
        y[i] = (float) Math.tanh(x[i]);
      }
    }

    @Override
    void apply(double[] x, double[] y) {
      for (int i = 0; i < x.length; i++) {
        y[i] = Math.tanh(x[i]);
      }
    }
  };

  /** {@code x < 0 ? 0 : x}: NaN stays NaN, as with TF's {@code cwiseMax(0)}. */
  public static final Kernel RELU = new RealActivation() {
    @Override
    void apply(float[] x, float[] y) {
      for (int i = 0; i < x.length; i++) {
        float v = x[i];
        y[i] = v < 0 ? 0f : v;
      }
    }

    @Override
    void apply(double[] x, double[] y) {
      for (int i = 0; i < x.length; i++) {
        double v = x[i];
        y[i] = v < 0 ? 0d : v;
      }
    }

    @Override
    void apply(int[] x, int[] y) {
      for (int i = 0; i < x.length; i++) {
        y[i] = Math.max(x[i], 0);
      }
    }

    @Override
    void apply(long[] x, long[] y) {
      for (int i = 0; i < x.length; i++) {
        y[i] = Math.max(x[i], 0L);
      }
    }
  };

  public static final Kernel RELU6 = new RealActivation() {
    @Override
    void apply(float[] x, float[] y) {
      for (int i = 0; i < x.length; i++) {
        float v = x[i];
        y[i] = v < 0 ? 0f : v > 6 ? 6f : v;
      }
    }

    @Override
    void apply(double[] x, double[] y) {
      for (int i = 0; i < x.length; i++) {
        double v = x[i];
        y[i] = v < 0 ? 0d : v > 6 ? 6d : v;
      }
    }

    @Override
    void apply(int[] x, int[] y) {
      for (int i = 0; i < x.length; i++) {
        y[i] = Math.min(Math.max(x[i], 0), 6);
      }
    }

    @Override
    void apply(long[] x, long[] y) {
      for (int i = 0; i < x.length; i++) {
        y[i] = Math.min(Math.max(x[i], 0L), 6L);
      }
    }
  };

  public static final Kernel ELU = new FloatActivation() {
    @Override
    void apply(float[] x, float[] y) {
      for (int i = 0; i < x.length; i++) {
        float v = x[i];
        y[i] = v < 0 ? (float) Math.expm1(v) : v;
      }
    }

    @Override
    void apply(double[] x, double[] y) {
      for (int i = 0; i < x.length; i++) {
        double v = x[i];
        y[i] = v < 0 ? Math.expm1(v) : v;
      }
    }
  };

  public static final Kernel SELU = new FloatActivation() {
    @Override
    void apply(float[] x, float[] y) {
      for (int i = 0; i < x.length; i++) {
        float v = x[i];
        y[i] = (float) (v < 0 ? SELU_SCALE * SELU_ALPHA * Math.expm1(v) : SELU_SCALE * v);
      }
    }

    @Override
    void apply(double[] x, double[] y) {
      for (int i = 0; i < x.length; i++) {
        double v = x[i];
        y[i] = v < 0 ? SELU_SCALE * SELU_ALPHA * Math.expm1(v) : SELU_SCALE * v;
      }
    }
  };

  public static final Kernel SOFTPLUS = new FloatActivation() {
    @Override
    void apply(float[] x, float[] y) {
      for (int i = 0; i < x.length; i++) {
        y[i] = (float) softplus(x[i], SOFTPLUS_THRESHOLD_F32);
      }
    }

    @Override
    void apply(double[] x, double[] y) {
      for (int i = 0; i < x.length; i++) {
        y[i] = softplus(x[i], SOFTPLUS_THRESHOLD_F64);
      }
    }
  };

  public static final Kernel SOFTSIGN = new FloatActivation() {
    @Override
    void apply(float[] x, float[] y) {
      for (int i = 0; i < x.length; i++) {
        float v = x[i];
        y[i] = v / (1f + Math.abs(v));
      }
    }

    @Override
    void apply(double[] x, double[] y) {
      for (int i = 0; i < x.length; i++) {
        double v = x[i];
        y[i] = v / (1d + Math.abs(v));
      }
    }
  };

  /** The logistic function without overflow: {@code exp} only ever sees a non-positive argument. */
  static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  private static double softplus(double x, double threshold) {
    if (x > -threshold) {
      return x;
    }
    if (x < threshold) {
      return Math.exp(x);
    }
    return Math.log1p(Math.exp(x));
  }

  /** An activation over float32 and float64 tensors. */
  private abstract static class FloatActivation implements Kernel {
    @Override
    public void compute(KernelContext ctx) {
      Tensor x = ctx.input(0);
      Object out;
      switch (x.dtype()) {
        case FLOAT32: {
          float[] in = (float[]) x.unsafeArray();
          float[] y = (float[]) ctx.allocateForOverwrite(x.dtype(), x.shape());
          apply(in, y);
          out = y;
          break;
        }
        case FLOAT64: {
          double[] in = (double[]) x.unsafeArray();
          double[] y = (double[]) ctx.allocateForOverwrite(x.dtype(), x.shape());
          apply(in, y);
          out = y;
          break;
        }
        default:
          out = applyOther(ctx, x);
      }
      ctx.setOutput(0, Tensor.unsafeWrap(x.dtype(), x.shape(), out));
    }

    /** Writes every element of {@code y} (a recycled buffer with stale contents). */
    abstract void apply(float[] x, float[] y);

    /** Writes every element of {@code y} (a recycled buffer with stale contents). */
    abstract void apply(double[] x, double[] y);

    /** The output array for a dtype other than float32 and float64. */
    Object applyOther(KernelContext ctx, Tensor x) {
      throw ctx.invalidArgument(ctx.op().type() + " has no CPU kernel for dtype " + x.dtype());
    }
  }

  /** An activation over float32, float64, int32 and int64 tensors. */
  private abstract static class RealActivation extends FloatActivation {
    @Override
    Object applyOther(KernelContext ctx, Tensor x) {
      switch (x.dtype()) {
        case INT32: {
          int[] in = (int[]) x.unsafeArray();
          int[] y = (int[]) ctx.allocateForOverwrite(x.dtype(), x.shape());
          apply(in, y);
          return y;
        }
        case INT64: {
          long[] in = (long[]) x.unsafeArray();
          long[] y = (long[]) ctx.allocateForOverwrite(x.dtype(), x.shape());
          apply(in, y);
          return y;
        }
        default:
          return super.applyOther(ctx, x);
      }
    }

    abstract void apply(int[] x, int[] y);

    abstract void apply(long[] x, long[] y);
  }
}
