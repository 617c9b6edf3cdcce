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

  /** The slice that covers a whole tensor of rank {@code rank}. */
  public static TensorSlice full(int rank) {
    List<Extent> e = new java.util.ArrayList<>();
    for (int i = 0; i < rank; i++) {
      e.add(Extent.full());
    }
    return new TensorSlice(e);
  }

  /**
   * TF's {@code TensorSlice::Parse}: {@code "start,length"} or {@code "-"} per dimension, separated by {@code ':'}
   * (e.g. {@code "0,2:-"}); the empty string is the slice of a scalar.
   *
   * @throws IllegalArgumentException for malformed specs, with TF's message
   */
  public static TensorSlice parse(String spec) {
    Preconditions.checkNotNull(spec, "spec");
    List<Extent> extents = new java.util.ArrayList<>();
    if (spec.isEmpty()) {
      return new TensorSlice(extents);
    }
    for (String part : spec.split(":", -1)) {
      if (part.equals("-")) {
        extents.add(Extent.full());
        continue;
      }
      String[] pair = part.split(",", -1);
      long start;
      long length;
      try {
        if (pair.length != 2) {
          throw new NumberFormatException();
        }
        start = Long.parseLong(pair[0]);
        length = Long.parseLong(pair[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Expected a pair of numbers or '-' but got '" + part + "': string = "
            + spec);
      }
      if (start < 0 || length <= 0) {
        throw new IllegalArgumentException("Expected non-negative start and positive length but got start = " + start
            + ", length = " + length + ": string = " + spec);
      }
      extents.add(new Extent(start, length));
    }
    return new TensorSlice(extents);
  }

  /** TF's {@code IsFullSlice}: every dimension whole, or each extent spanning its whole dimension of {@code full}. */
  public boolean coversAll(Shape full) {
    return sliceShape(full).equals(full) && fitsIn(full);
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
