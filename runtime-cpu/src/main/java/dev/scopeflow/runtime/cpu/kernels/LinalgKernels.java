package dev.scopeflow.runtime.cpu.kernels;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.defs.LinalgRunChecks;
import dev.scopeflow.runtime.cpu.KernelContext;
import dev.scopeflow.runtime.cpu.KernelFamily;
import dev.scopeflow.runtime.cpu.KernelRegistry;
import dev.scopeflow.runtime.cpu.kernels.linalg.HouseholderQr;
import dev.scopeflow.runtime.cpu.kernels.linalg.TriangularSolve;

/**
 * CPU kernels of the linalg op family: MatMul (floats through the session's GEMM), Qr, MatrixDiagPart,
 * MatrixTriangularSolve.
 */
public final class LinalgKernels implements KernelFamily {
  @Override
  public void register(KernelRegistry registry) {
    registry.register("MatMul", LinalgKernels::matMul);
    registry.register("Qr", LinalgKernels::qr);
    registry.register("MatrixDiagPart", LinalgKernels::matrixDiagPart);
    registry.register("MatrixTriangularSolve", LinalgKernels::matrixTriangularSolve);
  }

  // ---------------------------------------------------------------- MatMul

  private static void matMul(KernelContext ctx) {
    Tensor a = ctx.input(0);
    Tensor b = ctx.input(1);
    boolean transA = ctx.op().attrBool("transpose_a");
    boolean transB = ctx.op().attrBool("transpose_b");
    LinalgRunChecks.MatMulLayout layout = LinalgRunChecks.matMul(ctx, a.shape(), b.shape(), transA, transB);
    int m = layout.m();
    int n = layout.n();
    int k = layout.k();
    int aCols = layout.aCols();
    int bCols = layout.bCols();
    Shape outShape = layout.outShape();
    // Row strides of the stored arrays; BLAS wants at least 1 even for a matrix without columns.
    int lda = Math.max(1, aCols);
    int ldb = Math.max(1, bCols);
    int ldc = Math.max(1, n);
    Object out;
    switch (a.dtype()) {
      case FLOAT32: {
        // beta = 0: the engine writes every element of C.
        float[] c = (float[]) ctx.allocateForOverwrite(DType.FLOAT32, outShape);
        ctx.gemm().sgemm(transA, transB, m, n, k, 1f, (float[]) a.unsafeArray(), 0, lda, (float[]) b.unsafeArray(), 0,
            ldb, 0f, c, 0, ldc);
        out = c;
        break;
      }
      case FLOAT64: {
        double[] c = (double[]) ctx.allocateForOverwrite(DType.FLOAT64, outShape);
        ctx.gemm().dgemm(transA, transB, m, n, k, 1d, (double[]) a.unsafeArray(), 0, lda, (double[]) b.unsafeArray(),
            0, ldb, 0d, c, 0, ldc);
        out = c;
        break;
      }
      case INT32:
        // Sums of products modulo 2^32 are the low bits of the 64-bit ones: TF's int32 wrap-around.
        out = ArrayConversions.toInts(longMatMul(ArrayConversions.toLongs((int[]) a.unsafeArray()), aCols, transA,
            ArrayConversions.toLongs((int[]) b.unsafeArray()), bCols, transB, m, n, k));
        break;
      case INT64:
        out = longMatMul((long[]) a.unsafeArray(), aCols, transA, (long[]) b.unsafeArray(), bCols, transB, m, n, k);
        break;
      default:
        throw ctx.invalidArgument("MatMul has no CPU kernel for dtype " + a.dtype());
    }
    ctx.setOutput(0, Tensor.unsafeWrap(a.dtype(), outShape, out));
  }

  /** Integer product in i-p-j order (row-major friendly), wrapping on overflow as TF's integer kernels do. */
  private static long[] longMatMul(long[] a, int aCols, boolean transA, long[] b, int bCols, boolean transB, int m,
      int n, int k) {
    // Element (i, p) of op(a) is a[i * aI + p * aP]; element (p, j) of op(b) is b[p * bP + j * bJ].
    int aI = transA ? 1 : aCols;
    int aP = transA ? aCols : 1;
    int bP = transB ? 1 : bCols;
    int bJ = transB ? bCols : 1;
    long[] c = new long[m * n];
    for (int i = 0; i < m; i++) {
      int row = i * n;
      for (int p = 0; p < k; p++) {
        long x = a[i * aI + p * aP];
        if (x == 0) {
          continue;
        }
        int bRow = p * bP;
        for (int j = 0; j < n; j++) {
          c[row + j] += x * b[bRow + j * bJ];
        }
      }
    }
    return c;
  }

  // ---------------------------------------------------------------- Qr

