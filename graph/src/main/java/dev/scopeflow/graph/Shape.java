package dev.scopeflow.graph;

import com.google.common.base.Preconditions;
import java.util.Arrays;
import java.util.Optional;

/**
 * A static shape: either of unknown rank, or a list of dimensions each of which is a size or unknown ({@link
 * #UNKNOWN_DIM}). Immutable. Renders like Python's TensorShape: {@code (None, 3)}, {@code ()}, {@code (4,)},
 * {@code <unknown>}.
 */
public final class Shape {
  /** The marker for a dimension whose size is not known at graph-construction time. */
  public static final long UNKNOWN_DIM = -1;

  private static final Shape UNKNOWN = new Shape(null);
  private static final Shape SCALAR = new Shape(new long[0]);

  private final long[] dims; // null = unknown rank

  private Shape(long[] dims) {
    this.dims = dims;
  }

  /** A shape of unknown rank. */
  public static Shape unknown() {
    return UNKNOWN;
  }

  public static Shape scalar() {
    return SCALAR;
  }

  /** A shape of known rank; {@code -1} marks an unknown dimension. */
  public static Shape of(long... dims) {
    for (long d : dims) {
      // The message is built only on failure: shapes are made on every kernel call.
      if (d < UNKNOWN_DIM) {
        throw new IllegalArgumentException(
            String.format("Dimension %s in %s must be >= 0 or -1 (unknown)", d, Arrays.toString(dims)));
      }
    }
    return dims.length == 0 ? SCALAR : new Shape(dims.clone());
  }

  /** Same as {@link #of(long...)} with int dimensions, for convenience. */
  public static Shape of(int... dims) {
    long[] l = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      l[i] = dims[i];
    }
    return of(l);
  }

  /** A shape of the given rank with every dimension unknown. */
  public static Shape unknownDims(int rank) {
    long[] d = new long[rank];
    Arrays.fill(d, UNKNOWN_DIM);
    return of(d);
  }

  public boolean hasRank() {
    return dims != null;
  }

  /** The rank, or -1 when the rank is unknown. */
  public int rank() {
    return dims == null ? -1 : dims.length;
  }

  /** Size of dimension {@code i} (negative indices count from the end), or -1 if unknown. */
  public long size(int i) {
    Preconditions.checkState(dims != null, "Shape of unknown rank has no dimension %s", i);
    int j = i < 0 ? i + dims.length : i;
    if (j < 0 || j >= dims.length) {
      Preconditions.checkElementIndex(j, dims.length, "dimension index " + i + " of shape " + this);
    }
    return dims[j];
  }

  /** The dimensions (a copy); empty for a scalar. Fails for an unknown rank. */
  public long[] dims() {
    Preconditions.checkState(dims != null, "Shape of unknown rank has no dimensions");
    return dims.clone();
  }

  /** Dimensions as ints (a copy); fails for unknown rank or dimensions over int range. */
  public int[] intDims() {
    long[] d = dims();
    int[] r = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      r[i] = Math.toIntExact(d[i]);
    }
    return r;
  }

  public boolean isFullyDefined() {
    if (dims == null) {
      return false;
    }
    for (long d : dims) {
      if (d == UNKNOWN_DIM) {
        return false;
      }
    }
    return true;
  }

  /** Number of elements if fully defined. */
  public Optional<Long> numElements() {
    if (!isFullyDefined()) {
      return Optional.empty();
    }
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return Optional.of(n);
  }

  /** Number of elements; the shape must be fully defined. */
  public long size() {
    // No Optional: runtimes call this for every tensor they make.
    if (!isFullyDefined()) {
      throw new IllegalStateException("Shape " + this + " is not fully defined");
    }
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** TF's is_compatible_with: unknown rank or unknown dims are compatible with anything. */
  public boolean isCompatibleWith(Shape other) {
    if (dims == null || other.dims == null) {
      return true;
    }
    if (dims.length != other.dims.length) {
      return false;
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] != UNKNOWN_DIM && other.dims[i] != UNKNOWN_DIM && dims[i] != other.dims[i]) {
        return false;
      }
    }
    return true;
  }

  /** TF's merge_with: the most specific shape compatible with both; fails if they are incompatible. */
  public Shape mergeWith(Shape other) {
    if (dims == null) {
      return other;
    }
    if (other.dims == null) {
      return this;
    }
    if (!isCompatibleWith(other)) {
      throw new TfValueError("Shapes " + this + " and " + other + " are not compatible");
    }
    long[] m = new long[dims.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = dims[i] != UNKNOWN_DIM ? dims[i] : other.dims[i];
    }
    return of(m);
  }

  /** Dimensions {@code [from, to)} as a new shape (unknown rank stays unknown). */
  public Shape subShape(int from, int to) {
    if (dims == null) {
      return UNKNOWN;
    }
    return of(Arrays.copyOfRange(dims, from, to));
  }

  /** This shape followed by {@code other}'s dimensions; unknown if either rank is unknown. */
  public Shape concatenate(Shape other) {
    if (dims == null || other.dims == null) {
      return UNKNOWN;
    }
    long[] r = Arrays.copyOf(dims, dims.length + other.dims.length);
    System.arraycopy(other.dims, 0, r, dims.length, other.dims.length);
    return of(r);
  }

  /** A copy of this shape with dimension {@code i} replaced. */
  public Shape withDim(int i, long size) {
    long[] d = dims();
    d[i < 0 ? i + d.length : i] = size;
    return of(d);
  }

  /** Python TensorShape rendering: {@code (None, 3)}, {@code (4,)}, {@code ()}, {@code <unknown>}. */
  @Override
  public String toString() {
    if (dims == null) {
      return "<unknown>";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(dims[i] == UNKNOWN_DIM ? "None" : Long.toString(dims[i]));
    }
    if (dims.length == 1) {
      sb.append(',');
    }
    return sb.append(')').toString();
  }

  /** TF's runtime rendering, {@code [?,3]}, used in messages produced while running. */
  public String toRuntimeString() {
    if (dims == null) {
      return "<unknown>";
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(dims[i] == UNKNOWN_DIM ? "?" : Long.toString(dims[i]));
    }
    return sb.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims) && (dims == null) == (((Shape) o).dims == null);
  }

  @Override
  public int hashCode() {
    return dims == null ? -7 : Arrays.hashCode(dims);
  }
}
