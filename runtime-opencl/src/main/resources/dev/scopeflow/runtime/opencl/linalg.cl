// Linear algebra (LinalgKernels): MatMul, Qr, MatrixDiagPart, MatrixTriangularSolve.
//
// Variants: T is the element type. Qr and MatrixTriangularSolve also take U, the type they compute in (double for
// float32 inputs on devices with fp64, as the CPU runtime computes in double; else T). MatrixDiagPart only moves
// bytes and is launched from the integer variant of the element's width (int for float32, long for float64, uchar
// for bool).
//
// Each variant also defines SF_LINALG_GEMM, SF_LINALG_QR, SF_LINALG_DIAG or SF_LINALG_TRSOLVE, the one op it builds:
// the GEMM and the Householder kernels are costly to compile (seconds each on PoCL), and a session seldom needs more
// than MatMul.

#ifndef U
#define U T
#endif

// ------------------------------------------------------------------------------------------------ MatMul
#if defined(SF_LINALG_GEMM)
//
// Integers wrap modulo 2^bits as TF's integer kernels do: products and sums are taken in the unsigned type of the
// same width (defined wrap-around; signed overflow is undefined in C) and the bits reinterpreted at the end.
#if defined(T_INT32)
#define ACC uint
#define FROM_ACC(x) as_int(x)
#elif defined(T_INT64)
#define ACC ulong
#define FROM_ACC(x) as_long(x)
#else
#define ACC T
#define FROM_ACC(x) (x)
#endif

// Element (i, p) of op(a) and (p, j) of op(b); a and b are row-major with row strides lda and ldb.
#define OP_A(TA, i, p) ((TA) ? a[(long) (p) * lda + (i)] : a[(long) (i) * lda + (p)])
#define OP_B(TB, p, j) ((TB) ? b[(long) (j) * ldb + (p)] : b[(long) (p) * ldb + (j)])

// Tiled GEMM: a work-group of GEMM_RTS_N x GEMM_RTS_M work items computes a GEMM_TS_M x GEMM_TS_N block of c, each
// work item GEMM_WPT x GEMM_WPT outputs spaced GEMM_RTS apart (so neighbouring work items load and store
// neighbouring columns). K advances in slices of GEMM_TS_K through local memory; tiles are zero padded at the edges,
// so any m, n, k works. Global loads are mapped so that consecutive work items read consecutive addresses whatever
// the transposition; the +1 column of padding keeps the transposed-order stores into local memory free of bank
// conflicts.
#define GEMM_TS_M 64
#define GEMM_TS_N 64
#define GEMM_TS_K 16
#define GEMM_WPT 4
#define GEMM_RTS_M (GEMM_TS_M / GEMM_WPT)
#define GEMM_RTS_N (GEMM_TS_N / GEMM_WPT)
#define GEMM_THREADS (GEMM_RTS_M * GEMM_RTS_N)

