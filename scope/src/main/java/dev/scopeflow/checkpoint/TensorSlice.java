package dev.scopeflow.checkpoint;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import dev.scopeflow.graph.Shape;
import java.util.List;

/**
 * Which part of a full tensor a partitioned variable's piece holds (TF's {@code TensorSlice}): per dimension a start
 * and a length, or the whole dimension. Its string form is TF's ({@code "0,2:-"}; {@code "-"} for a whole dimension).
 */
public record TensorSlice(List<Extent> extents) {
  /** One dimension of a slice: {@code [start, start + length)}, or the whole dimension when {@link #isFull()}. */
  public record Extent(long start, long length) {
    /** TF's {@code kFullExtent}. */
    public static final long FULL = -1;

    public Extent {
      Preconditions.checkArgument(start >= 0 && (length >= 0 || (length == FULL && start == 0)),
          "Invalid slice extent start %s length %s", start, length);
    }

    public static Extent full() {
      return new Extent(0, FULL);
    }

    public boolean isFull() {
      return length == FULL;
    }
  }

  public TensorSlice {
    extents = ImmutableList.copyOf(extents);
  }

  public int rank() {
    return extents.size();
  }

  /** The shape of this slice of a tensor of shape {@code full}. */
  public Shape sliceShape(Shape full) {
    Preconditions.checkArgument(full.rank() == rank(), "Slice %s has rank %s but the full shape %s has rank %s",
        this, rank(), full, full.rank());
    long[] dims = new long[rank()];
    for (int i = 0; i < dims.length; i++) {
      Extent e = extents.get(i);
      dims[i] = e.isFull() ? full.size(i) : e.length();
    }
    return Shape.of(dims);
  }

  /** Whether the slice lies inside a tensor of shape {@code full}. */
  public boolean fitsIn(Shape full) {
    if (full.rank() != rank()) {
      return false;
    }
    for (int i = 0; i < rank(); i++) {
      Extent e = extents.get(i);
      if (!e.isFull() && e.start() + e.length() > full.size(i)) {
        return false;
      }
    }
    return true;
  }

  /** TF's {@code TensorSlice::DebugString}: {@code "start,length"} per dimension, {@code "-"} for a full one. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < extents.size(); i++) {
      if (i > 0) {
        sb.append(':');
      }
      Extent e = extents.get(i);
      sb.append(e.isFull() ? "-" : e.start() + "," + e.length());
    }
    return sb.toString();
  }
}
