package dev.scopeflow.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Subgraph;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.ControlFlowOps;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The counted-loop analysis ({@link CountedLoop}) on loops built with the facade, positive and negative, and what it
 * changes at run time: a counted loop reads nothing back per iteration and gets the same values as plain Java loops
 * here; a loop the analysis rejects (its bound changes in the body, another comparison, a non-constant step) still
 * reads its predicate once per cond evaluation, with the right result.
 */
class CountedLoopTest {
  private final Graph graph = new Graph();
  private final Ops tf = Ops.create(graph);
  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);

  // ----------------------------------------------------------------------------------------------- the analysis

  @Test
  void aCounterAgainstACapturedBoundIsCounted() {
    Output n = tf.placeholder(DType.INT32, Shape.scalar());
    Optional<CountedLoop> loop = analyse(loop(v -> tf.math.less(v.get(0), n),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1)), tf.math.mul(v.get(1), tf.constant(2f))),
        List.of(tf.constant(0), tf.constant(1f))));
    assertTrue(loop.isPresent());
    assertEquals(List.of(0), loop.get().counterVariables());
    assertEquals(1, loop.get().comparisonCount());
  }

  @Test
  void maximumIterationsAddsASecondCountedComparison() {
    Output n = tf.placeholder(DType.INT32, Shape.scalar());
    Optional<CountedLoop> loop = analyse(tf.control.whileLoop(v -> tf.math.less(v.get(0), n),
        v -> List.of(tf.math.add(tf.constant(2), v.get(0))), List.of(tf.constant(0)),
        ControlFlowOps.whileOptions().maximumIterations(tf.constant(7))));
    assertTrue(loop.isPresent());
    assertEquals(List.of(0, 1), loop.get().counterVariables(), "loop_counter and i");
    assertEquals(2, loop.get().comparisonCount());
  }

  /** {@code n > i} is {@code i < n}; a falling counter against {@code i > 0} (a gradient's backward loop). */
  @Test
  void mirroredAndFallingComparisonsAreCounted() {
    Output n = tf.placeholder(DType.INT32, Shape.scalar());
    assertTrue(analyse(loop(v -> tf.math.greater(n, v.get(0)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1))), List.of(tf.constant(0)))).isPresent());
    assertTrue(analyse(loop(v -> tf.math.greater(v.get(0), tf.constant(0)),
        v -> List.of(tf.math.sub(v.get(0), tf.constant(1))), List.of(n))).isPresent());
    assertTrue(analyse(loop(v -> tf.math.less(n, v.get(0)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(-2))), List.of(tf.constant(9)))).isPresent());
  }

  @Test
  void constantAndPassedThroughBoundsAreCounted() {
    assertTrue(analyse(loop(v -> tf.math.less(v.get(0), tf.constant(5L)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(3L))), List.of(tf.constant(0L)))).isPresent());
    assertTrue(analyse(loop(v -> tf.math.less(v.get(0), v.get(1)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1)), tf.identity(v.get(1))),
        List.of(tf.constant(0), tf.constant(4)))).isPresent(), "a bound the body returns unchanged");
  }

  @Test
  void aBoundTheBodyChangesIsNotCounted() {
    assertTrue(analyse(loop(v -> tf.math.less(v.get(0), v.get(1)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1)), tf.math.sub(v.get(1), tf.constant(1))),
        List.of(tf.constant(0), tf.constant(10)))).isEmpty());
  }

  @Test
  void otherConditionsAndStepsAreNotCounted() {
    Output n = tf.placeholder(DType.INT32, Shape.scalar());
    // i <= n, i >= n: not the form the analysis takes
    assertTrue(analyse(loop(v -> tf.math.lessEqual(v.get(0), n),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1))), List.of(tf.constant(0)))).isEmpty());
    assertTrue(analyse(loop(v -> tf.math.greaterEqual(v.get(0), n),
        v -> List.of(tf.math.sub(v.get(0), tf.constant(1))), List.of(tf.constant(5)))).isEmpty());
    // a counter moving away from its bound (ends only by wrapping around)
    assertTrue(analyse(loop(v -> tf.math.less(v.get(0), n),
        v -> List.of(tf.math.sub(v.get(0), tf.constant(1))), List.of(tf.constant(0)))).isEmpty());
    assertTrue(analyse(loop(v -> tf.math.greater(v.get(0), n),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1))), List.of(tf.constant(0)))).isEmpty());
    // const - i is not a counter
    assertTrue(analyse(loop(v -> tf.math.less(v.get(0), n),
        v -> List.of(tf.math.sub(tf.constant(1), v.get(0))), List.of(tf.constant(0)))).isEmpty());
    // a counted comparison and a data-dependent one
    assertTrue(analyse(loop(v -> tf.math.logicalAnd(tf.math.less(v.get(0), n), tf.math.less(v.get(1), n)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1)), tf.math.mul(v.get(1), tf.constant(2))),
        List.of(tf.constant(0), tf.constant(1)))).isEmpty());
    // a step that is not a positive constant
    assertTrue(analyse(loop(v -> tf.math.less(v.get(0), n),
        v -> List.of(tf.math.add(v.get(0), v.get(1)), tf.identity(v.get(1))),
        List.of(tf.constant(0), tf.constant(1)))).isEmpty());
    assertTrue(analyse(loop(v -> tf.math.less(v.get(0), n),
        v -> List.of(tf.math.add(v.get(0), tf.constant(0))), List.of(tf.constant(0)))).isEmpty());
    // a float counter
    assertTrue(analyse(loop(v -> tf.math.less(v.get(0), tf.constant(3f)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1f))), List.of(tf.constant(0f)))).isEmpty());
  }

  /** A variable read in the cond may change in the body; its snapshot, read before the loop and captured, cannot. */
  @Test
  void aBoundReadFromAVariableInTheCondIsNotCounted() {
    Variable bound = tf.state.variable(Tensor.scalar(3));
    assertTrue(analyse(loop(v -> tf.math.less(v.get(0), tf.state.readValue(bound)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1))), List.of(tf.constant(0)))).isEmpty());
    assertTrue(analyse(loop(v -> tf.math.less(v.get(0), tf.identity(bound.value())),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1))), List.of(tf.constant(0)))).isEmpty(),
        "an Identity in the cond is not looked through");
    Output snapshot = bound.value();
    assertTrue(analyse(loop(v -> tf.math.less(v.get(0), snapshot),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1))), List.of(tf.constant(0)))).isPresent());
  }

  /** The body assigns the variable the cond reads: the loop reads its predicate and sees each new value. */
  @Test
  @RequiresOpenCl
  void aBoundAVariableTheBodyAssignsIsReadEveryIteration() {
    Variable bound = tf.state.variable(Tensor.scalar(10));
    // i < bound, bound -= 2 each iteration: i = 0, 1, 2, 3 run (bound 10, 8, 6, 4), then 4 < 2 fails
    List<Output> out = loop(v -> tf.math.less(v.get(0), tf.state.readValue(bound)), v -> {
      Output lowered = tf.state.assignSub(bound, tf.constant(2));
      try (var c = tf.controlDependencies(lowered)) {
        return List.of(tf.math.add(v.get(0), tf.constant(1)));
      }
    }, List.of(tf.constant(0)));
    try (OpenClSession s = open()) {
      s.runTargets(bound.initializer());
      assertEquals(Tensor.scalar(4), s.run(out.get(0)));
      assertEquals(Tensor.scalar(2), s.run(bound.value()));
    }
  }

  // ------------------------------------------------------------------------------------------------ at run time

  /**
   * Counted loops, rising and falling, of several steps and starts, int32 and int64, some of zero iterations: no
   * read, right values.
   */
  @Test
  @RequiresOpenCl
  void countedLoopsReadNothingAndMatchJava() {
    for (DType dtype : List.of(DType.INT32, DType.INT64)) {
      for (int trial = 0; trial < 6; trial++) {
        Graph g = new Graph();
        Ops t = Ops.create(g);
        boolean rising = trial % 2 == 0;
        long step = (1 + random.nextInt(3)) * (rising ? 1 : -1);
        long start = random.nextInt(9) - 4;
        long bound = random.nextInt(13) - 4;
        Output n = t.placeholder(dtype, Shape.scalar());
        Output s0 = t.placeholder(dtype, Shape.scalar());
        // rising: i < n, i + step; falling: i > n, i - |step|
        List<Output> out = t.control.whileLoop(
            v -> rising ? t.math.less(v.get(0), n) : t.math.greater(v.get(0), n),
            v -> List.of(rising ? t.math.add(v.get(0), t.math.cast(t.constant((int) step), dtype))
                    : t.math.sub(v.get(0), t.math.cast(t.constant((int) -step), dtype)),
                t.math.add(t.math.mul(v.get(1), t.constant(2f)), t.math.cast(v.get(0), DType.FLOAT32))),
            List.of(s0, t.constant(1f)));
        long i = start;
        float acc = 1f;
        while (rising ? i < bound : i > bound) {
          acc = acc * 2f + i;
          i += step;
        }
        try (OpenClSession s = (OpenClSession) Session.open(g, "opencl")) {
          long syncs = s.hostSyncCount();
          List<Tensor> r = s.runner().feed(n, scalar(dtype, bound)).feed(s0, scalar(dtype, start))
              .fetch(out.get(0)).fetch(out.get(1)).run();
          String what = dtype + " from " + start + " by " + step + " below " + bound + " (seed " + seed + ")";
          assertEquals(scalar(dtype, i), r.get(0), what);
          assertEquals(Tensor.scalar(acc), r.get(1), what);
          assertEquals(0, s.hostSyncCount() - syncs, what + ": host syncs");
        }
      }
    }
  }

  /** maximum_iterations below and above the cond's own bound: the smaller wins, with no read. */
  @Test
  @RequiresOpenCl
  void maximumIterationsBoundsACountedLoop() {
    Output n = tf.placeholder(DType.INT32, Shape.scalar());
    Output max = tf.placeholder(DType.INT32, Shape.scalar());
    List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), n),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1)), tf.math.add(v.get(1), tf.constant(1f))),
        List.of(tf.constant(0), tf.constant(0f)), ControlFlowOps.whileOptions().maximumIterations(max));
    try (OpenClSession s = open()) {
      for (int[] c : new int[][] {{5, 3}, {3, 5}, {4, 0}, {0, 4}}) {
        long syncs = s.hostSyncCount();
        Tensor r = s.runner().feed(n, Tensor.scalar(c[0])).feed(max, Tensor.scalar(c[1])).fetch(out.get(1)).run()
            .get(0);
        assertEquals(Tensor.scalar((float) Math.min(c[0], c[1])), r, "n " + c[0] + ", max " + c[1]);
        assertEquals(0, s.hostSyncCount() - syncs);
      }
    }
  }

  /** A loop whose bound the body lowers each iteration: not counted, it reads its predicate and stops in time. */
  @Test
  @RequiresOpenCl
  void aLoopWhoseBoundChangesReadsItsPredicate() {
    // (i, n) -> (i + 1, n - 1) while i < n: from (0, n0) it runs ceil(n0 / 2) times
    Output n0 = tf.placeholder(DType.INT32, Shape.scalar());
    List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), v.get(1)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1)), tf.math.sub(v.get(1), tf.constant(1))),
        List.of(tf.constant(0), n0));
    try (OpenClSession s = open()) {
      int start = 1 + random.nextInt(9);
      long syncs = s.hostSyncCount();
      Tensor r = s.runner().feed(n0, Tensor.scalar(start)).fetch(out.get(0)).run().get(0);
      int iterations = (start + 1) / 2;
      assertEquals(Tensor.scalar(iterations), r, "n0 = " + start);
      assertEquals(iterations + 1, s.hostSyncCount() - syncs, "one predicate read per cond evaluation");
    }
  }

  /**
   * Counters, and indices computed from them, index tensor lists without a read; a second counter, not compared, is
   * known on the host too.
   */
  @Test
  @RequiresOpenCl
  void countersIndexTensorListsWithoutReads() {
    int steps = 2 + random.nextInt(5);
    float[] x = new float[steps];
    for (int i = 0; i < steps; i++) {
      x[i] = random.nextInt(11) - 5;
    }
    Output xs = tf.placeholder(DType.FLOAT32, Shape.of(steps));
    Output inputs = tf.tensorList.fromTensor(xs);
    Output outputs = tf.tensorList.reserve(Shape.scalar(), tf.constant(2 * steps), DType.FLOAT32);
    // out[2i] = x[steps - 1 - i] * 3, indices steps - 1 - i (followed on the host) and j = 2i (a counter of step 2,
    // not compared)
    List<Output> loop = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(steps)), v -> {
      Output index = tf.math.sub(tf.constant(steps - 1), v.get(0));
      Output item = tf.tensorList.getItem(inputs, index, Shape.scalar(), DType.FLOAT32);
      return List.of(tf.math.add(v.get(0), tf.constant(1)), tf.math.add(v.get(1), tf.constant(2)),
          tf.tensorList.setItem(v.get(2), v.get(1), tf.math.mul(item, tf.constant(3f)), Shape.scalar()));
    }, List.of(tf.constant(0), tf.constant(0), outputs));
    Output stacked = tf.tensorList.stack(loop.get(2), Shape.scalar(), DType.FLOAT32, 2 * steps);
    float[] expected = new float[2 * steps];
    for (int i = 0; i < steps; i++) {
      expected[2 * i] = x[steps - 1 - i] * 3;
    }
    try (OpenClSession s = open()) {
      long syncs = s.hostSyncCount();
      assertEquals(Tensor.create(Shape.of(2 * steps), expected),
          s.runner().feed(xs, Tensor.create(Shape.of(steps), x)).fetch(stacked).run().get(0));
      assertEquals(0, s.hostSyncCount() - syncs);
    }
  }

  /**
   * The gradient of a loop ({@code v_{k+1} = v_k * x} for n steps: dy/dx = n v0 x^(n-1)): the forward loop and the
   * backward loop (counting down, reading the saved values at {@code iteration - 1}) both run without a read.
   */
  @Test
  @RequiresOpenCl
  void aLoopAndItsGradientReadNothing() {
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(2));
    Output v0 = tf.placeholder(DType.FLOAT32, Shape.of(2));
    Output n = tf.placeholder(DType.INT32, Shape.scalar());
    List<Output> out = loop(v -> tf.math.less(v.get(0), n),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1)), tf.math.mul(v.get(1), x)), List.of(tf.constant(0), v0));
    Output dx = tf.gradients(out.get(1), x).get(0).orElseThrow();
    int steps = 1 + random.nextInt(5);
    float[] xv = {0.5f + random.nextFloat(), -0.5f - random.nextFloat()};
    float[] v0v = {random.nextFloat(), -random.nextFloat()};
    try (OpenClSession s = open()) {
      long syncs = s.hostSyncCount();
      float[] got = s.runner().feed(x, Tensor.create(Shape.of(2), xv)).feed(v0, Tensor.create(Shape.of(2), v0v))
          .feed(n, Tensor.scalar(steps)).fetch(dx).run().get(0).toFloatArray();
      for (int k = 0; k < 2; k++) {
        double expected = steps * v0v[k] * Math.pow(xv[k], steps - 1);
        assertEquals(expected, got[k], 1e-5 * Math.max(1, Math.abs(expected)), "dx[" + k + "], seed " + seed);
      }
      assertEquals(0, s.hostSyncCount() - syncs, "neither loop reads anything back");
    }
  }

  /** A counted loop whose body fails a device check fails the run with that check's text and commits nothing. */
  @Test
  @RequiresOpenCl
  void aDeviceErrorInACountedLoopFailsTheRun() {
    Variable total = tf.state.variable(Tensor.scalar(0f));
    Output table = tf.constant(new float[] {1, 2, 3});
    List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(5)), v -> {
      Output item = tf.array.gather(table, v.get(0));
      Output added = tf.state.assignAdd(total, item);
      try (var c = tf.controlDependencies(added)) {
        return List.of(tf.math.add(v.get(0), tf.constant(1)));
      }
    }, List.of(tf.constant(0)));
    try (OpenClSession s = open()) {
      s.runTargets(total.initializer());
      var e = org.junit.jupiter.api.Assertions.assertThrows(dev.scopeflow.graph.RunException.class,
          () -> s.run(out.get(0)));
      assertEquals(dev.scopeflow.graph.RunException.Code.INVALID_ARGUMENT, e.code());
      assertTrue(e.getMessage().contains("indices"), e.getMessage());
      assertEquals(Tensor.scalar(0f), s.run(total.value()), "nothing committed");
    }
  }

  private List<Output> loop(Function<List<Output>, Output> cond, Function<List<Output>, List<Output>> body,
      List<Output> vars) {
    return tf.control.whileLoop(cond, body, vars);
  }

  private static Optional<CountedLoop> analyse(List<Output> loopOutputs) {
    Operation op = loopOutputs.get(0).op();
    assertEquals("While", op.type());
    return CountedLoop.of((Subgraph) op.requiredAttr("cond"), (Subgraph) op.requiredAttr("body"));
  }

  private OpenClSession open() {
    return (OpenClSession) Session.open(graph, "opencl");
  }

  private static Tensor scalar(DType dtype, long v) {
    return dtype == DType.INT64 ? Tensor.scalar(v) : Tensor.scalar((int) v);
  }
}
