package dev.scopeflow.runtime.opencl;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Subgraph;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.ConstantValues;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code While} loop whose trip count the host can compute before the first iteration, so the loop runs without
 * reading its predicate back every iteration (see {@link WhileKernel}). The cond must be nothing but a conjunction
 * ({@code LogicalAnd}, through {@code Identity}) of comparisons {@code var < bound} (or {@code bound > var}) of a
 * rising counter, or {@code var > bound} (or {@code bound < var}) of a falling one, where
 * <ul>
 *   <li>{@code var} is an int32/int64 loop variable that the body returns as {@code var + c} or {@code var - c}
 *       ({@code Add}/{@code AddV2}/{@code Sub} with a constant {@code c != 0}): a <em>counter</em>;
 *   <li>{@code bound} does not change while the loop runs: a constant, a tensor the cond captures from outside the
 *       loop, or a loop variable the body returns unchanged.
 * </ul>
 * That is the shape of {@code dynamicRnn}'s loop ({@code time < n}, with {@code maximum_iterations}' counter, {@code
 * loop_counter < max}) and of the backward loop of a loop's gradient ({@code iteration > 0}, counting down). A cond that reads a variable, compares anything else, or
 * whose bound the body changes, is not counted: such loops read their predicate every iteration.
 *
 * <p>At run time the initial counters and the bounds must be scalars (read once, before the loop: free when they are
 * constants, feeds or host-computed, one counted sync otherwise), and no counter may overflow its dtype before the
 * loop ends (a wrapping counter would make the loop run on); otherwise the loop falls back to reading its predicate.
 * Every counter (every loop variable the body advances by a constant, compared or not) then has a value known on
 * the host in each iteration, so tensor-list indices that are counters cost no read.
 */
final class CountedLoop {
  /** Where a bound comes from: a constant, cond argument {@code argument} (a capture), or loop variable {@code var}. */
  private record Bound(long constant, int argument, int var) {}

  /** {@code var} against {@code bound}: below it for a rising counter, above it for a falling one. */
  private record Comparison(int var, Bound bound) {}

  private final List<Comparison> comparisons;
  private final Map<Integer, Long> steps; // counter loop variable -> its increment

  private CountedLoop(List<Comparison> comparisons, Map<Integer, Long> steps) {
    this.comparisons = List.copyOf(comparisons);
    this.steps = Map.copyOf(steps);
  }

  /** The analysis of a loop with these bodies, empty if it is not a counted loop. */
  static Optional<CountedLoop> of(Subgraph cond, Subgraph body) {
    if (!cond.targets().isEmpty() || cond.results().size() != 1) {
      return Optional.empty();
    }
    Map<Integer, Long> steps = counters(body);
    List<Comparison> comparisons = new ArrayList<>();
    if (!collect(cond.results().get(0), cond, body, steps, comparisons) || comparisons.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new CountedLoop(comparisons, steps));
  }

  /** Loop variables the body returns as themselves plus or minus an integer constant, with their step. */
  private static Map<Integer, Long> counters(Subgraph body) {
    Map<Integer, Long> steps = new LinkedHashMap<>();
    List<Output> params = body.parameters();
    List<Output> results = body.results();
    for (int i = 0; i < params.size() && i < results.size(); i++) {
      Output p = params.get(i);
      if (p.dtype() != DType.INT32 && p.dtype() != DType.INT64) {
        continue;
      }
      Output r = skipIdentity(results.get(i));
      String type = r.op().type();
      if (!type.equals("Add") && !type.equals("AddV2") && !type.equals("Sub")) {
        continue;
      }
      Output x = skipIdentity(r.op().input(0));
      Output y = skipIdentity(r.op().input(1));
      Optional<Long> step = x.equals(p) ? scalarConstant(y)
          : y.equals(p) && !type.equals("Sub") ? scalarConstant(x) : Optional.empty();
      if (step.isPresent() && step.get() != 0 && step.get() != Long.MIN_VALUE) {
        steps.put(i, type.equals("Sub") ? -step.get() : step.get());
      }
    }
    return steps;
  }

