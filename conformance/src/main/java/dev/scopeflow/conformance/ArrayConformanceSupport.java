package dev.scopeflow.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.RunException;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.function.Executable;

/**
 * Helpers shared by the array conformance tests: random tensors of every dtype, multi-index iteration for the
 * references (written as plain index arithmetic, independent of how the kernels move blocks), exact element
 * comparison and run-time error checks.
 */
abstract class ArrayConformanceSupport extends ConformanceTestBase {
  /** Every dtype; array ops must support them all. */
  static final DType[] ALL_DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.BOOL};

  /** Random values over the dtype's range (floats in [-10, 10)), so that no two elements are likely equal. */
  Tensor randomOf(DType dtype, int... dims) {
    return RandomTensors.of(random, dtype, Shape.of(dims), () -> -10 + 20 * random.nextDouble());
  }

  /** {@code n} random ints in {@code [lo, hi)}. */
  int[] randomInts(int n, int lo, int hi) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = lo + random.nextInt(hi - lo);
    }
    return r;
  }

  /** A copy of the tensor's elements as a primitive array of its dtype. */
  static Object elements(Tensor t) {
    switch (t.dtype()) {
      case FLOAT32:
        return t.toFloatArray();
      case FLOAT64:
        return t.toDoubleArray();
      case INT32:
        return t.toIntArray();
      case INT64:
        return t.toLongArray();
      case BOOL:
        return t.toBooleanArray();
      default:
        throw new AssertionError(t.dtype());
    }
  }

  static int[] dims(Tensor t) {
    return t.shape().intDims();
  }

  static int[] strides(int[] dims) {
    int[] s = new int[dims.length];
    int acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }

  static int flat(int[] index, int[] strides) {
    int f = 0;
    for (int i = 0; i < index.length; i++) {
      f += index[i] * strides[i];
    }
    return f;
  }

  static int count(int[] dims) {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** Calls {@code body} with every multi-index of {@code dims} in row-major order (the same array, updated). */
  static void forEachIndex(int[] dims, Consumer<int[]> body) {
    if (count(dims) == 0) {
      return;
    }
    int[] idx = new int[dims.length];
    while (true) {
      body.accept(idx);
      int d = dims.length - 1;
      while (d >= 0 && ++idx[d] == dims[d]) {
        idx[d] = 0;
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }

  /**
   * A reference result: for each output index (row-major over {@code outDims}) the flat index into {@code source}
   * that {@code sourceIndex} computes; the element is copied exactly.
   */
  interface SourceIndex {
    int of(int[] outIndex);
  }

  static Object gatherReference(Tensor source, int[] outDims, SourceIndex sourceIndex) {
    Object src = elements(source);
    Object out = Tensor.newArray(source.dtype(), count(outDims));
    int[] pos = {0};
    forEachIndex(outDims, idx -> Array.set(out, pos[0]++, Array.get(src, sourceIndex.of(idx))));
    return out;
  }

  /** Asserts dtype, shape and every element exactly (data movement must not change a single bit). */
  void assertElements(DType dtype, int[] shape, Object expected, Tensor actual) {
    assertEquals(dtype, actual.dtype(), () -> "dtype (seed " + seed + ")");
    assertEquals(Shape.of(shape), actual.shape(), () -> "shape (seed " + seed + ")");
    Object got = elements(actual);
    assertEquals(Array.getLength(expected), Array.getLength(got), () -> "element count (seed " + seed + ")");
    for (int i = 0; i < Array.getLength(expected); i++) {
      Object e = Array.get(expected, i);
      Object a = Array.get(got, i);
      if (!e.equals(a)) {
        fail("element " + i + ": expected " + e + " but was " + a + " (shape " + Arrays.toString(shape) + ", seed "
            + seed + ")");
      }
    }
  }

  /** Asserts that {@code actual} equals {@code expected} exactly, element by element. */
  void assertSameTensor(Tensor expected, Tensor actual) {
    assertElements(expected.dtype(), expected.shape().intDims(), elements(expected), actual);
  }

  /** Asserts that the run fails with INVALID_ARGUMENT and a message starting with {@code prefix}. */
  static RunException assertInvalidArgument(String prefix, Executable run) {
    RunException e = assertThrows(RunException.class, run);
    assertEquals(RunException.Code.INVALID_ARGUMENT, e.code(), e::getMessage);
    assertTrue(e.getMessage().startsWith(prefix), () -> "expected prefix <" + prefix + "> but was <"
        + e.getMessage() + ">");
    return e;
  }

  /** A random permutation of {@code [0, n)}. */
  int[] randomPermutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
