package dev.scopeflow.runtime.cpu;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;

/**
 * The arrays one evaluation of a plan (a session step, or one evaluation of a function body) took from the
 * {@link BufferPool}, and which of them go back to it. An array goes back only when it is provably unreachable:
 *
 * <ul>
 *   <li>it was handed out by {@link #allocate} in this evaluation (feeds, variables, constants, arrays of other
 *       evaluations and whatever a kernel made with {@code new} are never tracked);
 *   <li>every slot that held it has been released after its last reader: each time a step's output is stored in a
 *       slot, the holders of its array are counted, so a value forwarded by Identity, Reshape or any kernel that
 *       outputs an input's array keeps it alive as long as any alias lives; fetched slots are never released;
 *   <li>it never escaped: an array written to a variable, and every array a step read or allocated when that step
 *       took or produced a variant (tensor lists), ran a function body or used per-op session state, is untracked
 *       for good, since such steps may keep references the slots do not show.
 * </ul>
 *
 * An array allocated by a step and stored in no slot is not reused during the run; what this class cannot prove dead
 * goes back when the run ends ({@link RunArena}). Not thread-safe across runs (one per evaluation); {@link #allocate}
 * is synchronized for kernels that allocate from several threads.
 */
final class RunBuffers {
  private final BufferPool pool;
  private final RunArena arena;
  /** Tracked arrays and the number of slots holding each. */
  private final IdentityHashMap<Object, int[]> holders = new IdentityHashMap<>();
  private final ArrayList<Object> stepAllocations = new ArrayList<>();

  RunBuffers(BufferPool pool, RunArena arena) {
    this.pool = pool;
    this.arena = arena;
  }

  /** A {@code size}-element array of {@code dtype}, recycled if one is free; zero-filled when {@code zero}. */
  synchronized Object allocate(DType dtype, int size, boolean zero) {
    Object a = pool.take(dtype, size);
    if (a == null) {
      a = Tensor.newArray(dtype, size);
    } else if (zero) {
      fillZero(a);
    }
    arena.allocated(dtype, a);
    holders.put(a, new int[1]);
    stepAllocations.add(a);
    return a;
  }

  /** {@code value}'s array (if tracked) may be referenced from outside the slots: never recycle it. */
  void escape(Object value) {
    if (value instanceof Tensor t) {
      holders.remove(t.unsafeArray());
    }
  }

  /** The current step may keep references the slots do not show: untrack its inputs and its allocations. */
  void escapeStep(Object[] inputs) {
    for (int i = 0; i < stepAllocations.size(); i++) {
      holders.remove(stepAllocations.get(i));
    }
    for (Object v : inputs) {
      escape(v);
    }
  }

  /**
   * The current step used per-op session state, which may keep what it read, made or output beyond the run: none of
   * it goes back to the pool, even after the run ({@link RunArena}).
   */
  void escapeStepForGood(Object[] inputs, Object[] outputs) {
    for (int i = 0; i < stepAllocations.size(); i++) {
      arena.escapedArray(stepAllocations.get(i));
    }
    for (Object[] values : new Object[][] {inputs, outputs}) {
      for (Object v : values) {
        if (v instanceof VariantValue) {
          arena.disable();
        } else {
          arena.escaped(v);
        }
      }
    }
  }

  /** {@code value} was stored in a slot. */
  void hold(Object value) {
    if (value instanceof Tensor t) {
      int[] count = holders.get(t.unsafeArray());
      if (count != null) {
        count[0]++;
      }
    }
  }

  /** The step is done and its outputs are stored: arrays it allocated that no slot holds are dropped. */
  void endStep() {
    for (int i = 0; i < stepAllocations.size(); i++) {
      Object a = stepAllocations.get(i);
      int[] count = holders.get(a);
      if (count != null && count[0] == 0) {
        holders.remove(a);
      }
    }
    if (!stepAllocations.isEmpty()) {
      stepAllocations.clear();
    }
  }

  /** A slot holding {@code value} was released; the array goes back to the pool when no slot holds it. */
  void release(Object value) {
    if (value instanceof Tensor t) {
      Object a = t.unsafeArray();
      int[] count = holders.get(a);
      if (count != null && --count[0] == 0) {
        holders.remove(a);
        arena.returned(a);
        pool.give(t.dtype(), a, java.lang.reflect.Array.getLength(a));
      }
    }
  }

  private static void fillZero(Object a) {
    if (a instanceof float[] f) {
      java.util.Arrays.fill(f, 0f);
    } else if (a instanceof double[] d) {
      java.util.Arrays.fill(d, 0d);
    } else if (a instanceof int[] i) {
      java.util.Arrays.fill(i, 0);
    } else if (a instanceof long[] l) {
      java.util.Arrays.fill(l, 0L);
    } else if (a instanceof boolean[] b) {
      java.util.Arrays.fill(b, false);
    }
  }
}
