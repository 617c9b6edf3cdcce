package dev.scopeflow.checkpoint;

/**
 * Copies between row-major arrays that each hold a box (a start and a shape in the coordinates of one full tensor),
 * as TF's {@code CopyDataFromTensorSliceToTensorSlice} does when it assembles partitioned tensors.
 */
final class Boxes {
  private Boxes() {}

  /** The box a slice covers in a tensor of shape {@code full}: starts, then sizes. */
  static long[][] of(TensorSlice slice, long[] full) {
    long[] start = new long[full.length];
    long[] size = new long[full.length];
    for (int i = 0; i < full.length; i++) {
      TensorSlice.Extent e = slice.extents().get(i);
      start[i] = e.isFull() ? 0 : e.start();
      size[i] = e.isFull() ? full[i] : e.length();
    }
    return new long[][] {start, size};
  }

  /** Number of elements two boxes share. */
  static long intersectionSize(long[][] a, long[][] b) {
    long n = 1;
    for (int i = 0; i < a[0].length; i++) {
      long lo = Math.max(a[0][i], b[0][i]);
      long hi = Math.min(a[0][i] + a[1][i], b[0][i] + b[1][i]);
      if (hi <= lo) {
        return 0;
      }
      n *= hi - lo;
    }
    return n;
  }

  /** Copies the elements of box {@code src} that lie in box {@code dst} from {@code srcArray} to {@code dstArray}. */
  static void copyIntersection(Object srcArray, long[][] src, Object dstArray, long[][] dst) {
    int rank = src[0].length;
    if (rank == 0) {
      System.arraycopy(srcArray, 0, dstArray, 0, 1);
      return;
    }
    long[] lo = new long[rank];
    long[] hi = new long[rank];
    for (int i = 0; i < rank; i++) {
      lo[i] = Math.max(src[0][i], dst[0][i]);
      hi[i] = Math.min(src[0][i] + src[1][i], dst[0][i] + dst[1][i]);
      if (hi[i] <= lo[i]) {
        return;
      }
    }
    long[] srcStride = strides(src[1]);
    long[] dstStride = strides(dst[1]);
    int run = (int) (hi[rank - 1] - lo[rank - 1]);
    long[] idx = lo.clone();
    while (true) {
      long s = 0;
      long d = 0;
      for (int i = 0; i < rank; i++) {
        s += (idx[i] - src[0][i]) * srcStride[i];
        d += (idx[i] - dst[0][i]) * dstStride[i];
      }
      System.arraycopy(srcArray, (int) s, dstArray, (int) d, run);
      int k = rank - 2;
      while (k >= 0) {
        if (++idx[k] < hi[k]) {
          break;
        }
        idx[k] = lo[k];
        k--;
      }
      if (k < 0) {
        return;
      }
    }
  }

  private static long[] strides(long[] shape) {
    long[] s = new long[shape.length];
    long acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }
}
