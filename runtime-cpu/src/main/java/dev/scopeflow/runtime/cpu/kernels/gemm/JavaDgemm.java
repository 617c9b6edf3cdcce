package dev.scopeflow.runtime.cpu.kernels.gemm;

/**
 * The float64 twin of {@link JavaSgemm}, the other half of {@link JavaGemm}: the same blocking, packing and
 * micro-kernel over double arrays (tiles of {@link #NC} = 256 columns so a packed panel is again 512 KiB). Kept as a
 * separate copy because Java generics cannot abstract over primitive arrays without boxing or megamorphic calls in
 * the inner loop.
 */
final class JavaDgemm {
  /** Rows of Y per packed panel: with {@link #NC} columns, 512 KiB of float64. */
  static final int KC = 256;
  /** Columns of D per tile. */
  static final int NC = 256;
  /** A D narrower than this (and taller than wide) is computed transposed so the vectorised loops stay long. */
  private static final int NARROW = 128;
  /** Products smaller than this many multiply-adds stay on the calling thread: a hand-off costs about 20 µs. */
  private static final long PARALLEL_MIN_FMAS = 1L << 20;
  /** Narrowest column tile when a product is split over threads (shorter loops run below SIMD speed). */
  private static final int MIN_TILE_COLS = 128;
  /** Fewest rows of D per tile when rows are split: each packed panel is copied once per row tile. */
  private static final int MIN_TILE_ROWS = 128;
  /** Columns of a matrix-vector product per tile. */
  private static final int GEMV_CHUNK = 256;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private JavaDgemm() {}

  /** Per-thread buffers: the packed panel of Y, one scaled row of X and one row of D. */
  private static final class Scratch {
    final double[][] panel = new double[KC][NC];
    final double[] x = new double[Math.max(KC, 16)];
    final double[] d = new double[NC];
    double[] vector = new double[256];

    double[] vector(int length) {
      if (vector.length < length) {
        vector = new double[Math.max(length, vector.length * 2)];
      }
      return vector;
    }
  }

