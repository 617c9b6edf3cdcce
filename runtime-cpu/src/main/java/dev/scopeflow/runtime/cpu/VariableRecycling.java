package dev.scopeflow.runtime.cpu;

import dev.scopeflow.graph.Tensor;
import dev.scopeflow.graph.runtime.VariableRef;
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
 *   <li>no run published it since: a run's kernels may read a variable's value freely, but what they hold dies with
 *       the run except fetched values, values written to (other) variables and what steps that use per-op session
 *       state read or output ({@link Run#shared}); a run whose state-using step took or made a variant value (which
 *       may hold anything) or took a variable reference recycles nothing and publishes its updates' arrays as shared;
 *   <li>no other run of the session is active when it commits: a concurrent run may hold the old value it read
 *       before the commit (the CPU does not pin values it reads), while runs that ended can hold nothing unshared.
 * </ul>
 */
final class VariableRecycling {
  private final BufferPool pool;
  private final AtomicInteger activeRuns = new AtomicInteger();
  // Arrays that update kernels wrote and no run published. Weak: an array that stops being a variable's value in any
  // other way (an Assign replaces it) is simply left to the garbage collector.
  private final Set<Object> unshared = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  VariableRecycling(BufferPool pool) {
    this.pool = pool;
  }

  /** A run starts; {@link Run#close} ends it. */
  Run begin() {
    activeRuns.incrementAndGet();
    return new Run();
  }

  void clear() {
    unshared.clear();
  }

  /** What one run (a session step with all its body evaluations) published and replaced. */
  final class Run implements AutoCloseable {
    /** Values update kernels replaced in this run. */
    private final ArrayList<Tensor> replaced = new ArrayList<>();
    /** Arrays update kernels wrote in this run that it has not published. */
    private final ArrayList<Object> written = new ArrayList<>();
    private final RunArena arena = new RunArena(pool);
    private boolean disabled;

    /** The pool arrays this run holds. */
    RunArena arena() {
      return arena;
    }

    /** {@code value} outlives the run (fetched, written to a variable, or kept in session state). */
    void shared(Object value) {
      if (value instanceof Tensor t) {
        Object a = t.unsafeArray();
        unshared.remove(a);
        removeIdentical(written, a);
      }
    }

    /** A step that uses per-op session state read {@code inputs} and output {@code outputs}. */
    void sharedByState(Object[] inputs, Object[] outputs) {
      for (Object[] values : new Object[][] {inputs, outputs}) {
        for (Object v : values) {
          // A variant may hold any array, and a kernel with a reference may read the variable and keep its value.
          if (v instanceof VariantValue || v instanceof VariableRef) {
            disabled = true;
          }
          shared(v);
        }
      }
    }

    /** An update kernel wrote {@code updated}, a fresh array, in place of {@code old}, which it only copied. */
    void replace(Tensor old, Tensor updated) {
      replaced.add(old);
      removeIdentical(written, old.unsafeArray());
      written.add(updated.unsafeArray());
    }

    /** The run's steps and fetches are done: what its updates wrote and it did not publish is unshared. */
    void beforeCommit() {
      // Before the commit: once committed, another run may read and publish these at any time.
      if (!disabled) {
        for (int i = 0; i < written.size(); i++) {
          unshared.add(written.get(i));
        }
      }
      written.clear();
    }

    /** The run committed: the values it replaced go to the pool where provably unreferenced. */
    void afterCommit() {
      if (!disabled && !replaced.isEmpty() && activeRuns.get() == 1) {
        for (int i = 0; i < replaced.size(); i++) {
          Tensor old = replaced.get(i);
          Object a = old.unsafeArray();
          if (unshared.remove(a)) {
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
