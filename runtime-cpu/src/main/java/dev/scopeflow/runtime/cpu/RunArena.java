package dev.scopeflow.runtime.cpu;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Tensor;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The pool arrays one run (a session step with all its function-body evaluations) holds, handed back to the
 * {@link BufferPool} when the run has committed. Within a run, {@link RunBuffers} recycles only what the slots prove
 * dead; arrays that went into tensor lists, loop-carried values, body results or scratch stay out until the run ends.
 * After it, a run's arrays can be reached only through what it published, so every array it took from the pool goes
 * back except
 *
 * <ul>
 *   <li>arrays written to variables ({@link #escaped}),
 *   <li>the arrays of fetched values, which the caller holds,
 *   <li>arrays a step that uses per-op session state read, made or output (a variant read or made by such a step
 *       could hold any array, so then nothing goes back: {@link #disable}).
 * </ul>
 *
 * Kernels are stateless, plans cache no values, and variant values (tensor lists) cannot be fetched or stored in
 * variables, so nothing else outlives the run. Arrays that {@link RunBuffers} already gave back are not held here.
 * Nothing goes back after a failed run: its arrays are left to the garbage collector. The arena holds at most as many
 * bytes as the pool keeps (beyond that an array is left to the garbage collector as before): what it holds includes
 * arrays that are dead before the run ends (a long loop's earlier loop-carried values), which it keeps alive until
 * then. Thread-safe (kernels may allocate from several threads).
 */
final class RunArena {
  private final BufferPool pool;
  private final IdentityHashMap<Object, DType> held = new IdentityHashMap<>();
  private boolean disabled;
  private long heldBytes;

  RunArena(BufferPool pool) {
    this.pool = pool;
  }

  /** The run took {@code array} from the pool (or made it for lack of a free one). */
  synchronized void allocated(DType dtype, Object array) {
    if (disabled) {
      return;
    }
    long bytes = BufferPool.bytes(dtype, java.lang.reflect.Array.getLength(array));
    if (heldBytes + bytes <= pool.capacityBytes()) {
      held.put(array, dtype);
      heldBytes += bytes;
    }
  }

  /** {@code array} went back to the pool during the run. */
  synchronized void returned(Object array) {
    drop(array);
  }

  /** {@code value}'s array may be referenced after the run: it never goes back. */
  synchronized void escaped(Object value) {
    if (value instanceof Tensor t) {
      drop(t.unsafeArray());
    }
  }

  /** {@code array} may be referenced after the run: it never goes back. */
  synchronized void escapedArray(Object array) {
    drop(array);
  }

  private void drop(Object array) {
    DType dtype = held.remove(array);
    if (dtype != null) {
      heldBytes -= BufferPool.bytes(dtype, java.lang.reflect.Array.getLength(array));
    }
  }

  /** Something may reference any of the run's arrays after it: none goes back. */
  synchronized void disable() {
    disabled = true;
    held.clear();
    heldBytes = 0;
  }

  /** The run committed: every array it still holds goes back to the pool. */
  synchronized void reclaim() {
    for (Map.Entry<Object, DType> e : held.entrySet()) {
      Object a = e.getKey();
      pool.give(e.getValue(), a, java.lang.reflect.Array.getLength(a));
    }
    held.clear();
    heldBytes = 0;
  }
}