  /** Arguments already checked; m, n, k > 0 and alpha != 0. */
  static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOffset, int lda,
      double[] b, int bOffset, int ldb, double beta, double[] c, int cOffset, int ldc) {
    // Element (i, p) of op(A) is a[aOffset + i * ai + p * ap]; element (p, j) of op(B) is b[bOffset + p * bp + j * bj].
    int ai = transA ? 1 : lda;
    int ap = transA ? lda : 1;
    int bp = transB ? 1 : ldb;
    int bj = transB ? ldb : 1;
    // Matrix-vector products. Where the matrix is read along its contiguous rows into the vectorised loop, the packed
    // kernel with a single row of D is the fastest form (the packing copies are memcpy-speed); where the contiguous
    // direction is the reduction, gemv takes dot products.
    if (m == 1 && !transB) {
      blocked(1, n, k, alpha, a, aOffset, 0, ap, b, bOffset, bp, 1, beta, c, cOffset, 0, 1);
      return;
    }
    if (n == 1 && transA) {
      // D = C^T (1 x m) = op(B)^T op(A)^T.
      blocked(1, m, k, alpha, b, bOffset, 0, bp, a, aOffset, ap, 1, beta, c, cOffset, 0, ldc);
      return;
    }
    if (m == 1) {
      // c[j] = alpha * sum_p op(B)(p, j) op(A)(0, p) + beta c[j], with op(B)'s columns contiguous.
      gemv(n, k, alpha, b, bOffset, bj, bp, a, aOffset, ap, beta, c, cOffset, 1);
      return;
    }
    if (n == 1) {
      gemv(m, k, alpha, a, aOffset, ai, ap, b, bOffset, bp, beta, c, cOffset, ldc);
      return;
    }
    if (n < NARROW && m > n) {
      // D = C^T (n x m) = op(B)^T op(A)^T.
      blocked(n, m, k, alpha, b, bOffset, bj, bp, a, aOffset, ap, ai, beta, c, cOffset, 1, ldc);
    } else {
      blocked(m, n, k, alpha, a, aOffset, ai, ap, b, bOffset, bp, bj, beta, c, cOffset, ldc, 1);
    }
  }

  // ---------------------------------------------------------------- blocked product

  /**
   * {@code D = alpha X Y + beta D} with X (rows x k) at x[xOff + i*xr + p*xc], Y (k x cols) at y[yOff + p*yr + j*yc]
   * and D (rows x cols) at d[dOff + i*dr + j*dc].
   */
  private static void blocked(int rows, int cols, int k, double alpha, double[] x, int xOff, int xr, int xc, double[] y,
      int yOff, int yr, int yc, double beta, double[] d, int dOff, int dr, int dc) {
    boolean parallel = (long) rows * cols * k >= PARALLEL_MIN_FMAS && GemmThreads.PARALLELISM > 1;
    int tileCols = NC;
    int rowTiles = 1;
    if (parallel) {
      // About two tiles per thread so they finish together. Rows are split first where there are many (each row tile
      // packs its own panels: with MIN_TILE_ROWS rows that costs under 1%), then columns are narrowed.
      int wanted = 2 * GemmThreads.PARALLELISM;
      int colTiles = (cols + NC - 1) / NC;
      if (colTiles < wanted) {
        rowTiles = Math.max(1, Math.min((wanted + colTiles - 1) / colTiles, rows / MIN_TILE_ROWS));
        int perRowTile = (wanted + rowTiles - 1) / rowTiles;
        if (colTiles < perRowTile) {
          int even = (cols + perRowTile - 1) / perRowTile;
          tileCols = Math.min(NC, Math.max(MIN_TILE_COLS, (even + 15) / 16 * 16));
        }
      }
    }
    int colTiles = (cols + tileCols - 1) / tileCols;
    int width = tileCols;
    int rowsPerTile = (rows + rowTiles - 1) / rowTiles;
    int numTiles = colTiles * rowTiles;
    GemmThreads.TileJob job = t -> {
      int i0 = (t / colTiles) * rowsPerTile;
      int i1 = Math.min(rows, i0 + rowsPerTile);
      int j0 = (t % colTiles) * width;
      int j1 = Math.min(cols, j0 + width);
      if (i0 < i1) {
        tile(SCRATCH.get(), i0, i1, j0, j1, k, alpha, x, xOff, xr, xc, y, yOff, yr, yc, beta, d, dOff, dr, dc);
      }
    };
    if (parallel) {
      GemmThreads.shared().run(job, numTiles);
    } else {
      for (int t = 0; t < numTiles; t++) {
        job.runTile(t);
      }
    }
  }

  /** Rows [i0, i1) x columns [j0, j1) of D, with at most {@link #NC} columns. */
  private static void tile(Scratch s, int i0, int i1, int j0, int j1, int k, double alpha, double[] x, int xOff, int xr,
      int xc, double[] y, int yOff, int yr, int yc, double beta, double[] d, int dOff, int dr, int dc) {
    int nc = j1 - j0;
    double[][] panel = s.panel;
    double[] xs = s.x;
    double[] ds = s.d;
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      pack(panel, y, yOff + p0 * yr + j0 * yc, yr, yc, kc, nc);
      for (int i = i0; i < i1; i++) {
        int xBase = xOff + i * xr + p0 * xc;
        for (int p = 0; p < kc; p++) {
          xs[p] = alpha * x[xBase + p * xc];
        }
        int dBase = dOff + i * dr + j0 * dc;
        loadRow(ds, d, dBase, dc, nc, p0 == 0 ? beta : 1d);
        multiplyRow(ds, nc, xs, kc, panel);
        storeRow(ds, d, dBase, dc, nc);
      }
    }
  }

  /** {@code panel[p][j] = y[base + p*yr + j*yc]} for p < kc, j < nc. */
  private static void pack(double[][] panel, double[] y, int base, int yr, int yc, int kc, int nc) {
    if (yc == 1) {
      for (int p = 0; p < kc; p++) {
        System.arraycopy(y, base + p * yr, panel[p], 0, nc);
      }
      return;
    }
    // Transposed storage: four source rows (four columns of the panel) per pass, each read contiguously; about 30%
    // faster than one at a time or than reading across rows.
    int j = 0;
    for (; j + 4 <= nc; j += 4) {
      int s0 = base + j * yc;
      int s1 = s0 + yc;
      int s2 = s1 + yc;
      int s3 = s2 + yc;
      for (int p = 0; p < kc; p++) {
        double[] row = panel[p];
        int o = p * yr;
        row[j] = y[s0 + o];
        row[j + 1] = y[s1 + o];
        row[j + 2] = y[s2 + o];
        row[j + 3] = y[s3 + o];
      }
    }
    for (; j < nc; j++) {
      int src = base + j * yc;
      for (int p = 0; p < kc; p++) {
        panel[p][j] = y[src + p * yr];
      }
    }
  }

  /** {@code ds = scale * D row} (scale 0: zeros, D not read). */
  private static void loadRow(double[] ds, double[] d, int base, int dc, int nc, double scale) {
    if (scale == 0) {
      java.util.Arrays.fill(ds, 0, nc, 0d);
    } else if (dc == 1) {
      if (scale == 1) {
        System.arraycopy(d, base, ds, 0, nc);
      } else {
        for (int j = 0; j < nc; j++) {
          ds[j] = scale * d[base + j];
        }
      }
    } else {
      for (int j = 0; j < nc; j++) {
        ds[j] = scale * d[base + j * dc];
      }
    }
  }

  private static void storeRow(double[] ds, double[] d, int base, int dc, int nc) {
    if (dc == 1) {
      System.arraycopy(ds, 0, d, base, nc);
    } else {
      for (int j = 0; j < nc; j++) {
        d[base + j * dc] = ds[j];
      }
    }
  }

  /** {@code ds[j] += sum_p xs[p] * panel[p][j]}, four panel rows per pass. */
  private static void multiplyRow(double[] ds, int nc, double[] xs, int kc, double[][] panel) {
    int p = 0;
    for (; p + 4 <= kc; p += 4) {
      axpy4(ds, nc, xs[p], xs[p + 1], xs[p + 2], xs[p + 3], panel[p], panel[p + 1], panel[p + 2], panel[p + 3]);
    }
    for (; p < kc; p++) {
      axpy1(ds, nc, xs[p], panel[p]);
    }
  }

  /** The micro-kernel; see the class comment for why it has exactly this form. */
  private static void axpy4(double[] ds, int nc, double x0, double x1, double x2, double x3, double[] y0, double[] y1,
      double[] y2, double[] y3) {
    for (int j = 0; j < nc; j++) {
      ds[j] = Math.fma(x3, y3[j], Math.fma(x2, y2[j], Math.fma(x1, y1[j], Math.fma(x0, y0[j], ds[j]))));
    }
  }

  private static void axpy1(double[] ds, int nc, double x0, double[] y0) {
    for (int j = 0; j < nc; j++) {
      ds[j] = Math.fma(x0, y0[j], ds[j]);
    }
  }

  // ---------------------------------------------------------------- matrix-vector product

  /**
   * {@code out = alpha M v + beta out} for M (len x k) at mat[mOff + i*mr + p*mc] with contiguous rows (mc == 1), v at
   * vec[vOff + p*vs] and out at out[oOff + i*os]: one dot product per output, the matrix read once.
   */
  private static void gemv(int len, int k, double alpha, double[] mat, int mOff, int mr, int mc, double[] vec, int vOff,
      int vs, double beta, double[] out, int oOff, int os) {
    int chunks = (len + GEMV_CHUNK - 1) / GEMV_CHUNK;
    if ((long) len * k < PARALLEL_MIN_FMAS || chunks == 1) {
      Scratch s = SCRATCH.get();
      double[] v = scaledVector(s, k, alpha, vec, vOff, vs);
      for (int t = 0; t < chunks; t++) {
        gemvChunk(s, v, t, len, k, mat, mOff, mr, mc, beta, out, oOff, os);
      }
      return;
    }
    // Each tile scales its own copy of the vector: k multiplies against k * GEMV_CHUNK multiply-adds.
    GemmThreads.shared().run(t -> {
      Scratch s = SCRATCH.get();
      gemvChunk(s, scaledVector(s, k, alpha, vec, vOff, vs), t, len, k, mat, mOff, mr, mc, beta, out, oOff, os);
    }, chunks);
  }

  private static double[] scaledVector(Scratch s, int k, double alpha, double[] vec, int vOff, int vs) {
    double[] v = s.vector(k);
    for (int p = 0; p < k; p++) {
      v[p] = alpha * vec[vOff + p * vs];
    }
    return v;
  }

  private static void gemvChunk(Scratch s, double[] v, int chunk, int len, int k, double[] mat, int mOff, int mr,
      int mc, double beta, double[] out, int oOff, int os) {
    int i0 = chunk * GEMV_CHUNK;
    int n = Math.min(GEMV_CHUNK, len - i0);
    double[] ds = s.d;
    // Rows of M are contiguous (mc == 1): a dot product per output, eight partial sums for throughput.
    for (int i = 0; i < n; i++) {
      ds[i] = dot(mat, mOff + (i0 + i) * mr, v, k);
    }
    int base = oOff + i0 * os;
    for (int i = 0; i < n; i++) {
      int o = base + i * os;
      out[o] = beta == 0 ? ds[i] : ds[i] + beta * out[o];
    }
  }

  private static double dot(double[] m, int off, double[] v, int k) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    int p = 0;
    for (; p + 8 <= k; p += 8) {
      int o = off + p;
      s0 = Math.fma(m[o], v[p], s0);
      s1 = Math.fma(m[o + 1], v[p + 1], s1);
      s2 = Math.fma(m[o + 2], v[p + 2], s2);
      s3 = Math.fma(m[o + 3], v[p + 3], s3);
      s4 = Math.fma(m[o + 4], v[p + 4], s4);
      s5 = Math.fma(m[o + 5], v[p + 5], s5);
      s6 = Math.fma(m[o + 6], v[p + 6], s6);
      s7 = Math.fma(m[o + 7], v[p + 7], s7);
    }
    for (; p < k; p++) {
      s0 = Math.fma(m[off + p], v[p], s0);
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }
}
