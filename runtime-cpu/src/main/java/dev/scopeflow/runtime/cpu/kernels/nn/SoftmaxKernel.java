package dev.scopeflow.runtime.cpu.kernels.nn;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.defs.NnDefs;
import dev.scopeflow.ops.defs.NnRunChecks;
import dev.scopeflow.runtime.cpu.Kernel;
import dev.scopeflow.runtime.cpu.KernelContext;

/**
 * {@code Softmax} and {@code LogSoftmax} along one axis (the last, or the op's {@link NnDefs#SOFTMAX_AXIS_ATTR}).
 * Each slice is shifted by its maximum before {@code exp}, so large logits do not overflow; sums are accumulated in
 * double. The tensor is seen as {@code [outer, classes, inner]}; {@code inner == 1} (the last axis) is the contiguous
 * fast path.
 */
public final class SoftmaxKernel implements Kernel {
  public static final SoftmaxKernel SOFTMAX = new SoftmaxKernel(false);
  public static final SoftmaxKernel LOG_SOFTMAX = new SoftmaxKernel(true);

  private final boolean log;

  private SoftmaxKernel(boolean log) {
    this.log = log;
  }

  @Override
  public void compute(KernelContext ctx) {
    Tensor x = ctx.input(0);
    Shape shape = x.shape();
    int rank = shape.rank();
    int axis = NnRunChecks.softmaxAxis(ctx, ctx.op(), shape);
    int[] dims = shape.intDims();
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= dims[i];
    }
    int classes = dims[axis];
    int inner = 1;
    for (int i = axis + 1; i < rank; i++) {
      inner *= dims[i];
    }
    Object out;
    if (x.dtype() == DType.FLOAT32) {
      float[] in = (float[]) x.unsafeArray();
      // The slices cover every element.
      float[] y = (float[]) ctx.allocateForOverwrite(x.dtype(), shape);
      for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) {
          slice(in, y, o * classes * inner + i, classes, inner);
        }
      }
      out = y;
    } else if (x.dtype() == DType.FLOAT64) {
      double[] in = (double[]) x.unsafeArray();
      double[] y = (double[]) ctx.allocateForOverwrite(x.dtype(), shape);
      for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) {
          slice(in, y, o * classes * inner + i, classes, inner);
        }
      }
      out = y;
    } else {
      throw ctx.invalidArgument(ctx.op().type() + " has no CPU kernel for dtype " + x.dtype());
    }
    ctx.setOutput(0, Tensor.unsafeWrap(x.dtype(), shape, out));
  }

  /** One softmax slice of {@code n} elements starting at {@code start}, {@code stride} apart. */
  private void slice(float[] x, float[] y, int start, int n, int stride) {
    int end = start + n * stride;
    float max = Float.NEGATIVE_INFINITY;
    for (int j = start; j < end; j += stride) {
      max = Math.max(max, x[j]);
    }
    double sum = 0;
    if (log) {
      for (int j = start; j < end; j += stride) {
        sum += Math.exp((double) x[j] - max);
      }
      double logSum = Math.log(sum);
      for (int j = start; j < end; j += stride) {
        y[j] = (float) ((double) x[j] - max - logSum);
      }
    } else {
      for (int j = start; j < end; j += stride) {
        double e = Math.exp((double) x[j] - max);
        y[j] = (float) e;
        sum += e;
      }
      double inv = 1 / sum;
      for (int j = start; j < end; j += stride) {
        y[j] = (float) (y[j] * inv);
      }
    }
  }

  private void slice(double[] x, double[] y, int start, int n, int stride) {
    int end = start + n * stride;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = start; j < end; j += stride) {
      max = Math.max(max, x[j]);
    }
    double sum = 0;
    if (log) {
      for (int j = start; j < end; j += stride) {
        sum += Math.exp(x[j] - max);
      }
      double logSum = Math.log(sum);
      for (int j = start; j < end; j += stride) {
        y[j] = x[j] - max - logSum;
      }
    } else {
      for (int j = start; j < end; j += stride) {
        double e = Math.exp(x[j] - max);
        y[j] = e;
        sum += e;
      }
      double inv = 1 / sum;
      for (int j = start; j < end; j += stride) {
        y[j] *= inv;
      }
    }
  }
}
