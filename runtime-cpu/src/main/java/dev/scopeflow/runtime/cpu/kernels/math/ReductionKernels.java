package dev.scopeflow.runtime.cpu.kernels.math;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.runtime.cpu.Kernel;
import dev.scopeflow.runtime.cpu.KernelContext;
import dev.scopeflow.runtime.cpu.kernels.ArrayConversions;
import java.util.Arrays;

/**
 * The reduction kernels {@code Sum}, {@code Mean}, {@code Prod}, {@code Max}, {@code Min}, {@code All}, {@code Any}.
 * Floating inputs accumulate in double (float64 sums pairwise), so float32 results are at least as accurate as TF's;
 * integers accumulate in long and wrap to the input type, which gives TF's wrapped results exactly. Reducing an
 * empty set gives the identity: 0, 1, -inf/lowest, +inf/highest, true, false, and NaN (0 for integers) for a mean.
 */
public final class ReductionKernels {
  private ReductionKernels() {}

  /** A numeric reduction ({@code Sum}, {@code Prod}, {@code Max}, {@code Min}, or {@code Mean} as sum / count). */
  public static final class Numeric implements Kernel {
    private final Reducer reducer;
    private final boolean mean;

    private Numeric(Reducer reducer, boolean mean) {
      this.reducer = reducer;
      this.mean = mean;
    }

    public static Numeric sum() {
      return new Numeric(new Sum(), false);
    }

    public static Numeric mean() {
      return new Numeric(new Sum(), true);
    }

    public static Numeric prod() {
      return new Numeric(new Prod(), false);
    }

    public static Numeric max() {
      return new Numeric(new Extremum(true), false);
    }

    public static Numeric min() {
      return new Numeric(new Extremum(false), false);
    }

    @Override
    public void compute(KernelContext ctx) {
      Tensor in = ctx.input(0);
      ReductionLayout layout = ReductionLayout.of(ctx, in.shape(), ctx.input(1));
      Object z;
      switch (in.dtype()) {
        case FLOAT32: {
          // Only Sum is hot enough to keep a float32 loop; the others fold a widened copy.
          float[] x = (float[]) in.unsafeArray();
          double[] acc = reducer instanceof Sum ? foldFloating(ctx, layout, x, null)
              : foldFloating(ctx, layout, null, ArrayConversions.toDoubles(x));
          float[] r = (float[]) ctx.allocateForOverwrite(DType.FLOAT32, outputShape(ctx, layout));
          for (int k = 0; k < r.length; k++) {
            r[k] = (float) finish(acc[k], layout.count());
          }
          z = r;
          break;
        }
        case FLOAT64: {
          double[] acc = foldFloating(ctx, layout, null, (double[]) in.unsafeArray());
          for (int k = 0; k < acc.length; k++) {
            acc[k] = finish(acc[k], layout.count());
          }
          z = acc;
          break;
        }
        case INT32: {
          long[] acc = foldIntegers(layout, ArrayConversions.toLongs((int[]) in.unsafeArray()), true);
          int[] r = new int[acc.length];
          for (int k = 0; k < r.length; k++) {
            int v = (int) acc[k];
            r[k] = mean ? (layout.count() == 0 ? 0 : v / layout.count()) : v;
          }
          z = r;
          break;
        }
        case INT64: {
          long[] acc = foldIntegers(layout, (long[]) in.unsafeArray(), false);
          if (mean) {
            for (int k = 0; k < acc.length; k++) {
              acc[k] = layout.count() == 0 ? 0 : acc[k] / layout.count();
            }
          }
          z = acc;
          break;
        }
        default:
          throw ctx.invalidArgument("No " + ctx.op().type() + " kernel for dtype " + in.dtype());
      }
      ctx.setOutput(0, Tensor.unsafeWrap(in.dtype(), outputShape(ctx, layout), z));
    }

    private double finish(double acc, int count) {
      return mean ? acc / count : acc;
    }

