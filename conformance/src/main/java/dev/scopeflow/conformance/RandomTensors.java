package dev.scopeflow.conformance;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.lang.reflect.Array;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.IntConsumer;

/**
 * Random test values of every dtype from the test's seeded {@link Random}, for this suite and for the other modules'
 * tests: ints, longs and booleans over their whole range, floats and doubles from a distribution the caller picks
 * (standard normal in {@link #gaussian}). Each element takes one draw, in row-major order, so a failure's seed
 * reproduces its values.
 */
public final class RandomTensors {
  private RandomTensors() {}

  /**
   * A tensor of {@code dtype} and {@code shape}: float32 and float64 elements from {@code real} (rounded to float for
   * float32), int32, int64 and bool elements from {@code random}'s {@code nextInt}, {@code nextLong}, {@code
   * nextBoolean}.
   */
  public static Tensor of(Random random, DType dtype, Shape shape, DoubleSupplier real) {
    Object v = Tensor.newArray(dtype, Math.toIntExact(shape.size()));
    IntConsumer draw;
    switch (dtype) {
      case FLOAT32:
        draw = i -> ((float[]) v)[i] = (float) real.getAsDouble();
        break;
      case FLOAT64:
        draw = i -> ((double[]) v)[i] = real.getAsDouble();
        break;
      case INT32:
        draw = i -> ((int[]) v)[i] = random.nextInt();
        break;
      case INT64:
        draw = i -> ((long[]) v)[i] = random.nextLong();
        break;
      case BOOL:
        draw = i -> ((boolean[]) v)[i] = random.nextBoolean();
        break;
      default:
        throw new AssertionError(dtype);
    }
    for (int i = 0; i < Array.getLength(v); i++) {
      draw.accept(i);
    }
    return Tensor.unsafeWrap(dtype, shape, v); // v is this method's own, never written again
  }

  /** {@link #of} with standard-normal floats and doubles. */
  public static Tensor gaussian(Random random, DType dtype, Shape shape) {
    return of(random, dtype, shape, random::nextGaussian);
  }

  /** {@code n} standard-normal floats. */
  public static float[] gaussianFloats(Random random, int n) {
    return gaussian(random, DType.FLOAT32, Shape.of(n)).toFloatArray();
  }

  /** {@code n} standard-normal doubles. */
  public static double[] gaussianDoubles(Random random, int n) {
    return gaussian(random, DType.FLOAT64, Shape.of(n)).toDoubleArray();
  }
}
