package dev.scopeflow.runtime.opencl.kernels.linalg;

import java.util.Locale;

/**
 * Which GEMM implementation {@code MatMul} uses, from the system property {@code scopeflow.opencl.gemm} (read at each
 * launch, so it may change between runs; each new value is logged once):
 * <ul>
 *   <li>{@code auto} (default): the register-tiled kernels for float32/float64 (on GPUs and other non-CPU devices the
 *       local-memory tiled kernel for products of at least 64 rows and columns), the tiled kernel for integers;
 *   <li>{@code register}: the register-tiled kernels of {@code linalg.cl} (vector loads, no local memory; a
 *       matrix-vector form for one row) wherever the dtype is floating;
 *   <li>{@code tiled}: the local-memory tiled kernel (64 x 64 blocks per work-group of 16 x 16);
 *   <li>{@code clblast}: CLBlast (see {@link dev.scopeflow.runtime.opencl.ClBlastGemm}) for float32/float64 where it
 *       loads, else {@code auto}.
 * </ul>
 */
enum GemmSelection {
  AUTO,
  REGISTER,
  TILED,
  CLBLAST;

  static final String PROPERTY = "scopeflow.opencl.gemm";

  private static final System.Logger LOG = System.getLogger(GemmSelection.class.getName());
  private static volatile String lastLogged;

  /** The implementation the property names now (an unknown value is logged and taken as {@code auto}). */
  static GemmSelection current() {
    String value = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    GemmSelection selection;
    try {
      selection = valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      selection = AUTO;
    }
    if (!value.equals(lastLogged)) {
      lastLogged = value;
      LOG.log(System.Logger.Level.INFO, selection.name().toLowerCase(Locale.ROOT).equals(value)
          ? "OpenCL MatMul uses GEMM implementation '" + value + "' (" + PROPERTY + ")"
          : "Unknown " + PROPERTY + " '" + value + "' (auto, register, tiled, clblast): using auto");
    }
    return selection;
  }
}
