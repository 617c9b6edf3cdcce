package dev.scopeflow.runtime.cpu;

import dev.scopeflow.graph.DType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A session's free arrays: the buffers of intermediates that a finished step no longer needs (see {@link RunBuffers}
 * for when that is provable), kept for the next allocation of the same dtype and length, so that a training loop
 * reuses last step's buffers instead of allocating new ones. Bounded: beyond {@link #capacityBytes} a returned array is
 * left to the garbage collector. Thread-safe (concurrent runs share it); an array is in the pool or in one run's
 * hands, never both.
 */
final class BufferPool {
  private final long capacityBytes;
  private final Map<Long, ArrayDeque<Object>> free = new HashMap<>();
  private long retainedBytes;

  BufferPool(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** A pool bounded by an eighth of the heap. */
  static BufferPool forHeap() {
    return new BufferPool(Runtime.getRuntime().maxMemory() / 8);
  }

  /** A free array of {@code dtype} with exactly {@code length} elements (old contents), or null if none is free. */
  synchronized Object take(DType dtype, int length) {
    ArrayDeque<Object> q = free.get(key(dtype, length));
    Object a = q == null ? null : q.pollLast();
    if (a != null) {
      retainedBytes -= bytes(dtype, length);
    }
    return a;
  }

  /** Hands back an array no one references any more. */
  synchronized void give(DType dtype, Object array, int length) {
    long b = bytes(dtype, length);
    if (retainedBytes + b > capacityBytes) {
      return;
    }
    free.computeIfAbsent(key(dtype, length), k -> new ArrayDeque<>()).addLast(array);
    retainedBytes += b;
  }

  synchronized void clear() {
    free.clear();
    retainedBytes = 0;
  }

  synchronized long retainedBytes() {
    return retainedBytes;
  }

  private static Long key(DType dtype, int length) {
    return ((long) dtype.ordinal() << 32) | length;
  }

  /** The most bytes the pool keeps. */
  long capacityBytes() {
    return capacityBytes;
  }

  static long bytes(DType dtype, int length) {
    switch (dtype) {
      case FLOAT64:
      case INT64:
        return 8L * length;
      case BOOL:
        return length;
      default:
        return 4L * length;
    }
  }
}
