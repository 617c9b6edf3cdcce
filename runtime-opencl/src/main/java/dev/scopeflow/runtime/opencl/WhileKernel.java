package dev.scopeflow.runtime.opencl;

import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Subgraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code While} kernel: runs the loop's cond and body as nested plans inside the same run (the same command
 * queue, variable transaction and device error checks; each body compiled once per session), so a body that assigns
 * a variable writes in the run's transaction, and a failing body kernel fails the run naming its own op and commits
 * nothing.
 *
 * <p>A counted loop ({@link CountedLoop}, analysed once per session and op) reads its initial counters and bounds
 * once (free when they are constants, feeds or host values), runs the body that many times without evaluating the
 * cond, and sets each counter's host value after every iteration: no host round trip per iteration. Its kernels'
 * device checks are read once every {@link #MAX_PENDING_CHECKS} (else at the run's end).
 *
 * <p>Any other loop, per iteration: cond on (loop variables ++ cond captures) gives a device bool, read with one
 * small blocking read ({@link OpenClRun#readPredicate}: the loop's only host round trip per iteration; it also reads
 * the device status and the scalar integer loop variables, so tensor-list indices are known on the host in the next
 * body); while true, body on (loop variables ++ body captures) gives the next loop variables. Kernels of an iteration
 * are enqueued without waiting, so the device runs the body while the host enqueues the next cond.
 *
 * <p>References: the loop holds one reference to each current loop variable. A body returns its results with a
 * reference each ({@link OpenClSession#evaluate}), taken before its slots are released, so a variable the body
 * passes through unchanged, or a captured tensor it returns, stays alive when the previous iteration's values are
 * released. Captures are passed as the While op holds them (a variable stays a reference, read in the body at the
 * time the body reads it).
 */
public final class WhileKernel implements OpenClKernel {
  /**
   * A counted loop reads nothing per iteration, so the device checks of its kernels pile up in the run; past this
   * many, the run reads its status once (a sync) and drops the checks that passed.
   */
  static final int MAX_PENDING_CHECKS = 256;

  /** System property: {@code false} turns the counted-loop path off (every loop reads its predicate; to compare). */
  static final String COUNTED_LOOPS = "scopeflow.opencl.countedLoops";

  @Override
  public boolean needsFloat64(Operation op) {
    return false; // moves references only; the bodies' own kernels are checked when their plans compile
  }

  @Override
  public void enqueue(OpenClKernelContext ctx) {
    Operation op = ctx.op();
    Subgraph cond = (Subgraph) op.requiredAttr("cond");
    Subgraph body = (Subgraph) op.requiredAttr("body");
    OpenClSession session = ctx.session();
    OpenClRun run = ctx.run();
    OpenClPlan condPlan = session.bodyPlan(cond);
    OpenClPlan bodyPlan = session.bodyPlan(body);
    int n = op.numOutputs();
    int condCaptures = cond.captures().size();
    Object[] condArgs = new Object[n + condCaptures];
    Object[] bodyArgs = new Object[n + body.captures().size()];
    for (int c = 0; c < condCaptures; c++) {
      condArgs[n + c] = ctx.rawInputValue(n + c);
    }
    for (int b = n; b < bodyArgs.length; b++) {
      bodyArgs[b] = ctx.rawInputValue(condCaptures + b);
    }
    Object[] vars = new Object[n];
    try {
      for (int i = 0; i < n; i++) {
        Object v = ctx.inputValue(i);
        OpenClSession.retainHeld(v);
        vars[i] = v;
      }
      System.arraycopy(vars, 0, condArgs, 0, n);
      Optional<CountedLoop> loop = Boolean.parseBoolean(System.getProperty(COUNTED_LOOPS, "true"))
          ? session.opState(op, () -> CountedLoop.of(cond, body)) : Optional.empty();
      Optional<CountedLoop.Start> start = loop.isPresent() ? loop.get().start(condArgs, condArgs, run)
          : Optional.empty();
      if (start.isPresent()) {
        // Counted: the cond never runs and nothing is read; iterations are enqueued back to back.
        for (long i = 1; i <= start.get().trips(); i++) {
          vars = iterate(session, bodyPlan, bodyArgs, vars, run, op);
          loop.get().publishCounters(start.get(), vars, i);
          run.forgetPassedChecksBeyond(MAX_PENDING_CHECKS);
        }
      } else {
        while (true) {
          System.arraycopy(vars, 0, condArgs, 0, n);
          Object[] predicate = session.evaluate(condPlan, condArgs, run, op);
          boolean again;
          try {
            again = run.readPredicate((DeviceTensor) predicate[0], scalarIntegers(vars));
          } finally {
            OpenClSession.releaseHeld(predicate[0]);
          }
          if (!again) {
            break;
          }
          vars = iterate(session, bodyPlan, bodyArgs, vars, run, op);
        }
      }
      for (int i = 0; i < n; i++) {
        ctx.setOutputValue(i, vars[i]);
      }
    } finally {
      for (Object v : vars) {
        OpenClSession.releaseHeld(v);
      }
    }
  }

  /**
   * One evaluation of the body on {@code vars} (and the captures already in {@code bodyArgs}): returns the next loop
   * variables, each with a reference, after releasing the loop's references to {@code vars}.
   */
  private static Object[] iterate(OpenClSession session, OpenClPlan bodyPlan, Object[] bodyArgs, Object[] vars,
      OpenClRun run, Operation op) {
    System.arraycopy(vars, 0, bodyArgs, 0, vars.length);
    Object[] next = session.evaluate(bodyPlan, bodyArgs, run, op);
    for (Object v : vars) {
      OpenClSession.releaseHeld(v);
    }
    return next;
  }

  /** The loop variables a tensor list may be indexed with: int32/int64 scalars. */
  private static List<DeviceTensor> scalarIntegers(Object[] vars) {
    List<DeviceTensor> ints = new ArrayList<>(2);
    for (Object v : vars) {
      if (v instanceof DeviceTensor t && t.dtype().isInteger() && t.size() == 1) {
        ints.add(t);
      }
    }
    return ints;
  }
}
