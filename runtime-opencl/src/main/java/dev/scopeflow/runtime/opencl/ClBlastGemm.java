package dev.scopeflow.runtime.opencl;

import dev.scopeflow.graph.DType;
import java.util.Optional;
import org.jocl.CLException;
import org.jocl.blast.CLBlast;
import org.jocl.blast.CLBlastLayout;
import org.jocl.blast.CLBlastTranspose;

/**
 * GEMM through CLBlast ({@code org.jocl:jocl-blast}, which bundles {@code libclblast} for Linux, macOS and Windows on
 * x86-64), used by MatMul only when selected ({@code -Dscopeflow.opencl.gemm=clblast}, see {@code GemmSelection} in {@code kernels.linalg}).
 * CLBlast compiles its kernels on first use in each process (about 20 s per routine and precision on PoCL), so it is
 * never the default and no default test path touches it. Its native libraries are loaded once, on first use; where
 * they do not load, or a call fails, MatMul keeps its own kernels (the reason is logged once).
 */
public final class ClBlastGemm {
  private static final System.Logger LOG = System.getLogger(ClBlastGemm.class.getName());
  private static volatile Optional<String> unavailable; // null until tried

  private ClBlastGemm() {}

  /** Why CLBlast cannot be used here, or empty when its libraries loaded. Loads them on the first call. */
  public static Optional<String> unavailableReason() {
    Optional<String> r = unavailable;
    if (r == null) {
      synchronized (ClBlastGemm.class) {
        r = unavailable;
        if (r == null) {
          r = load();
          unavailable = r;
          if (r.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "CLBlast is not available, MatMul uses its own kernels: " + r.get());
          }
        }
      }
    }
    return r;
  }

  private static Optional<String> load() {
    try {
      CLBlast.setExceptionsEnabled(false);
      return Optional.empty();
    } catch (LinkageError | RuntimeException e) {
      return Optional.of(e.toString());
    }
  }

  /**
   * Enqueues {@code c = op(a) @ op(b)} (row-major, {@code m x n}, strides {@code lda}, {@code ldb} as stored) for
   * float32 or float64 on the run's queue. Returns false, enqueueing nothing, when CLBlast is unavailable or refuses
   * the call (its status is logged), so the caller launches its own kernel instead.
   */
  public static boolean enqueue(OpenClKernelContext ctx, DeviceTensor c, DeviceTensor a, DeviceTensor b, int m,
      int n, int k, int lda, int ldb, boolean transA, boolean transB) {
    DType dtype = a.dtype();
    if (unavailableReason().isPresent() || (dtype != DType.FLOAT32 && dtype != DType.FLOAT64)) {
      return false;
    }
    OpenClRun run = ctx.run();
    int ta = transA ? CLBlastTranspose.CLBlastTransposeYes : CLBlastTranspose.CLBlastTransposeNo;
    int tb = transB ? CLBlastTranspose.CLBlastTransposeYes : CLBlastTranspose.CLBlastTransposeNo;
    int status;
    try {
      var am = run.deviceMem(a, ctx.op());
      var bm = run.deviceMem(b, ctx.op());
      var cm = run.deviceMem(c, ctx.op());
      status = dtype == DType.FLOAT32
          ? CLBlast.CLBlastSgemm(CLBlastLayout.CLBlastLayoutRowMajor, ta, tb, m, n, k, 1f, am, 0, lda, bm, 0, ldb, 0f,
              cm, 0, n, run.queue, null)
          : CLBlast.CLBlastDgemm(CLBlastLayout.CLBlastLayoutRowMajor, ta, tb, m, n, k, 1d, am, 0, lda, bm, 0, ldb,
              0d, cm, 0, n, run.queue, null);
    } catch (CLException e) {
      throw ctx.session().runFailure(e, run, "launching CLBlast GEMM", ctx.op());
    }
    if (status != 0) {
      LOG.log(System.Logger.Level.WARNING, "CLBlast GEMM failed with status " + status + " for " + m + "x" + k + "x"
          + n + "; MatMul " + ctx.op().name() + " uses its own kernel");
      return false;
    }
    run.launched = true;
    return true;
  }
}