inline void gemm_tiled(__global T* c, __global const T* a, __global const T* b, int m, int n, int k, int lda,
                       int ldb, const int ta, const int tb, __local T (*as)[GEMM_TS_M + 1],
                       __local T (*bs)[GEMM_TS_N + 1]) {
  const int tx = get_local_id(0);
  const int ty = get_local_id(1);
  const int lid = ty * GEMM_RTS_N + tx;
  const int row0 = get_group_id(1) * GEMM_TS_M;
  const int col0 = get_group_id(0) * GEMM_TS_N;
  ACC acc[GEMM_WPT][GEMM_WPT];
  for (int r = 0; r < GEMM_WPT; r++) {
    for (int q = 0; q < GEMM_WPT; q++) {
      acc[r][q] = 0;
    }
  }
  for (int k0 = 0; k0 < k; k0 += GEMM_TS_K) {
    for (int l = 0; l < GEMM_TS_K * GEMM_TS_M / GEMM_THREADS; l++) {
      const int e = lid + l * GEMM_THREADS;
      const int ii = ta ? e % GEMM_TS_M : e / GEMM_TS_K;
      const int kk = ta ? e / GEMM_TS_M : e % GEMM_TS_K;
      const int gi = row0 + ii;
      const int gk = k0 + kk;
      as[kk][ii] = gi < m && gk < k ? OP_A(ta, gi, gk) : (T) 0;
    }
    for (int l = 0; l < GEMM_TS_K * GEMM_TS_N / GEMM_THREADS; l++) {
      const int e = lid + l * GEMM_THREADS;
      const int jj = tb ? e / GEMM_TS_K : e % GEMM_TS_N;
      const int kk = tb ? e % GEMM_TS_K : e / GEMM_TS_N;
      const int gj = col0 + jj;
      const int gk = k0 + kk;
      bs[kk][jj] = gj < n && gk < k ? OP_B(tb, gk, gj) : (T) 0;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int kk = 0; kk < GEMM_TS_K; kk++) {
      ACC bv[GEMM_WPT];
      for (int q = 0; q < GEMM_WPT; q++) {
        bv[q] = (ACC) bs[kk][tx + q * GEMM_RTS_N];
      }
      for (int r = 0; r < GEMM_WPT; r++) {
        const ACC av = (ACC) as[kk][ty + r * GEMM_RTS_M];
        for (int q = 0; q < GEMM_WPT; q++) {
          acc[r][q] += av * bv[q];
        }
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  for (int r = 0; r < GEMM_WPT; r++) {
    const int gi = row0 + ty + r * GEMM_RTS_M;
    for (int q = 0; q < GEMM_WPT; q++) {
      const int gj = col0 + tx + q * GEMM_RTS_N;
      if (gi < m && gj < n) {
        c[(long) gi * n + gj] = FROM_ACC(acc[r][q]);
      }
    }
  }
}

// One work item per output: for products too small to fill a tile.
inline void gemm_small(__global T* c, __global const T* a, __global const T* b, int m, int n, int k, int lda,
                       int ldb, const int ta, const int tb) {
  const long id = get_global_id(0);
  if (id >= (long) m * n) {
    return;
  }
  const int i = (int) (id / n);
  const int j = (int) (id % n);
  ACC s = 0;
  for (int p = 0; p < k; p++) {
    s += (ACC) OP_A(ta, i, p) * (ACC) OP_B(tb, p, j);
  }
  c[id] = FROM_ACC(s);
}

// The transpositions are arguments rather than four instantiations: the choice is uniform across a launch, costs a
// select per tile load, and keeps the program (built once per dtype) small.
__kernel __attribute__((reqd_work_group_size(GEMM_RTS_N, GEMM_RTS_M, 1)))
void matmul_tiled(__global T* c, __global const T* a, __global const T* b, int m, int n, int k, int lda, int ldb,
                  int ta, int tb) {
  __local T as[GEMM_TS_K][GEMM_TS_M + 1];
  __local T bs[GEMM_TS_K][GEMM_TS_N + 1];
  gemm_tiled(c, a, b, m, n, k, lda, ldb, ta, tb, as, bs);
}

__kernel void matmul_small(__global T* c, __global const T* a, __global const T* b, int m, int n, int k, int lda,
                           int ldb, int ta, int tb) {
  gemm_small(c, a, b, m, n, k, lda, ldb, ta, tb);
}

// Register-tiled GEMM for floating types, without local memory or barriers: what suits the skinny LSTM products
// (m = 1..64 rows against k x 4H weights) and CPU devices, where caches do the blocking and barriers cost. A work
// item keeps a block of c in registers and reads both operands with vector loads (vloadn needs only element
// alignment, so any shape and stride works). Rows past m and columns past n read clamped, valid addresses and are
// not stored, so the inner loops carry no bounds checks. `rm` (rows per work item) is a literal at every call: after
// inlining, the loops over it unroll and the accumulators stay in registers.
#if T_IS_FLOATING
#define GEMM_MAX_RM 8
#define SF_CAT_(a, b) a##b
#define SF_CAT(a, b) SF_CAT_(a, b)
#define T4 SF_CAT(T, 4)
#define T8 SF_CAT(T, 8)

// Offsets of rows i0 .. i0 + rm - 1 of op(a), clamped to m - 1: element p of row r is a[off[r] + p * step].
#define GEMM_ROW_OFFSETS(off, step, i0, rm, m, lda, ta)                                                              \
  long off[GEMM_MAX_RM];                                                                                            \
  const long step = (ta) ? (long) (lda) : 1L;                                                                       \
  for (int r = 0; r < (rm); r++) {                                                                                  \
    const long i = min((i0) + r, (m) - 1);                                                                          \
    off[r] = (ta) ? i : i * (lda);                                                                                  \
  }

// c = op(a) @ b, b not transposed (k x n): work item (x, y) owns columns 8x .. 8x + 7 and rows y * rm .. of c. k
// advances by 4: four 8-vectors of b's rows, and from each row of op(a) a 4-vector (a as stored) or 4 elements
// one column apart (a transposed), give 4 x rm vector multiply-adds.
inline void gemm_nn(__global T* c, __global const T* a, __global const T* b, int m, int n, int k, int lda, int ldb,
                    int ta, const int rm) {
  const int j0 = get_global_id(0) * 8;
  const int i0 = get_global_id(1) * rm;
  if (j0 >= n || i0 >= m) {
    return;
  }
  GEMM_ROW_OFFSETS(off, step, i0, rm, m, lda, ta)
  if (j0 + 8 <= n) {
    T8 acc[GEMM_MAX_RM];
    for (int r = 0; r < rm; r++) {
      acc[r] = (T8) (0);
    }
    __global const T* bp = b + j0;
    int p = 0;
    for (; p + 4 <= k; p += 4) {
      const T8 b0 = vload8(0, bp);
      const T8 b1 = vload8(0, bp + ldb);
      const T8 b2 = vload8(0, bp + 2 * ldb);
      const T8 b3 = vload8(0, bp + 3 * ldb);
      bp += 4 * ldb;
      if (ta) {
        __global const T* a0 = a + (long) p * lda;
        for (int r = 0; r < rm; r++) {
          __global const T* ap = a0 + off[r];
          acc[r] += ap[0] * b0 + ap[lda] * b1 + ap[2 * lda] * b2 + ap[3 * lda] * b3;
        }
      } else {
        for (int r = 0; r < rm; r++) {
          const T4 av = vload4(0, a + off[r] + p);
          acc[r] += av.s0 * b0 + av.s1 * b1 + av.s2 * b2 + av.s3 * b3;
        }
      }
    }
    for (; p < k; p++) {
      const T8 bv = vload8(0, bp);
      bp += ldb;
      for (int r = 0; r < rm; r++) {
        acc[r] += a[off[r] + p * step] * bv;
      }
    }
    for (int r = 0; r < rm; r++) {
      if (i0 + r < m) {
        vstore8(acc[r], 0, c + (long) (i0 + r) * n + j0);
      }
    }
  } else {
    // The last, partial column block (n not a multiple of 8), element by element.
    for (int j = j0; j < n; j++) {
      for (int r = 0; r < rm; r++) {
        T sum = 0;
        for (int p = 0; p < k; p++) {
          sum += a[off[r] + p * step] * b[(long) p * ldb + j];
        }
        if (i0 + r < m) {
          c[(long) (i0 + r) * n + j] = sum;
        }
      }
    }
  }
}

// One row (m = 1: a matrix-vector product) or 8 rows per work item.
__kernel void matmul_nn_1(__global T* c, __global const T* a, __global const T* b, int m, int n, int k, int lda,
                          int ldb, int ta) {
  gemm_nn(c, a, b, m, n, k, lda, ldb, ta, 1);
}

__kernel void matmul_nn_8(__global T* c, __global const T* a, __global const T* b, int m, int n, int k, int lda,
                          int ldb, int ta) {
  gemm_nn(c, a, b, m, n, k, lda, ldb, ta, 8);
}

// c = op(a) @ b^T, b stored n x k: row i of a (as stored) and rows j of b all run contiguously along k, so work item
// (x, y) computes c[y, 4x .. 4x + 3] as four dot products with 8-vector loads along k, and adds the lanes up at the
// end; k's remainder, and every step when a is transposed too (a rare case: its row is then strided), go element by
// element. One row per work item measured fastest on PoCL (more rows spill registers).
__kernel void matmul_nt(__global T* c, __global const T* a, __global const T* b, int m, int n, int k, int lda,
                        int ldb, int ta) {
  const int j0 = get_global_id(0) * 4;
  const int i = get_global_id(1);
  if (j0 >= n || i >= m) {
    return;
  }
  const long step = ta ? (long) lda : 1L;
  __global const T* ar = a + (ta ? (long) i : (long) i * lda);
  __global const T* b0 = b + (long) j0 * ldb;
  __global const T* b1 = b + (long) min(j0 + 1, n - 1) * ldb;
  __global const T* b2 = b + (long) min(j0 + 2, n - 1) * ldb;
  __global const T* b3 = b + (long) min(j0 + 3, n - 1) * ldb;
  T8 s0 = (T8) (0);
  T8 s1 = (T8) (0);
  T8 s2 = (T8) (0);
  T8 s3 = (T8) (0);
  int p = 0;
  if (!ta) {
    for (; p + 8 <= k; p += 8) {
      const T8 av = vload8(0, ar + p);
      s0 += av * vload8(0, b0 + p);
      s1 += av * vload8(0, b1 + p);
      s2 += av * vload8(0, b2 + p);
      s3 += av * vload8(0, b3 + p);
    }
  }
  const T4 h0 = s0.lo + s0.hi;
  const T4 h1 = s1.lo + s1.hi;
  const T4 h2 = s2.lo + s2.hi;
  const T4 h3 = s3.lo + s3.hi;
  T4 acc = (T4) (h0.s0 + h0.s1 + h0.s2 + h0.s3, h1.s0 + h1.s1 + h1.s2 + h1.s3, h2.s0 + h2.s1 + h2.s2 + h2.s3,
                 h3.s0 + h3.s1 + h3.s2 + h3.s3);
  for (; p < k; p++) {
    acc += ar[p * step] * (T4) (b0[p], b1[p], b2[p], b3[p]);
  }
  __global T* row = c + (long) i * n;
  if (j0 + 4 <= n) {
    vstore4(acc, 0, row + j0);
  } else {
    row[j0] = acc.s0;
    if (j0 + 1 < n) row[j0 + 1] = acc.s1;
    if (j0 + 2 < n) row[j0 + 2] = acc.s2;
  }
}
#endif

// c = 0, for a product with k = 0 (nothing to sum).
__kernel void matmul_zero(__global T* c, long size) {
  const long i = get_global_id(0);
  if (i < size) {
    c[i] = 0;
  }
}

#endif

// ------------------------------------------------------------------------------------------------ MatrixDiagPart
#if defined(SF_LINALG_DIAG)

// out[b, i] = in[b, i, i] for size = batches * p outputs; the matrices are m x n.
__kernel void diag_part(__global T* out, __global const T* in, long size, int p, int m, int n) {
  const long id = get_global_id(0);
  if (id < size) {
    const long batch = id / p;
    const long i = id % p;
    out[id] = in[batch * m * n + i * (n + 1)];
  }
}

#endif

// ------------------------------------------------------------------------------------------------ Qr
#if defined(SF_LINALG_QR) && T_IS_FLOATING

// Applies H = I - tau v v^T (v_j = 1, v_i = a[i, j] below) to rows j..m-1, columns from..to-1 of the row-major
// matrix x (row length ld), as the CPU runtime's HouseholderQr.reflect: w = tau (x[j, :] + sum_i v_i x[i, :]) with
// the rows summed in order, then x -= v w^T. Work items own columns for w (coalesced row reads) and then elements.
inline void qr_reflect(__global U* x, int ld, __global const U* a, int n, int m, int j, int from, int to,
                       U tau, __global U* w) {
  const int lid = get_local_id(0);
  const int size = get_local_size(0);
  if (from >= to) {
    return;
  }
  for (int c = from + lid; c < to; c += size) {
    U s = x[(long) j * ld + c];
    for (int i = j + 1; i < m; i++) {
      s += a[(long) i * n + j] * x[(long) i * ld + c];
    }
    w[c] = s * tau;
  }
  barrier(CLK_GLOBAL_MEM_FENCE);
  const int width = to - from;
  const long count = (long) (m - j) * width;
  for (long e = lid; e < count; e += size) {
    const int i = j + (int) (e / width);
    const int c = from + (int) (e % width);
    const U vi = i == j ? (U) 1 : a[(long) i * n + j];
    x[(long) i * ld + c] -= i == j ? w[c] : w[c] * vi;
  }
  barrier(CLK_GLOBAL_MEM_FENCE);
}

// Householder QR of matrix get_group_id(0) of a batch, LAPACK's conventions as the CPU runtime's HouseholderQr
// (beta = -sign(alpha) ||x||; tau = 0 when a column is already zero below its diagonal). One work-group per
// matrix (its local size a power of two); scratch holds one U per work item for the column norms. The
// decomposition runs in work/qwork (type U); q and r receive the results in T. work: batches x m x n,
// qwork: batches x m x qcols, wvec: batches x max(n, qcols), taus: batches x max(p, 1).
__kernel void qr_householder(__global T* q, __global T* r, __global const T* input, __global U* work,
                             __global U* qwork, __global U* wvec, __global U* taus, int m, int n, int full,
                             __local U* scratch) {
  __local U shared[4];
  const int lid = get_local_id(0);
  const int size = get_local_size(0);
  const long batch = get_group_id(0);
  const int p = min(m, n);
  const int qcols = full ? m : p;
  const int rrows = full ? m : p;
  __global U* a = work + batch * m * n;
  __global U* qw = qwork + batch * m * qcols;
  __global U* w = wvec + batch * max(n, qcols);
  __global U* tau = taus + batch * max(p, 1);
  __global const T* in = input + batch * m * n;

  for (long e = lid; e < (long) m * n; e += size) {
    a[e] = (U) in[e];
  }
  barrier(CLK_GLOBAL_MEM_FENCE);

  for (int j = 0; j < p; j++) {
    U partial = 0;
    for (int i = j + 1 + lid; i < m; i += size) {
      const U x = a[(long) i * n + j];
      partial += x * x;
    }
    scratch[lid] = partial;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = size / 2; s > 0; s >>= 1) {
      if (lid < s) {
        scratch[lid] += scratch[lid + s];
      }
      barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
      const U tail = scratch[0];
      const U alpha = a[(long) j * n + j];
      if (tail == 0) {
        tau[j] = 0;
        shared[0] = 0;
      } else {
        const U beta = -copysign(hypot(alpha, sqrt(tail)), alpha);
        tau[j] = (beta - alpha) / beta;
        shared[0] = 1;
        shared[1] = tau[j];
        shared[2] = 1 / (alpha - beta);
        shared[3] = beta;
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
    if (shared[0] == 0) {
      continue;
    }
    const U t = shared[1];
    const U scale = shared[2];
    const U beta = shared[3];
    // The reflector's vector (v_j = 1) is kept below the diagonal, where R has zeros.
    for (int i = j + 1 + lid; i < m; i += size) {
      a[(long) i * n + j] *= scale;
    }
    if (lid == 0) {
      a[(long) j * n + j] = beta;
    }
    barrier(CLK_GLOBAL_MEM_FENCE);
    qr_reflect(a, n, a, n, m, j, j + 1, n, t, w);
  }

  __global T* rout = r + batch * rrows * n;
  for (long e = lid; e < (long) rrows * n; e += size) {
    const int i = (int) (e / n);
    const int c = (int) (e % n);
    rout[e] = c >= i ? (T) a[(long) i * n + c] : (T) 0;
  }
  // Q = H_0 H_1 ... H_{p-1} applied to the first qcols columns of the identity, accumulated backwards.
  for (long e = lid; e < (long) m * qcols; e += size) {
    qw[e] = e / qcols == e % qcols ? (U) 1 : (U) 0;
  }
  barrier(CLK_GLOBAL_MEM_FENCE);
  for (int j = p - 1; j >= 0; j--) {
    const U t = tau[j];
    if (t != 0) {
      qr_reflect(qw, qcols, a, n, m, j, j, qcols, t, w);
    }
  }
  __global T* qout = q + batch * m * qcols;
  for (long e = lid; e < (long) m * qcols; e += size) {
    qout[e] = (T) qw[e];
  }
}

#endif

// ---------------------------------------------------------------------------------------------- MatrixTriangularSolve
#if defined(SF_LINALG_TRSOLVE) && T_IS_FLOATING

// Solves op(A) X = B for one column of X: work item id is column id % k of matrix id / k of the batch. A is n x n
// (only its lower or upper triangle is read), op(A) is A or, with adjoint, its transpose; B and X are n x k. Rows
// are solved top-down when op(A) is lower triangular, else bottom-up, as the CPU runtime's TriangularSolve; the
// column is kept in work (type U) so no intermediate is rounded to T. A zero on the diagonal fails the run.
__kernel void triangular_solve(__global T* x, __global U* work, __global const T* a, __global const T* b,
                               long columns, int n, int k, int lower, int adjoint, SF_CHECK_PARAMS) {
  const long id = get_global_id(0);
  if (id >= columns) {
    return;
  }
  const long batch = id / k;
  const int c = (int) (id % k);
  __global const T* am = a + batch * n * n;
  __global const T* bm = b + batch * n * k;
  __global U* wm = work + batch * n * k;
  __global T* xm = x + batch * n * k;
  for (int i = 0; i < n; i++) {
    if (am[(long) i * (n + 1)] == 0) {
      SF_FAIL(0, 0, 0);
      return;
    }
  }
  const int forward = lower != adjoint;
  // Element (i, j) of op(A) is am[i * rs + j * cs].
  const long rs = adjoint ? 1 : n;
  const long cs = adjoint ? n : 1;
  for (int step = 0; step < n; step++) {
    const int i = forward ? step : n - 1 - step;
    U s = (U) bm[(long) i * k + c];
    const int from = forward ? 0 : i + 1;
    const int to = forward ? i : n;
    for (int j = from; j < to; j++) {
      s -= (U) am[i * rs + j * cs] * wm[(long) j * k + c];
    }
    s /= (U) am[(long) i * (n + 1)];
    wm[(long) i * k + c] = s;
    xm[(long) i * k + c] = (T) s;
  }
}

#endif