  /** Adds the comparisons of the conjunction {@code predicate}; false if it is anything else. */
  private static boolean collect(Output predicate, Subgraph cond, Subgraph body, Map<Integer, Long> steps,
      List<Comparison> into) {
    Output p = skipIdentity(predicate);
    Operation op = p.op();
    switch (op.type()) {
      case "LogicalAnd":
        return collect(op.input(0), cond, body, steps, into) && collect(op.input(1), cond, body, steps, into);
      case "Less":
      case "Greater": {
        // var < bound or bound > var with a rising counter; var > bound or bound < var with a falling one
        List<Output> params = cond.parameters();
        int left = params.indexOf(skipIdentity(op.input(0)));
        int var = left >= 0 && steps.containsKey(left) ? left : params.indexOf(skipIdentity(op.input(1)));
        if (var < 0 || !steps.containsKey(var)) {
          return false;
        }
        boolean below = (var == left) == op.type().equals("Less"); // the loop runs while var is below its bound
        if (below != steps.get(var) > 0) {
          return false; // moving away from the bound: it ends only by wrapping around, if ever
        }
        Optional<Bound> bound = invariant(op.input(var == left ? 1 : 0), cond, body);
        bound.ifPresent(b -> into.add(new Comparison(var, b)));
        return bound.isPresent();
      }
      default:
        return false;
    }
  }

  /** {@code value} (a cond tensor) as a bound that no iteration changes, if it is one. */
  private static Optional<Bound> invariant(Output value, Subgraph cond, Subgraph body) {
    Optional<Long> constant = scalarConstant(value);
    if (constant.isPresent()) {
      return Optional.of(new Bound(constant.get(), -1, -1));
    }
    // No Identity is looked through here: an Identity of a captured variable reference reads the variable each time
    // the cond runs, and the body may assign it.
    int argument = cond.arguments().indexOf(value);
    int params = cond.parameters().size();
    if (argument >= params) {
      String outer = cond.captures().get(argument - params).op().type();
      // a captured tensor is computed once, before the loop; a captured variable is not a bound
      return outer.startsWith("Variable") || outer.equals("VarHandleOp") ? Optional.empty()
          : Optional.of(new Bound(0, argument, -1));
    }
    if (argument >= 0 && argument < body.results().size()
        && skipIdentity(body.results().get(argument)).equals(body.parameters().get(argument))) {
      return Optional.of(new Bound(0, -1, argument)); // a loop variable the body passes through
    }
    return Optional.empty();
  }

  private static Output skipIdentity(Output o) {
    while (o.op().type().equals("Identity")) {
      o = o.op().input(0);
    }
    return o;
  }

  private static Optional<Long> scalarConstant(Output o) {
    if (o.op().type().equals(Subgraph.ARG_OP_TYPE)) {
      return Optional.empty();
    }
    return ConstantValues.of(o).flatMap(CountedLoop::scalarValue);
  }

  private static Optional<Long> scalarValue(Tensor t) {
    if (t.shape().rank() != 0) {
      return Optional.empty();
    }
    return switch (t.dtype()) {
      case INT32 -> Optional.of((long) ((int[]) t.unsafeArray())[0]);
      case INT64 -> Optional.of(((long[]) t.unsafeArray())[0]);
      default -> Optional.empty();
    };
  }

  /**
   * What the host knows before a counted loop starts: its iteration count and the initial value of each counter it
   * can follow (compared counters always; others when their initial value is a scalar already on the host).
   */
  record Start(long trips, Map<Integer, Long> counters) {}

