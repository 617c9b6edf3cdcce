package dev.scopeflow.runtime.cpu.kernels.nn;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a loop over {@code count} independent items (rows or columns) of {@code itemSize} elements into contiguous
 * ranges run on the caller and the common fork-join pool, one range per core at most, and only when each range gets
 * at least {@code minElementsPerTask} elements: below that, forking costs more than it saves and the loop runs on
 * the caller alone, allocating nothing.
 */
final class ParallelRanges {
  private ParallelRanges() {}

  /** A body over the items {@code [from, to)}; ranges never overlap, so bodies write disjoint output elements. */
  @FunctionalInterface
  interface RangeBody {
    void run(int from, int to);
  }

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  static void run(int count, int itemSize, int minElementsPerTask, RangeBody body) {
    long elements = (long) count * itemSize;
    int parts = (int) Math.min(Math.min(CORES, count), Math.max(1, elements / minElementsPerTask));
    if (parts <= 1) {
      body.run(0, count);
      return;
    }
    ForkJoinTask<?>[] forked = new ForkJoinTask<?>[parts - 1];
    for (int p = 1; p < parts; p++) {
      int from = bound(count, parts, p);
      int to = bound(count, parts, p + 1);
      forked[p - 1] = ForkJoinPool.commonPool().submit(() -> body.run(from, to));
    }
    body.run(0, bound(count, parts, 1));
    for (ForkJoinTask<?> task : forked) {
      task.join();
    }
  }

  private static int bound(int count, int parts, int p) {
    return (int) ((long) count * p / parts);
  }
}
