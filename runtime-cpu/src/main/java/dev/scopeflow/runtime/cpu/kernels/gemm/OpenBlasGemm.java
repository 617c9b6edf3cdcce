package dev.scopeflow.runtime.cpu.kernels.gemm;

import dev.ludovic.netlib.blas.NativeBLAS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * GEMM through the system's native OpenBLAS, called with {@code dev.ludovic.netlib:blas}'s JNI binding on the heap
 * arrays themselves (pinned for the call, no copies). Row-major products are passed to the column-major BLAS as the
 * transposed product ({@code C^T = op(B)^T op(A)^T}), so no data moves; a product with one row or column of C goes to
 * {@code ?gemv}, which OpenBLAS runs far faster than a degenerate {@code ?gemm}.
 *
 * <p>The binding would load whatever {@code libblas.so} the system resolves, which on Debian may be the slow
 * reference BLAS; {@link #load()} therefore pins OpenBLAS by file name: the path in system property
 * {@code scopeflow.cpu.openblas.path}, else the first {@code libopenblas} found in the usual library directories
 * (Debian/Ubuntu {@code libopenblas0-pthread}, Fedora {@code openblas}, Homebrew), handed to the binding as
 * {@code dev.ludovic.netlib.blas.nativeLibPath} before its first use. A user who set that property keeps it. OpenBLAS
 * runs its own threads: {@code OPENBLAS_NUM_THREADS} (read by OpenBLAS at load, default: all cores).
 */
public final class OpenBlasGemm extends CheckedGemm {
  /** System property naming the OpenBLAS shared library to load. */
  public static final String PATH_PROPERTY = "scopeflow.cpu.openblas.path";

  private static final String NETLIB_PATH_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";
  private static final String NETLIB_NAME_PROPERTY = "dev.ludovic.netlib.blas.nativeLib";

  private static volatile Loaded loaded;

  private final NativeBLAS blas;
  private final String library;

  private OpenBlasGemm(NativeBLAS blas, String library) {
    this.blas = blas;
    this.library = library;
  }

  /** The outcome of the one attempt per JVM to load OpenBLAS: the engine, or why it is not available. */
  public record Loaded(Optional<OpenBlasGemm> engine, String detail) {}

  /**
   * Loads OpenBLAS once per JVM (the binding's native library can be initialised only once) and checks it with a
   * small product.
   */
  public static Loaded load() {
    Loaded l = loaded;
    if (l == null) {
      synchronized (OpenBlasGemm.class) {
        l = loaded;
        if (l == null) {
          l = tryLoad();
          loaded = l;
        }
      }
    }
    return l;
  }

  private static Loaded tryLoad() {
    String library;
    String preset = System.getProperty(NETLIB_PATH_PROPERTY);
    if (preset != null) {
      library = preset;
    } else {
      Optional<Path> found = findLibrary();
      if (found.isEmpty()) {
        return new Loaded(Optional.empty(), "no OpenBLAS library found (looked for " + libraryNames() + " in "
            + searchDirectories() + "; set " + PATH_PROPERTY + " to its path, or install e.g. libopenblas0-pthread)");
      }
      library = found.get().toString();
      System.setProperty(NETLIB_PATH_PROPERTY, library);
    }
    String resolved = library;
    try {
      resolved = Path.of(library).toRealPath().toString();
    } catch (Exception e) {
      // keep the name as given: dlopen may still resolve it through the loader's search path
    }
    NativeBLAS blas;
    try {
      blas = NativeBLAS.getInstance();
    } catch (Throwable e) {
      // LinkageError when the binding or its f2j helper classes are missing, RuntimeException when dlopen fails.
      return new Loaded(Optional.empty(), "could not load " + library + " through dev.ludovic.netlib:blas: " + e);
    }
    OpenBlasGemm engine = new OpenBlasGemm(blas, resolved);
    String check = selfCheck(engine);
    if (check != null) {
      return new Loaded(Optional.empty(), library + " loaded but " + check);
    }
    return new Loaded(Optional.of(engine), resolved);
  }

  /** A 2x3 by 3x2 product in each precision and orientation; null when the results are right. */
  private static String selfCheck(OpenBlasGemm g) {
    try {
      float[] a = {1, 2, 3, 4, 5, 6};
      float[] b = {7, 8, 9, 10, 11, 12};
      float[] c = new float[4];
      g.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
      double[] ad = {1, 2, 3, 4, 5, 6};
      double[] bd = {7, 8, 9, 10, 11, 12};
      double[] cd = new double[4];
      g.dgemm(true, true, 2, 2, 3, 1d, ad, 0, 2, bd, 0, 3, 0d, cd, 0, 2);
      // [1 2 3; 4 5 6] [7 8; 9 10; 11 12] and [1 3 5; 2 4 6] [7 10; 8 11; 9 12]
      if (c[0] != 58 || c[1] != 64 || c[2] != 139 || c[3] != 154) {
        return "sgemm gave a wrong product";
      }
      if (cd[0] != 76 || cd[1] != 103 || cd[2] != 100 || cd[3] != 136) {
        return "dgemm gave a wrong product";
      }
      return null;
    } catch (Throwable e) {
      return "failed a test product: " + e;
    }
  }

  private static Optional<Path> findLibrary() {
    String configured = System.getProperty(PATH_PROPERTY);
    if (configured != null) {
      // An explicit path is used as given; a wrong one fails loudly at load.
      return Optional.of(Path.of(configured));
    }
    for (String dir : searchDirectories()) {
      for (String name : libraryNames()) {
        Path p = Path.of(dir, name);
        if (Files.isRegularFile(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> libraryNames() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("mac")) {
      return List.of("libopenblas.0.dylib", "libopenblas.dylib");
    }
    // Fedora names the pthreads build libopenblasp; the serial libopenblas would use one core only.
    return List.of("libopenblas.so.0", "libopenblasp.so.0", "libopenblas.so");
  }

  private static List<String> searchDirectories() {
    Set<String> dirs = new LinkedHashSet<>();
    for (String var : new String[] {System.getenv("LD_LIBRARY_PATH"), System.getProperty("java.library.path")}) {
      if (var != null) {
        for (String d : var.split(java.io.File.pathSeparator)) {
          if (!d.isBlank()) {
            dirs.add(d);
          }
        }
      }
    }
    String arch = System.getProperty("os.arch", "");
    String triplet = switch (arch) {
      case "amd64", "x86_64" -> "x86_64-linux-gnu";
      case "aarch64" -> "aarch64-linux-gnu";
      default -> arch + "-linux-gnu";
    };
    dirs.add("/usr/lib/" + triplet);
    dirs.add("/usr/lib/" + triplet + "/openblas-pthread");
    dirs.add("/usr/lib64");
    dirs.add("/usr/lib");
    dirs.add("/usr/local/lib");
    dirs.add("/opt/OpenBLAS/lib");
    dirs.add("/opt/homebrew/opt/openblas/lib");
    dirs.add("/usr/local/opt/openblas/lib");
    return new ArrayList<>(dirs);
  }

  /** The shared library this engine runs, as loaded (symbolic links resolved). */
  public String library() {
    return library;
  }

  @Override
  protected void sgemmProduct(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
      int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
    if (beta == 0) {
      // BLAS promises not to read C when beta is 0, but some OpenBLAS versions scale it (0 * NaN = NaN): clear it.
      GemmArguments.scale(0f, c, cOffset, ldc, m, n);
    }
    if (m == 1 || n == 1) {
      MatrixVector mv = MatrixVector.of(transA, transB, m, n, k, aOffset, lda, bOffset, ldb, ldc);
      blas.sgemv(mv.trans(), mv.rows(), mv.cols(), alpha, mv.matrixIsB() ? b : a, mv.matrixOffset(), mv.ld(),
          mv.matrixIsB() ? a : b, mv.vectorOffset(), mv.incx(), beta, c, cOffset, mv.incy());
    } else {
      blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, bOffset, ldb, a, aOffset, lda, beta, c,
          cOffset, ldc);
    }
  }

  /** {@link #sgemmProduct} in float64: the same calls, to the binding's typed {@code dgemv} and {@code dgemm}. */
  @Override
  protected void dgemmProduct(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
      int aOffset, int lda, double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc) {
    if (beta == 0) {
      GemmArguments.scale(0d, c, cOffset, ldc, m, n);
    }
    if (m == 1 || n == 1) {
      MatrixVector mv = MatrixVector.of(transA, transB, m, n, k, aOffset, lda, bOffset, ldb, ldc);
      blas.dgemv(mv.trans(), mv.rows(), mv.cols(), alpha, mv.matrixIsB() ? b : a, mv.matrixOffset(), mv.ld(),
          mv.matrixIsB() ? a : b, mv.vectorOffset(), mv.incx(), beta, c, cOffset, mv.incy());
    } else {
      blas.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, bOffset, ldb, a, aOffset, lda, beta, c,
          cOffset, ldc);
    }
  }

  /**
   * A product whose C is one row or one column, as one BLAS matrix-vector call. BLAS is column-major, and a row-major
   * matrix read column-major is its transpose. For {@code m == 1}, {@code c[0, :] = op(A)[0, :] op(B)}: the matrix is
   * B (read untransposed it is {@code op(B)^T}, n x k, when B is not transposed; k x n when it is) and the vector a row
   * of {@code op(A)} (stride lda when A is transposed). For {@code n == 1}, {@code c[:, 0] = op(A) op(B)[:, 0]}: the
   * matrix is A (k x m read untransposed, m x k when A is transposed), the vector a column of {@code op(B)} (stride
   * ldb unless B is transposed), and C is written with stride ldc. The matrix is at {@code matrixOffset} with leading
   * dimension {@code ld}, the vector at {@code vectorOffset}: A's or B's, as {@code matrixIsB} says.
   */
  private record MatrixVector(String trans, int rows, int cols, boolean matrixIsB, int matrixOffset, int ld,
      int vectorOffset, int incx, int incy) {
    static MatrixVector of(boolean transA, boolean transB, int m, int n, int k, int aOffset, int lda, int bOffset,
        int ldb, int ldc) {
      if (m == 1) {
        int incx = transA ? lda : 1;
        return transB ? new MatrixVector("T", k, n, true, bOffset, ldb, aOffset, incx, 1)
            : new MatrixVector("N", n, k, true, bOffset, ldb, aOffset, incx, 1);
      }
      int incx = transB ? 1 : ldb;
      return transA ? new MatrixVector("N", m, k, false, aOffset, lda, bOffset, incx, ldc)
          : new MatrixVector("T", k, m, false, aOffset, lda, bOffset, incx, ldc);
    }
  }

  @Override
  public String toString() {
    return "openblas (" + library + ")";
  }
}