  /** Householder QR of every innermost matrix, in double (float32 inputs are widened and the results narrowed). */
  private static void qr(KernelContext ctx) {
    Tensor input = ctx.input(0);
    Shape s = input.shape();
    boolean full = ctx.op().attrBool("full_matrices");
    LinalgRunChecks.MatrixBatch layout = LinalgRunChecks.qr(ctx, s, full);
    DType t = input.dtype();
    if (t != DType.FLOAT32 && t != DType.FLOAT64) {
      throw ctx.invalidArgument("Qr has no CPU kernel for dtype " + t);
    }
    int m = layout.m();
    int n = layout.n();
    int p = layout.p();
    int qCols = full ? m : p;
    int rRows = full ? m : p;
    Shape batch = layout.batch();
    int batches = layout.batches();
    int inSize = m * n;
    int qSize = m * qCols;
    int rSize = rRows * n;
    double[] work = new double[inSize];
    double[] q = new double[batches * qSize];
    double[] r = new double[batches * rSize];
    double[] qOne = new double[qSize];
    double[] rOne = new double[rSize];
    for (int bi = 0; bi < batches; bi++) {
      if (t == DType.FLOAT32) {
        float[] x = (float[]) input.unsafeArray();
        for (int i = 0; i < inSize; i++) {
          work[i] = x[bi * inSize + i];
        }
      } else {
        System.arraycopy((double[]) input.unsafeArray(), bi * inSize, work, 0, inSize);
      }
      HouseholderQr.decompose(work, m, n, full, qOne, rOne);
      System.arraycopy(qOne, 0, q, bi * qSize, qSize);
      System.arraycopy(rOne, 0, r, bi * rSize, rSize);
    }
    Shape qShape = batch.concatenate(Shape.of(m, qCols));
    Shape rShape = batch.concatenate(Shape.of(rRows, n));
    if (t == DType.FLOAT32) {
      ctx.setOutput(0, Tensor.unsafeWrap(t, qShape, narrow(q)));
      ctx.setOutput(1, Tensor.unsafeWrap(t, rShape, narrow(r)));
    } else {
      ctx.setOutput(0, Tensor.unsafeWrap(t, qShape, q));
      ctx.setOutput(1, Tensor.unsafeWrap(t, rShape, r));
    }
  }

  private static float[] narrow(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  // ---------------------------------------------------------------- MatrixDiagPart

  private static void matrixDiagPart(KernelContext ctx) {
    Tensor input = ctx.input(0);
    Shape s = input.shape();
    LinalgRunChecks.MatrixBatch layout = LinalgRunChecks.diagPart(ctx, s);
    int m = layout.m();
    int n = layout.n();
    int p = layout.p();
    Shape outShape = layout.batch().concatenate(Shape.of(p));
    int batches = layout.batches();
    Object in = input.unsafeArray();
    Object out = Tensor.newArray(input.dtype(), batches * p);
    // Diagonal element i of matrix b sits at b * m * n + i * (n + 1). A diagonal is short: one element-wise
    // arraycopy serves every dtype.
    for (int b = 0; b < batches; b++) {
      for (int i = 0; i < p; i++) {
        System.arraycopy(in, b * m * n + i * (n + 1), out, b * p + i, 1);
      }
    }
    ctx.setOutput(0, Tensor.unsafeWrap(input.dtype(), outShape, out));
  }

  // ---------------------------------------------------------------- MatrixTriangularSolve

  /**
   * Substitution per matrix of the batch, in double (float32 inputs are widened and the result narrowed, as Qr does).
   * Like TF, an empty system gives an empty result without looking at the matrix, and a zero on a used matrix's
   * diagonal fails the run.
   */
  private static void matrixTriangularSolve(KernelContext ctx) {
    Tensor matrix = ctx.input(0);
    Tensor rhs = ctx.input(1);
    LinalgRunChecks.TriangularSolveLayout layout = LinalgRunChecks.triangularSolve(ctx, matrix.shape(), rhs.shape());
    DType t = matrix.dtype();
    if (t != DType.FLOAT32 && t != DType.FLOAT64) {
      throw ctx.invalidArgument("MatrixTriangularSolve has no CPU kernel for dtype " + t);
    }
    boolean lower = ctx.op().attrBool("lower");
    boolean adjoint = ctx.op().attrBool("adjoint");
    int n = layout.n();
    int k = layout.k();
    double[] a = widen(matrix);
    double[] b = widen(rhs);
    double[] x = new double[b.length];
    if (n > 0 && k > 0) {
      for (int bi = 0; bi < layout.batches(); bi++) {
        if (TriangularSolve.hasZeroPivot(a, bi * n * n, n)) {
          throw ctx.invalidArgument(LinalgRunChecks.NOT_INVERTIBLE);
        }
        TriangularSolve.solve(a, bi * n * n, b, bi * n * k, x, bi * n * k, n, k, lower, adjoint);
      }
    }
    ctx.setOutput(0, Tensor.unsafeWrap(t, layout.outShape(), t == DType.FLOAT32 ? narrow(x) : x));
  }

  /** The elements of a float32 or float64 tensor as doubles (a float64 tensor's own array: only read). */
  private static double[] widen(Tensor tensor) {
    if (tensor.dtype() == DType.FLOAT64) {
      return (double[]) tensor.unsafeArray();
    }
    float[] f = (float[]) tensor.unsafeArray();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