    /** Folds a float32 ({@code f}, {@link Sum} only) or float64 ({@code d}) input into double accumulators. */
    private double[] foldFloating(KernelContext ctx, ReductionLayout layout, float[] f, double[] d) {
      // A pooled buffer (the float64 output itself, or float32's accumulators, which go back when the run ends).
      double[] acc = (double[]) ctx.allocateForOverwrite(DType.FLOAT64, Shape.of(layout.outputSize()));
      Arrays.fill(acc, reducer.identity());
      int n = layout.inner();
      Reducer r = reducer;
      if (f != null) {
        Sum sum = (Sum) r;
        if (layout.innerReduced()) {
          layout.forEachSegment((i, o) -> acc[o] = sum.fold(f, i, n, acc[o]));
        } else {
          layout.forEachSegment((i, o) -> sum.accumulate(f, i, acc, o, n));
        }
      } else if (layout.innerReduced()) {
        layout.forEachSegment((i, o) -> acc[o] = r.fold(d, i, n, acc[o]));
      } else {
        layout.forEachSegment((i, o) -> r.accumulate(d, i, acc, o, n));
      }
      return acc;
    }

    /** Folds an integer input, widened to long ({@code int32} says which identity), into long accumulators. */
    private long[] foldIntegers(ReductionLayout layout, long[] x, boolean int32) {
      long[] acc = new long[layout.outputSize()];
      Arrays.fill(acc, reducer.identity(int32));
      int n = layout.inner();
      Reducer r = reducer;
      if (layout.innerReduced()) {
        layout.forEachSegment((i, o) -> acc[o] = r.fold(x, i, n, acc[o]));
      } else {
        layout.forEachSegment((i, o) -> r.accumulate(x, i, acc, o, n));
      }
      return acc;
    }
  }

  /** {@code All} ({@code and = true}) or {@code Any} over bool. */
  public static final class Logical implements Kernel {
    private final boolean and;

    private Logical(boolean and) {
      this.and = and;
    }

    public static Logical all() {
      return new Logical(true);
    }

    public static Logical any() {
      return new Logical(false);
    }

    @Override
    public void compute(KernelContext ctx) {
      Tensor in = ctx.input(0);
      ReductionLayout layout = ReductionLayout.of(ctx, in.shape(), ctx.input(1));
      boolean[] x = (boolean[]) in.unsafeArray();
      boolean[] acc = new boolean[layout.outputSize()];
      Arrays.fill(acc, and);
      int n = layout.inner();
      // For all: the result flips to false at the first false; for any: to true at the first true.
      boolean flip = !and;
      if (layout.innerReduced()) {
        layout.forEachSegment((i, o) -> {
          for (int k = 0; k < n && acc[o] != flip; k++) {
            if (x[i + k] == flip) {
              acc[o] = flip;
            }
          }
        });
      } else {
        layout.forEachSegment((i, o) -> {
          for (int k = 0; k < n; k++) {
            if (x[i + k] == flip) {
              acc[o + k] = flip;
            }
          }
        });
      }
      ctx.setOutput(0, Tensor.unsafeWrap(DType.BOOL, outputShape(ctx, layout), acc));
    }
  }

  private static Shape outputShape(KernelContext ctx, ReductionLayout layout) {
    boolean keepDims = ctx.op().hasAttr("keep_dims") && ctx.op().attrBool("keep_dims");
    return keepDims ? layout.keptShape() : layout.reducedShape();
  }

  /**
   * One reduction's loops over double and long data (float32 and int32 inputs arrive widened, except float32 sums):
   * {@code fold} reduces a contiguous segment into one accumulator, {@code accumulate} folds a segment element-wise
   * into a run of accumulators.
   */
  abstract static class Reducer {
    abstract double identity();

    abstract long identity(boolean int32);

    abstract double fold(double[] x, int off, int n, double acc);

    abstract long fold(long[] x, int off, int n, long acc);

    abstract void accumulate(double[] x, int off, double[] acc, int accOff, int n);

    abstract void accumulate(long[] x, int off, long[] acc, int accOff, int n);
  }

  /** Addition; float64 segments are summed pairwise, float32 ones without widening the input first. */
  static final class Sum extends Reducer {
    @Override
    double identity() {
      return 0.0;
    }

    @Override
    long identity(boolean int32) {
      return 0;
    }

    double fold(float[] x, int off, int n, double acc) {
      return acc + sumToDouble(x, off, n);
    }

    @Override
    double fold(double[] x, int off, int n, double acc) {
      return acc + pairwiseSum(x, off, n);
    }

    @Override
    long fold(long[] x, int off, int n, long acc) {
      long r = acc;
      for (int k = 0; k < n; k++) {
        r += x[off + k];
      }
      return r;
    }

