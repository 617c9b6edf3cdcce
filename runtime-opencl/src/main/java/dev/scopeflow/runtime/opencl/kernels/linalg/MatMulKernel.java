package dev.scopeflow.runtime.opencl.kernels.linalg;

import dev.scopeflow.graph.DType;
import dev.scopeflow.ops.defs.LinalgRunChecks;
import dev.scopeflow.runtime.opencl.ClBlastGemm;
import dev.scopeflow.runtime.opencl.ClKernel;
import dev.scopeflow.runtime.opencl.DeviceTensor;
import dev.scopeflow.runtime.opencl.OpenClKernel;
import dev.scopeflow.runtime.opencl.OpenClKernelContext;
import dev.scopeflow.runtime.opencl.ProgramVariant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code MatMul} for float32, float64, int32 and int64 (integers wrap on overflow, as TF's): {@code op(a) @ op(b)}
 * with {@code transpose_a} / {@code transpose_b} read in place, never materialised. The implementation follows
 * {@link GemmSelection} ({@code -Dscopeflow.opencl.gemm}): by default floating products run the register-tiled
 * kernels of {@code linalg.cl} (8 x 8 outputs per work item with 8-vector loads of b's rows, a single-row form for
 * m = 1, and for a transposed b 4 outputs per work item with 8-vector loads along k from both operands), which suit
 * the skinny LSTM products (1..64 rows against k x 4H weights) and CPU devices; integer products, and on non-CPU
 * devices large floating ones, run the local-memory tiled kernel (64 x 64 output blocks per work-group of 16 x 16,
 * K in slices of 16); tiny integer products run one work item per output. Run-time checks and texts are the CPU
 * runtime's (TF's).
 */
public final class MatMulKernel implements OpenClKernel {
  static final String PROGRAM = "linalg";

  /** The section of linalg.cl each op builds (see its header): a variant compiles only its op's kernels. */
  static final String SECTION = "SF_LINALG_GEMM";

  private static final Set<DType> DTYPES = EnumSet.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64);

  /** Output block of one tiled work-group, and its work-group shape (see GEMM_* in linalg.cl). */
  private static final int TILE = 64;

  private static final int TILE_THREADS = 16;

  /** Below this many multiply-adds a tile's start-up (and its idle lanes) costs more than it saves. */
  private static final long SMALL_MAX_FLOPS = 1L << 15;

  /** Outputs per work item of the register kernels: rows (of op(a)) and columns (see GEMM_NN_* in linalg.cl). */
  private static final int NN_ROWS = 8;

  private static final int NN_COLUMNS = 8;

  private static final int NT_COLUMNS = 4;

  @Override
  public void enqueue(OpenClKernelContext ctx) {
    DeviceTensor a = ctx.input(0);
    DeviceTensor b = ctx.input(1);
    boolean transA = ctx.op().attrBool("transpose_a");
    boolean transB = ctx.op().attrBool("transpose_b");
    LinalgRunChecks.MatMulLayout layout = LinalgRunChecks.matMul(ctx, a.shape(), b.shape(), transA, transB);
    if (!DTYPES.contains(a.dtype())) {
      throw ctx.invalidArgument("MatMul has no OpenCL kernel for dtype " + a.dtype());
    }
    int m = layout.m();
    int n = layout.n();
    int k = layout.k();
    int aCols = layout.aCols();
    int bCols = layout.bCols();
    DeviceTensor c = ctx.allocateOutput(0, layout.outShape());
    long outputs = (long) m * n;
    if (outputs == 0) {
      return;
    }
    if (k == 0) {
      ctx.launch(ctx.kernel(PROGRAM, "matmul_zero", variant(a.dtype())), outputs, c, outputs);
      return;
    }
    boolean floating = a.dtype().isFloating();
    GemmSelection selection = GemmSelection.current();
    if (floating && selection == GemmSelection.CLBLAST
        && ClBlastGemm.enqueue(ctx, c, a, b, m, n, k, aCols, bCols, transA, transB)) {
      return;
    }
    if (floating && (selection == GemmSelection.REGISTER || selection != GemmSelection.TILED
        && (ctx.device().type().equals("cpu") || m < TILE || n < TILE))) {
      enqueueRegisterTiled(ctx, c, a, b, m, n, k, aCols, bCols, transA, transB);
      return;
    }
    ClKernel tiled = ctx.kernel(PROGRAM, "matmul_tiled", variant(a.dtype()));
    // The tiled kernel needs 16 x 16 work-groups; a device or kernel limited below that takes the per-output path.
    if (outputs * k <= SMALL_MAX_FLOPS || tiled.maxWorkGroupSize() < (long) TILE_THREADS * TILE_THREADS) {
      ctx.launch(ctx.kernel(PROGRAM, "matmul_small", variant(a.dtype())), outputs, c, a, b, m, n, k, aCols, bCols,
          transA ? 1 : 0, transB ? 1 : 0);
      return;
    }
    long[] global = {blocks(n) * TILE_THREADS, blocks(m) * TILE_THREADS};
    long[] local = {TILE_THREADS, TILE_THREADS};
    ctx.launch(tiled, global, local, c, a, b, m, n, k, aCols, bCols,
        transA ? 1 : 0, transB ? 1 : 0);
  }

  /**
   * The register kernels: {@code matmul_nt} (b transposed: rows of a and b both run along k), {@code matmul_nn_1}
   * (one row: a matrix-vector product) or {@code matmul_nn_8}. The driver picks the work-group size (they use no
   * local memory or barriers).
   */
  private static void enqueueRegisterTiled(OpenClKernelContext ctx, DeviceTensor c, DeviceTensor a, DeviceTensor b,
      int m, int n, int k, int aCols, int bCols, boolean transA, boolean transB) {
    String name;
    long[] global;
    if (transB) {
      name = "matmul_nt";
      global = new long[] {ceilDiv(n, NT_COLUMNS), m};
    } else {
      int rows = m == 1 ? 1 : NN_ROWS;
      name = "matmul_nn_" + rows;
      global = new long[] {ceilDiv(n, NN_COLUMNS), ceilDiv(m, rows)};
    }
    ctx.launch(ctx.kernel(PROGRAM, name, variant(a.dtype())), global, null, c, a, b, m, n, k, aCols, bCols,
        transA ? 1 : 0);
  }

  private static final Map<DType, ProgramVariant> VARIANTS = new EnumMap<>(DType.class);

  static {
    for (DType t : DTYPES) {
      VARIANTS.put(t, ProgramVariant.of(t).define(SECTION, "1"));
    }
  }

  private static ProgramVariant variant(DType dtype) {
    return VARIANTS.get(dtype);
  }

  private static long blocks(int size) {
    return (size + TILE - 1) / TILE;
  }

  private static long ceilDiv(int size, int per) {
    return (size + per - 1) / per;
  }
}
