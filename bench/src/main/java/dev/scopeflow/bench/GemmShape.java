package dev.scopeflow.bench;

import com.google.common.base.Preconditions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GEMM shape as the benchmarks name it: {@code MxKxN} (C[M,N] = op(A)[M,K] · op(B)[K,N]), optionally followed by
 * {@code _tn} (A stored transposed: the weight gradient X^T·dY) or {@code _nt} (B stored transposed: the input
 * gradient dY·W^T).
 */
record GemmShape(int m, int k, int n, boolean transA, boolean transB) {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)x(\\d+)x(\\d+)(?:_(nn|tn|nt|tt))?");

  static GemmShape parse(String text) {
    Matcher mt = FORMAT.matcher(text);
    Preconditions.checkArgument(mt.matches(), "GEMM shape must read MxKxN[_tn|_nt], got '%s'", text);
    String flags = mt.group(4) == null ? "nn" : mt.group(4);
    return new GemmShape(Integer.parseInt(mt.group(1)), Integer.parseInt(mt.group(2)), Integer.parseInt(mt.group(3)),
        flags.charAt(0) == 't', flags.charAt(1) == 't');
  }

  /** Rows and columns of A as stored. */
  int[] aStored() {
    return transA ? new int[] {k, m} : new int[] {m, k};
  }

  /** Rows and columns of B as stored. */
  int[] bStored() {
    return transB ? new int[] {n, k} : new int[] {k, n};
  }

  int lda() {
    return aStored()[1];
  }

  int ldb() {
    return bStored()[1];
  }
}