    void accumulate(float[] x, int off, double[] acc, int accOff, int n) {
      for (int k = 0; k < n; k++) {
        acc[accOff + k] += x[off + k];
      }
    }

    @Override
    void accumulate(double[] x, int off, double[] acc, int accOff, int n) {
      for (int k = 0; k < n; k++) {
        acc[accOff + k] += x[off + k];
      }
    }

    @Override
    void accumulate(long[] x, int off, long[] acc, int accOff, int n) {
      for (int k = 0; k < n; k++) {
        acc[accOff + k] += x[off + k];
      }
    }
  }

  /** Multiplication (integers wrap: the long product narrowed is the int32 product). */
  static final class Prod extends Reducer {
    @Override
    double identity() {
      return 1.0;
    }

    @Override
    long identity(boolean int32) {
      return 1;
    }

    @Override
    double fold(double[] x, int off, int n, double acc) {
      double r = acc;
      for (int k = 0; k < n; k++) {
        r *= x[off + k];
      }
      return r;
    }

    @Override
    long fold(long[] x, int off, int n, long acc) {
      long r = acc;
      for (int k = 0; k < n; k++) {
        r *= x[off + k];
      }
      return r;
    }

    @Override
    void accumulate(double[] x, int off, double[] acc, int accOff, int n) {
      for (int k = 0; k < n; k++) {
        acc[accOff + k] *= x[off + k];
      }
    }

    @Override
    void accumulate(long[] x, int off, long[] acc, int accOff, int n) {
      for (int k = 0; k < n; k++) {
        acc[accOff + k] *= x[off + k];
      }
    }
  }

  /**
   * Maximum ({@code max}) or minimum; NaN propagates. The direction is a final field, so the JIT hoists the branch
   * out of each loop.
   */
  static final class Extremum extends Reducer {
    private final boolean max;

    Extremum(boolean max) {
      this.max = max;
    }

    @Override
    double identity() {
      return max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    long identity(boolean int32) {
      if (int32) {
        return max ? Integer.MIN_VALUE : Integer.MAX_VALUE;
      }
      return max ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    @Override
    double fold(double[] x, int off, int n, double acc) {
      double r = acc;
      for (int k = 0; k < n; k++) {
        r = max ? Math.max(r, x[off + k]) : Math.min(r, x[off + k]);
      }
      return r;
    }

    @Override
    long fold(long[] x, int off, int n, long acc) {
      long r = acc;
      for (int k = 0; k < n; k++) {
        r = max ? Math.max(r, x[off + k]) : Math.min(r, x[off + k]);
      }
      return r;
    }

    @Override
    void accumulate(double[] x, int off, double[] acc, int accOff, int n) {
      for (int k = 0; k < n; k++) {
        acc[accOff + k] = max ? Math.max(acc[accOff + k], x[off + k]) : Math.min(acc[accOff + k], x[off + k]);
      }
    }

    @Override
    void accumulate(long[] x, int off, long[] acc, int accOff, int n) {
      for (int k = 0; k < n; k++) {
        acc[accOff + k] = max ? Math.max(acc[accOff + k], x[off + k]) : Math.min(acc[accOff + k], x[off + k]);
      }
    }
  }

  /** A float32 segment summed in double with four partial sums (exact enough: float32 inputs have 24-bit mantissas). */
  static double sumToDouble(float[] x, int off, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int k = 0;
    for (; k + 4 <= n; k += 4) {
      s0 += x[off + k];
      s1 += x[off + k + 1];
      s2 += x[off + k + 2];
      s3 += x[off + k + 3];
    }
    for (; k < n; k++) {
      s0 += x[off + k];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Pairwise summation: error growth O(log n) instead of O(n), like Eigen's tree reductions. */
  static double pairwiseSum(double[] x, int off, int n) {
    if (n <= 128) {
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int k = 0;
      for (; k + 4 <= n; k += 4) {
        s0 += x[off + k];
        s1 += x[off + k + 1];
        s2 += x[off + k + 2];
        s3 += x[off + k + 3];
      }
      for (; k < n; k++) {
        s0 += x[off + k];
      }
      return (s0 + s1) + (s2 + s3);
    }
    int half = n / 2;
    return pairwiseSum(x, off, half) + pairwiseSum(x, off + half, n - half);
  }
}
