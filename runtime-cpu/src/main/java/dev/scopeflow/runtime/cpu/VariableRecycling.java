package dev.scopeflow.runtime.cpu;

import dev.scopeflow.graph.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands the value an update kernel replaced in a variable (an optimizer's {@code Apply*}: the old {@code var}, {@code
 * m}, {@code v}) back to the session's {@link BufferPool} once the run commits, when that is provable: variables are
 * immutable values, so each update writes fresh arrays, and without this a training step allocates every variable and
 * slot it updates anew.
 *
 * <p>A replaced array is recycled only if
 *
 * <ul>
 *   <li>an update kernel made it ({@link Run#replace}) in an earlier run, so no feed, constant or initializer shares
 *       it;
 *   <li>since then nothing read it except update kernels that copy it and replace it: every other read of a variable
 *       (by a kernel, a fetch, a function body's result) marks the value it returns ({@link Run#read}), and a marked
 *       array is never recycled, as is one that an update's output slot handed on;
 *   <li>no other run of the session is active when it is committed: a concurrent run may have read the old value
 *       before the commit (reads are unpinned on the CPU), and runs that ended marked what they read.
 * </ul>
 */
final class VariableRecycling {
  private final BufferPool pool;
  private final AtomicInteger activeRuns = new AtomicInteger();
  // Weak: an array replaced by anything but an update kernel (an Assign) is simply left to the garbage collector.
  private final Set<Object> unread = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  VariableRecycling(BufferPool pool) {
    this.pool = pool;
  }

  /** A run starts; {@link Run#close} ends it. */
  Run begin() {
    activeRuns.incrementAndGet();
    return new Run();
  }

  void clear() {
    unread.clear();
  }

  /** What one run (a session step with all its body evaluations) read and replaced. */
  final class Run implements AutoCloseable {
    /** Values update kernels replaced in this run. */
    private final ArrayList<Tensor> replaced = new ArrayList<>();
    /** Arrays update kernels wrote in this run that nothing has read yet. */
    private final ArrayList<Object> written = new ArrayList<>();
    private final RunArena arena = new RunArena(pool);

    /** The pool arrays this run holds. */
    RunArena arena() {
      return arena;
    }

    /** {@code value} (a variable's value, or a step's output) may now be referenced from anywhere. */
    void read(Object value) {
      if (value instanceof Tensor t) {
        Object a = t.unsafeArray();
        unread.remove(a);
        removeIdentical(written, a);
      }
    }

    /** A step's output was stored in a slot: if an update wrote its array, it is shared now. */
    void stored(Object value) {
      if (!written.isEmpty() && value instanceof Tensor t) {
        removeIdentical(written, t.unsafeArray());
      }
    }

    /** An update kernel wrote {@code updated}, a fresh array, in place of {@code old}, which it only copied. */
    void replace(Tensor old, Tensor updated) {
      replaced.add(old);
      removeIdentical(written, old.unsafeArray());
      written.add(updated.unsafeArray());
    }

    /** The run's steps and fetches are done: what its updates wrote and nobody read is unread from now on. */
    void beforeCommit() {
      // Before the commit: once committed, another run may read (and mark) these at any time.
      for (int i = 0; i < written.size(); i++) {
        unread.add(written.get(i));
      }
      written.clear();
    }

    /** The run committed: the values it replaced go to the pool where provably unreferenced. */
    void afterCommit() {
      if (!replaced.isEmpty() && activeRuns.get() == 1) {
        for (int i = 0; i < replaced.size(); i++) {
          Tensor old = replaced.get(i);
          Object a = old.unsafeArray();
          if (unread.remove(a)) {
            pool.give(old.dtype(), a, java.lang.reflect.Array.getLength(a));
          }
        }
      }
      replaced.clear();
    }

    @Override
    public void close() {
      activeRuns.decrementAndGet();
    }
  }

  private static void removeIdentical(ArrayList<Object> arrays, Object a) {
    for (int i = arrays.size() - 1; i >= 0; i--) {
      if (arrays.get(i) == a) {
        arrays.remove(i);
      }
    }
  }
}