  /**
   * The iteration count and counters of the loop from loop variables {@code vars} (read from index 0 on) with cond
   * arguments {@code condArgs} (loop variables, then captures; {@code vars} may be this same array), or empty when the run-time values leave the count unknown (a
   * non-scalar counter or bound, or a compared counter that would overflow and wrap). Reads the compared counters and
   * the bounds on the host ({@link OpenClRun#read}: a counted sync only for a value that exists on the device alone).
   */
  Optional<Start> start(Object[] vars, Object[] condArgs, OpenClRun run) {
    long trips = Long.MAX_VALUE;
    Map<Integer, Long> starts = new LinkedHashMap<>();
    for (Comparison c : comparisons) {
      Optional<Long> from = scalar(vars[c.var], run);
      Bound b = c.bound;
      Optional<Long> bound = b.argument >= 0 ? scalar(condArgs[b.argument], run)
          : b.var >= 0 ? scalar(vars[b.var], run) : Optional.of(b.constant);
      if (from.isEmpty() || bound.isEmpty()) {
        return Optional.empty();
      }
      starts.put(c.var, from.get());
      long step = steps.get(c.var);
      long lo = step > 0 ? from.get() : bound.get(); // the loop runs while lo < hi
      long hi = step > 0 ? bound.get() : from.get();
      long remaining;
      try {
        remaining = lo < hi ? ceilDiv(Math.subtractExact(hi, lo), Math.abs(step)) : 0;
      } catch (ArithmeticException e) {
        return Optional.empty(); // int64 extremes: the span does not fit a long
      }
      trips = Math.min(trips, remaining);
    }
    for (Comparison c : comparisons) {
      if (!fits(starts.get(c.var), trips, steps.get(c.var), ((DeviceTensor) vars[c.var]).dtype())) {
        return Optional.empty();
      }
    }
    for (int i : steps.keySet()) {
      if (!starts.containsKey(i) && vars[i] instanceof DeviceTensor t && !t.needsRead()) {
        scalar(t, run).ifPresent(v -> starts.put(i, v));
      }
    }
    return Optional.of(new Start(trips, starts));
  }

  /** {@code ceil(span / step)} for {@code span, step > 0}. */
  private static long ceilDiv(long span, long step) {
    return span / step + (span % step == 0 ? 0 : 1);
  }

  /** Whether {@code start + trips * step} stays inside {@code dtype}: the counter then never wraps. */
  private static boolean fits(long start, long trips, long step, DType dtype) {
    try {
      long end = Math.addExact(start, Math.multiplyExact(trips, step));
      return dtype == DType.INT64 || end == (int) end;
    } catch (ArithmeticException e) {
      return false;
    }
  }

  private static Optional<Long> scalar(Object value, OpenClRun run) {
    if (!(value instanceof DeviceTensor t) || t.shape().rank() != 0
        || (t.dtype() != DType.INT32 && t.dtype() != DType.INT64)) {
      return Optional.empty();
    }
    return scalarValue(run.read(t));
  }

  /**
   * Sets the host value of every counter of {@code start} in {@code next}, the loop variables after {@code
   * iterations} iterations: the device computes {@code start + iterations * step} in the counter's dtype, wrapping as
   * Java's int and long arithmetic does, so a later read of it costs nothing.
   */
  void publishCounters(Start start, Object[] next, long iterations) {
    for (Map.Entry<Integer, Long> e : start.counters().entrySet()) {
      if (!(next[e.getKey()] instanceof DeviceTensor t) || t.shape().rank() != 0) {
        continue;
      }
      long value = e.getValue() + iterations * steps.get(e.getKey());
      ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
      if (t.dtype() == DType.INT32) {
        bytes.putInt(0, (int) value);
      } else {
        bytes.putLong(0, value);
      }
      t.setHostFrom(bytes);
    }
  }

  /** The loop variables that are counters (test seam). */
  List<Integer> counterVariables() {
    return steps.keySet().stream().sorted().toList();
  }

  /** Number of comparisons in the cond (test seam). */
  int comparisonCount() {
    return comparisons.size();
  }
}
