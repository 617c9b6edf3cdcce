package dev.scopeflow.graph;

import com.google.common.base.Preconditions;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable host value: a dtype, a fully defined shape and the elements in row-major order. This is what a
 * session is fed and what it returns. Factories copy their input and accessors return copies, so a tensor can be
 * shared freely between threads.
 */
public final class Tensor {
  private final DType dtype;
  private final Shape shape;
  private final Object data; // float[] | double[] | int[] | long[] | boolean[], never exposed except to runtimes

  private Tensor(DType dtype, Shape shape, Object data) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
  }

  // ---------------------------------------------------------------- factories from flat data

  public static Tensor create(Shape shape, float[] data) {
    return checked(DType.FLOAT32, shape, data.clone(), data.length);
  }

  public static Tensor create(Shape shape, double[] data) {
    return checked(DType.FLOAT64, shape, data.clone(), data.length);
  }

  public static Tensor create(Shape shape, int[] data) {
    return checked(DType.INT32, shape, data.clone(), data.length);
  }

  public static Tensor create(Shape shape, long[] data) {
    return checked(DType.INT64, shape, data.clone(), data.length);
  }

  public static Tensor create(Shape shape, boolean[] data) {
    return checked(DType.BOOL, shape, data.clone(), data.length);
  }

  /** A tensor of the given dtype and shape with every element zero (false for bool). */
  public static Tensor zeros(DType dtype, Shape shape) {
    Preconditions.checkArgument(shape.isFullyDefined(), "Tensor shape must be fully defined, got %s", shape);
    return new Tensor(dtype, shape, newArray(dtype, Math.toIntExact(shape.size())));
  }

  /**
   * A tensor of {@code dtype} whose elements are {@code values} converted from double, the way {@code tf.cast} would
   * convert them (truncation toward zero for integers, non-zero is true for bool).
   */
  public static Tensor fromDoubles(DType dtype, Shape shape, double[] values) {
    Object a = newArray(dtype, values.length);
    for (int i = 0; i < values.length; i++) {
      setDouble(a, dtype, i, values[i]);
    }
    return checked(dtype, shape, a, values.length);
  }

  // ---------------------------------------------------------------- scalars and vectors

  public static Tensor scalar(float v) {
    return new Tensor(DType.FLOAT32, Shape.scalar(), new float[] {v});
  }

  public static Tensor scalar(double v) {
    return new Tensor(DType.FLOAT64, Shape.scalar(), new double[] {v});
  }

  public static Tensor scalar(int v) {
    return new Tensor(DType.INT32, Shape.scalar(), new int[] {v});
  }

  public static Tensor scalar(long v) {
    return new Tensor(DType.INT64, Shape.scalar(), new long[] {v});
  }

  public static Tensor scalar(boolean v) {
    return new Tensor(DType.BOOL, Shape.scalar(), new boolean[] {v});
  }

  public static Tensor vector(float... v) {
    return create(Shape.of(v.length), v);
  }

  public static Tensor vector(double... v) {
    return create(Shape.of(v.length), v);
  }

  public static Tensor vector(int... v) {
    return create(Shape.of(v.length), v);
  }

  public static Tensor vector(long... v) {
    return create(Shape.of(v.length), v);
  }

  public static Tensor vector(boolean... v) {
    return create(Shape.of(v.length), v);
  }

  // ---------------------------------------------------------------- nested Java arrays

  public static Tensor of(float[][] v) {
    return fromArray(v);
  }

  public static Tensor of(float[][][] v) {
    return fromArray(v);
  }

  public static Tensor of(double[][] v) {
    return fromArray(v);
  }

  public static Tensor of(double[][][] v) {
    return fromArray(v);
  }

  public static Tensor of(int[][] v) {
    return fromArray(v);
  }

  public static Tensor of(long[][] v) {
    return fromArray(v);
  }

  public static Tensor of(boolean[][] v) {
    return fromArray(v);
  }

  /**
   * A tensor from a rectangular Java array of any rank whose leaves are {@code float}, {@code double}, {@code int},
   * {@code long} or {@code boolean} (e.g. {@code float[2][3][4]}).
   *
   * @throws IllegalArgumentException for ragged arrays or other element types
   */
  public static Tensor fromArray(Object javaArray) {
    Preconditions.checkNotNull(javaArray, "array");
    Preconditions.checkArgument(javaArray.getClass().isArray(), "Expected a Java array, got %s",
        javaArray.getClass().getName());
    List<Long> dims = new ArrayList<>();
    Class<?> c = javaArray.getClass();
    Object probe = javaArray;
    while (c.isArray()) {
      int n = Array.getLength(probe);
      dims.add((long) n);
      c = c.getComponentType();
      if (c.isArray()) {
        probe = n > 0 ? Array.get(probe, 0) : Array.newInstance(c.getComponentType(), 0);
      }
    }
    DType dtype = dtypeOfLeaf(c);
    long[] d = dims.stream().mapToLong(Long::longValue).toArray();
    Shape shape = Shape.of(d);
    int n = Math.toIntExact(shape.size());
    Object flat = newArray(dtype, n);
    int[] pos = {0};
    flatten(javaArray, d, 0, flat, pos);
    return new Tensor(dtype, shape, flat);
  }

  private static void flatten(Object a, long[] dims, int depth, Object flat, int[] pos) {
    int n = Array.getLength(a);
    if (n != dims[depth]) {
      throw new IllegalArgumentException("Ragged array: dimension " + depth + " has length " + n + " where "
          + dims[depth] + " was expected");
    }
    if (depth == dims.length - 1) {
      System.arraycopy(a, 0, flat, pos[0], n);
      pos[0] += n;
    } else {
      for (int i = 0; i < n; i++) {
        flatten(Array.get(a, i), dims, depth + 1, flat, pos);
      }
    }
  }

  private static DType dtypeOfLeaf(Class<?> c) {
    if (c == float.class) {
      return DType.FLOAT32;
    } else if (c == double.class) {
      return DType.FLOAT64;
    } else if (c == int.class) {
      return DType.INT32;
    } else if (c == long.class) {
      return DType.INT64;
    } else if (c == boolean.class) {
      return DType.BOOL;
    }
    throw new IllegalArgumentException("Unsupported element type " + c.getName()
        + "; expected float, double, int, long or boolean");
  }

  // ---------------------------------------------------------------- runtime access (no copies)

  /**
   * For runtimes: wraps {@code array} without copying. The caller hands the array over and must never write to it
   * again.
   */
  public static Tensor unsafeWrap(DType dtype, Shape shape, Object array) {
    Preconditions.checkArgument(array.getClass() == arrayClass(dtype), "Array of %s does not hold %s",
        array.getClass().getSimpleName(), dtype);
    return checked(dtype, shape, array, Array.getLength(array));
  }

  /** For runtimes: the backing array itself. Callers must not write to it. */
  public Object unsafeArray() {
    return data;
  }

  // ---------------------------------------------------------------- accessors

  public DType dtype() {
    return dtype;
  }

  public Shape shape() {
    return shape;
  }

  /** Number of elements. */
  public int size() {
    return Array.getLength(data);
  }

  public float floatValue() {
    requireScalar();
    return toFloatArray()[0];
  }

  public double doubleValue() {
    requireScalar();
    return toDoubleArray()[0];
  }

  public int intValue() {
    requireScalar();
    return toIntArray()[0];
  }

  public long longValue() {
    requireScalar();
    return toLongArray()[0];
  }

  public boolean booleanValue() {
    requireScalar();
    return toBooleanArray()[0];
  }

  public float[] toFloatArray() {
    return ((float[]) require(DType.FLOAT32)).clone();
  }

  public double[] toDoubleArray() {
    return ((double[]) require(DType.FLOAT64)).clone();
  }

  public int[] toIntArray() {
    return ((int[]) require(DType.INT32)).clone();
  }

  public long[] toLongArray() {
    return ((long[]) require(DType.INT64)).clone();
  }

  public boolean[] toBooleanArray() {
    return ((boolean[]) require(DType.BOOL)).clone();
  }

  /** Element {@code flatIndex} (row-major) converted to double, whatever the dtype (true is 1). */
  public double getDouble(int flatIndex) {
    switch (dtype) {
      case FLOAT32:
        return ((float[]) data)[flatIndex];
      case FLOAT64:
        return ((double[]) data)[flatIndex];
      case INT32:
        return ((int[]) data)[flatIndex];
      case INT64:
        return ((long[]) data)[flatIndex];
      case BOOL:
        return ((boolean[]) data)[flatIndex] ? 1 : 0;
      default:
        throw new AssertionError(dtype);
    }
  }

  /** All elements converted to double, whatever the dtype. */
  public double[] asDoubles() {
    double[] r = new double[size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = getDouble(i);
    }
    return r;
  }

  /** The elements as a nested Java array of the tensor's rank (a boxed scalar for rank 0). */
  public Object toNestedArray() {
    if (shape.rank() == 0) {
      return Array.get(data, 0);
    }
    int[] dims = shape.intDims();
    Object out = Array.newInstance(data.getClass().getComponentType(), dims);
    int[] pos = {0};
    unflatten(out, 0, dims, pos);
    return out;
  }

  private void unflatten(Object out, int depth, int[] dims, int[] pos) {
    if (depth == dims.length - 1) {
      System.arraycopy(data, pos[0], out, 0, dims[depth]);
      pos[0] += dims[depth];
    } else {
      for (int i = 0; i < dims[depth]; i++) {
        unflatten(Array.get(out, i), depth + 1, dims, pos);
      }
    }
  }

  // ---------------------------------------------------------------- value semantics

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Tensor)) {
      return false;
    }
    Tensor t = (Tensor) o;
    return dtype == t.dtype && shape.equals(t.shape) && Arrays.deepEquals(new Object[] {data}, new Object[] {t.data});
  }

  @Override
  public int hashCode() {
    return 31 * shape.hashCode() + Arrays.deepHashCode(new Object[] {data});
  }

  /** {@code Tensor<float32, (2, 3)>[1.0, 2.0, ...]}, showing at most the first 16 elements. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor<").append(dtype).append(", ").append(shape).append(">[");
    int n = Math.min(size(), 16);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(Array.get(data, i));
    }
    if (size() > n) {
      sb.append(", ...");
    }
    return sb.append(']').toString();
  }

  // ---------------------------------------------------------------- helpers

  /** The Java array class that holds elements of {@code dtype} ({@code float[].class} for float32, ...). */
  public static Class<?> arrayClass(DType dtype) {
    switch (dtype) {
      case FLOAT32:
        return float[].class;
      case FLOAT64:
        return double[].class;
      case INT32:
        return int[].class;
      case INT64:
        return long[].class;
      case BOOL:
        return boolean[].class;
      default:
        throw new AssertionError(dtype);
    }
  }

  /** A zeroed Java array of {@code n} elements of {@code dtype}. */
  public static Object newArray(DType dtype, int n) {
    switch (dtype) {
      case FLOAT32:
        return new float[n];
      case FLOAT64:
        return new double[n];
      case INT32:
        return new int[n];
      case INT64:
        return new long[n];
      case BOOL:
        return new boolean[n];
      default:
        throw new AssertionError(dtype);
    }
  }

  private static void setDouble(Object a, DType dtype, int i, double v) {
    switch (dtype) {
      case FLOAT32:
        ((float[]) a)[i] = (float) v;
        break;
      case FLOAT64:
        ((double[]) a)[i] = v;
        break;
      case INT32:
        ((int[]) a)[i] = (int) v;
        break;
      case INT64:
        ((long[]) a)[i] = (long) v;
        break;
      case BOOL:
        ((boolean[]) a)[i] = v != 0;
        break;
      default:
        throw new AssertionError(dtype);
    }
  }

  private static Tensor checked(DType dtype, Shape shape, Object data, int length) {
    Preconditions.checkArgument(shape.isFullyDefined(), "Tensor shape must be fully defined, got %s", shape);
    long size = shape.size();
    if (size != length) {
      // Formatted only on failure: every kernel output comes through here.
      throw new IllegalArgumentException(String.format("Shape %s needs %s elements, got %s", shape, size, length));
    }
    return new Tensor(dtype, shape, data);
  }

  private Object require(DType expected) {
    if (dtype != expected) {
      throw new IllegalStateException("Tensor has dtype " + dtype + ", not " + expected);
    }
    return data;
  }

  private void requireScalar() {
    if (size() != 1) {
      throw new IllegalStateException("Expected a tensor with one element, got shape " + shape);
    }
  }
}
