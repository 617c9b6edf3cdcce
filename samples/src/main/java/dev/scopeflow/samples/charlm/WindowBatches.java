package dev.scopeflow.samples.charlm;

import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.util.Random;

/**
 * Training batches of a character id sequence: {@code batchSize} windows of {@code seqLength + 1} characters at
 * random places, split into inputs (the first {@code seqLength}) and targets (the same window shifted by one).
 */
final class WindowBatches {
  private final int[] ids;
  private final int batchSize;
  private final int seqLength;
  private final Random random;

  WindowBatches(int[] ids, int batchSize, int seqLength, Random random) {
    if (ids.length < seqLength + 1) {
      throw new IllegalArgumentException("a text of " + ids.length + " characters has no window of "
          + (seqLength + 1));
    }
    this.ids = ids;
    this.batchSize = batchSize;
    this.seqLength = seqLength;
    this.random = random;
  }

  /** Inputs and targets, each {@code [batch, time]} int32. */
  record Batch(Tensor inputs, Tensor targets) {}

  Batch next() {
    int[] starts = new int[batchSize];
    for (int b = 0; b < batchSize; b++) {
      starts[b] = random.nextInt(ids.length - seqLength);
    }
    return at(ids, starts, seqLength);
  }

  /** The windows starting at {@code starts}. */
  static Batch at(int[] ids, int[] starts, int seqLength) {
    int[] in = new int[starts.length * seqLength];
    int[] out = new int[starts.length * seqLength];
    for (int b = 0; b < starts.length; b++) {
      System.arraycopy(ids, starts[b], in, b * seqLength, seqLength);
      System.arraycopy(ids, starts[b] + 1, out, b * seqLength, seqLength);
    }
    Shape shape = Shape.of(starts.length, seqLength);
    return new Batch(Tensor.create(shape, in), Tensor.create(shape, out));
  }
}
