package dev.scopeflow.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.ControlDependencies;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.ExecutionPlan;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.RunException;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.SessionOptions;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is specific to loops on the OpenCL runtime: no host read per iteration in a counted loop (see {@link
 * CountedLoopTest}), one otherwise (the predicate, which also brings back the loop counter so list indices cost
 * nothing), nested plans sharing the run's transaction and error checks,
 * reference counts of loop-carried buffers and lists, the writer lock of plans whose loop body writes, errors from
 * inside bodies, Assert, tensor lists and variant fetches. Expected values come from plain Java loops in the test.
 */
@RequiresOpenCl
class OpenClControlFlowTest {
  private Graph graph;
  private Ops tf;
  private long liveBefore;
  private long seed;
  private Random random;

  @BeforeEach
  void fresh() {
    graph = new Graph();
    tf = Ops.create(graph);
    liveBefore = OpenClRuntime.liveBufferCount();
    seed = System.nanoTime();
    random = new Random(seed);
  }

  @AfterEach
  void everyBufferIsReleased() {
    assertEquals(liveBefore, OpenClRuntime.liveBufferCount(), "closing the session released its buffers");
  }

  private OpenClSession open() {
    return (OpenClSession) Session.open(graph, "opencl");
  }

  /**
   * {@code i < n: (i, acc) -> (i + 1, acc * 3 + i)} for every numeric dtype of acc: a counted loop (its trip count is
   * known before it starts) reads nothing back; the same loop written {@code i <= n - 1}, which the counted-loop
   * analysis does not take, reads its predicate once per cond evaluation.
   */
  @Test
  void aCountedLoopReadsNothingAndAnOtherLoopOnlyItsPredicate() {
    for (boolean counted : new boolean[] {true, false}) {
      for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64)) {
        fresh();
        Output n = tf.placeholder(DType.INT32, Shape.scalar());
        Output acc0 = tf.placeholder(dtype, Shape.of(3));
        List<Output> out = tf.control.whileLoop(
            v -> counted ? tf.math.less(v.get(0), n) : tf.math.lessEqual(v.get(0), tf.math.sub(n, tf.constant(1))),
            v -> List.of(tf.math.add(v.get(0), tf.constant(1)),
                tf.math.add(tf.math.mul(v.get(1), constant(dtype, 3)), tf.math.cast(v.get(0), dtype))),
            List.of(tf.constant(0), acc0));
        int iterations = random.nextInt(12);
        double[] start = {random.nextInt(7) - 3, random.nextInt(7) - 3, random.nextInt(7) - 3};
        double[] expected = start.clone();
        for (int i = 0; i < iterations; i++) {
          for (int k = 0; k < 3; k++) {
            expected[k] = expected[k] * 3 + i;
          }
        }
        try (OpenClSession s = open()) {
          long syncs = s.hostSyncCount();
          List<Tensor> r = s.runner().feed(n, Tensor.scalar(iterations))
              .feed(acc0, Tensor.fromDoubles(dtype, Shape.of(3), start)).fetch(out.get(0)).fetch(out.get(1)).run();
          assertEquals(Tensor.scalar(iterations), r.get(0), dtype + " seed " + seed);
          assertEquals(Tensor.fromDoubles(dtype, Shape.of(3), expected), r.get(1), dtype + " seed " + seed);
          // otherwise, cond runs iterations + 1 times on the device; nothing else crosses to the host
          assertEquals(counted ? 0 : iterations + 1, s.hostSyncCount() - syncs, dtype + " host syncs");
        }
      }
    }
  }

  @Test
  void aLoopVariablePassedThroughAndACapturedTensorReturnedStayAlive() {
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(2));
    Output captured = tf.math.mul(x, tf.constant(2f));
    Output through = tf.math.add(tf.constant(new float[] {1, 2}), tf.constant(1f)); // a device tensor
    List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(5)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1)), v.get(1), captured, tf.math.add(v.get(3), v.get(1))),
        List.of(tf.constant(0), through, tf.constant(new float[] {0, 0}), tf.constant(new float[] {0, 0})));
    try (OpenClSession s = open()) {
      for (int run = 0; run < 3; run++) {
        float a = random.nextFloat();
        List<Tensor> r = s.runner().feed(x, Tensor.vector(a, -a)).fetch(out.get(1)).fetch(out.get(2))
            .fetch(out.get(3)).fetch(through).fetch(captured).run();
        assertEquals(Tensor.vector(2f, 3f), r.get(0));
        assertEquals(Tensor.vector(2 * a, -2 * a), r.get(1));
        assertEquals(Tensor.vector(10f, 15f), r.get(2));
        assertEquals(Tensor.vector(2f, 3f), r.get(3));
        assertEquals(Tensor.vector(2 * a, -2 * a), r.get(4));
      }
    }
  }

  @Test
  void aZeroIterationLoopOutputsItsInputs() {
    Output x = tf.placeholder(DType.INT64, Shape.of(2));
    List<Output> out = tf.control.whileLoop(v -> tf.constant(false), v -> List.of(tf.math.add(v.get(0), v.get(0))),
        List.of(x));
    try (OpenClSession s = open()) {
      assertEquals(Tensor.vector(3L, -4L), s.runner().feed(x, Tensor.vector(3L, -4L)).fetch(out.get(0)).run().get(0));
    }
  }

  /** A body reading a variable reads it in the run's transaction, after the body's own AssignAdd. */
  @Test
  void aBodyAssignAddsAVariableInTheRunsTransaction() {
    Variable total = tf.state.variable(Tensor.vector(0f, 0f));
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(2));
    Output n = tf.placeholder(DType.INT32, Shape.scalar());
    List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), n), v -> {
      Output added = tf.state.assignAdd(total, x);
      try (ControlDependencies c = tf.controlDependencies(added)) {
        // the variable as the body sees it after its update, summed over iterations
        return List.of(tf.math.add(v.get(0), tf.constant(1)), tf.math.add(v.get(1), tf.state.readValue(total)));
      }
    }, List.of(tf.constant(0), tf.constant(new float[] {0, 0})));
    try (OpenClSession s = open()) {
      s.runTargets(total.initializer());
      float a = random.nextInt(9) - 4;
      float b = random.nextInt(9) - 4;
      Tensor r = s.runner().feed(x, Tensor.vector(a, b)).feed(n, Tensor.scalar(4)).fetch(out.get(1)).run().get(0);
      assertEquals(Tensor.vector(10 * a, 10 * b), r, "1+2+3+4 times x, seed " + seed); // exact: small integers
      assertEquals(Tensor.vector(4 * a, 4 * b), s.run(total.value()));
      assertTrue(planOf(s, out.get(1), x, n).writesVariables(), "a plan whose loop body assigns takes the writer "
          + "lock");
      assertFalse(planOf(s, total.value()).writesVariables());
    }
  }

  @Test
  void aNestedLoopBodyThatWritesMakesTheOuterStepAWriter() {
    Variable v = tf.state.variable(Tensor.scalar(0));
    List<Output> outer = tf.control.whileLoop(o -> tf.math.less(o.get(0), tf.constant(3)), o -> {
      List<Output> inner = tf.control.whileLoop(i -> tf.math.less(i.get(0), tf.constant(4)), i -> {
        Output added = tf.state.assignAdd(v, tf.math.mul(o.get(0), i.get(0)));
        try (ControlDependencies c = tf.controlDependencies(added)) {
          return List.of(tf.math.add(i.get(0), tf.constant(1)));
        }
      }, List.of(tf.constant(0)));
      return List.of(tf.math.add(o.get(0), tf.constant(1)), tf.math.add(o.get(1), inner.get(0)));
    }, List.of(tf.constant(0), tf.constant(0)));
    try (OpenClSession s = open()) {
      s.runTargets(v.initializer());
      assertTrue(planOf(s, outer.get(1)).writesVariables());
      assertEquals(Tensor.scalar(12), s.run(outer.get(1)));
      assertEquals(Tensor.scalar((0 + 1 + 2) * (0 + 1 + 2 + 3)), s.run(v.value()));
    }
  }

  /** Concurrent runs of a loop that AssignAdds lose no update: the plan is a writer. */
  @Test
  void concurrentLoopsThatAssignAddLoseNoUpdate() throws Exception {
    Variable total = tf.state.variable(Tensor.scalar(0L));
    List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(5)), v -> {
      Output added = tf.state.assignAdd(total, tf.constant(1L));
      try (ControlDependencies c = tf.controlDependencies(added)) {
        return List.of(tf.math.add(v.get(0), tf.constant(1)));
      }
    }, List.of(tf.constant(0)));
    try (OpenClSession s = open()) {
      s.runTargets(total.initializer());
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          done.add(pool.submit(() -> {
            for (int i = 0; i < 20; i++) {
              s.run(out.get(0));
            }
          }));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(Tensor.scalar(4L * 20 * 5), s.run(total.value()));
    }
  }

  @Test
  void nestedLoopsAgreeWithJava() {
    Output rows = tf.placeholder(DType.INT32, Shape.scalar());
    Output cols = tf.placeholder(DType.INT32, Shape.scalar());
    List<Output> out = tf.control.whileLoop(o -> tf.math.less(o.get(0), rows), o -> {
      List<Output> inner = tf.control.whileLoop(i -> tf.math.less(i.get(0), cols),
          i -> List.of(tf.math.add(i.get(0), tf.constant(1)),
              tf.math.add(i.get(1), tf.math.add(tf.math.mul(o.get(0), tf.constant(10)), i.get(0)))),
          List.of(tf.constant(0), o.get(1)));
      return List.of(tf.math.add(o.get(0), tf.constant(1)), inner.get(1));
    }, List.of(tf.constant(0), tf.constant(0)));
    try (OpenClSession s = open()) {
      for (int run = 0; run < 3; run++) {
        int r = random.nextInt(5);
        int c = random.nextInt(5);
        int expected = 0;
        for (int i = 0; i < r; i++) {
          for (int j = 0; j < c; j++) {
            expected += 10 * i + j;
          }
        }
        assertEquals(Tensor.scalar(expected), s.runner().feed(rows, Tensor.scalar(r)).feed(cols, Tensor.scalar(c))
            .fetch(out.get(1)).run().get(0), r + "x" + c);
      }
    }
  }

  /** A list read and written in a loop over a random [T, B, D] tensor, for every dtype; indices cost no sync. */
  @Test
  void tensorListsReadWriteAndStackInALoop() {
    for (DType dtype : DType.dataTypes()) {
      fresh();
      int steps = 1 + random.nextInt(6);
      int batch = 1 + random.nextInt(3);
      int depth = 1 + random.nextInt(4);
      Output xs = tf.placeholder(dtype, Shape.of(-1, batch, depth));
      Output inputs = tf.tensorList.fromTensor(xs);
      Output outputs = tf.tensorList.reserve(Shape.of(batch, depth), tf.constant(steps), dtype);
      Shape element = Shape.of(batch, depth);
      // out[t] = in[T - 1 - t]: reversal moves every element to another index
      List<Output> loop = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(steps)), v -> {
        Output item = tf.tensorList.getItem(inputs, tf.math.sub(tf.constant(steps - 1), v.get(0)), element, dtype);
        return List.of(tf.math.add(v.get(0), tf.constant(1)), tf.tensorList.setItem(v.get(1), v.get(0), item,
            element));
      }, List.of(tf.constant(0), outputs));
      Output stacked = tf.tensorList.stack(loop.get(1), element, dtype, steps);
      Output length = tf.tensorList.length(loop.get(1));
      Tensor x = randomTensor(dtype, Shape.of(steps, batch, depth));
      double[] xv = x.asDoubles();
      int slice = batch * depth;
      double[] expected = new double[xv.length];
      for (int t = 0; t < steps; t++) {
        System.arraycopy(xv, (steps - 1 - t) * slice, expected, t * slice, slice);
      }
      try (OpenClSession s = open()) {
        long syncs = s.hostSyncCount();
        List<Tensor> r = s.runner().feed(xs, x).fetch(stacked).fetch(length).run();
        assertEquals(Tensor.fromDoubles(dtype, Shape.of(steps, batch, depth), expected), r.get(0), dtype + " seed "
            + seed);
        assertEquals(Tensor.scalar(steps), r.get(1));
        // a counted loop reads no predicate, and the index steps - 1 - i is followed on the host (HostScalars)
        assertEquals(0, s.hostSyncCount() - syncs, dtype + " host syncs");
      }
    }
  }

  @Test
  void listIndicesThatAreTheLoopCounterCostNoSync() {
    Output xs = tf.placeholder(DType.FLOAT32, Shape.of(4, 2));
    Output inputs = tf.tensorList.fromTensor(xs);
    Output acc = tf.tensorList.reserve(Shape.of(2), tf.constant(4), DType.FLOAT32);
    List<Output> loop = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(4)), v -> {
      Output item = tf.tensorList.getItem(inputs, v.get(0), Shape.of(2), DType.FLOAT32);
      return List.of(tf.math.add(v.get(0), tf.constant(1)),
          tf.tensorList.setItem(v.get(1), v.get(0), tf.math.mul(item, item), Shape.of(2)));
    }, List.of(tf.constant(0), acc));
    Output stacked = tf.tensorList.stack(loop.get(1), Shape.of(2), DType.FLOAT32, 4);
    float[] x = new float[8];
    float[] expected = new float[8];
    for (int i = 0; i < 8; i++) {
      x[i] = random.nextInt(11) - 5;
      expected[i] = x[i] * x[i];
    }
    try (OpenClSession s = open()) {
      long syncs = s.hostSyncCount();
      assertEquals(Tensor.create(Shape.of(4, 2), expected),
          s.runner().feed(xs, Tensor.create(Shape.of(4, 2), x)).fetch(stacked).run().get(0));
      assertEquals(0, s.hostSyncCount() - syncs, "a counted loop: no predicate read, the counter known on the host");
    }
  }

  @Test
  void unsetElementsReadAndStackAsZeros() {
    for (DType dtype : DType.dataTypes()) {
      fresh();
      Output list = tf.tensorList.reserve(Shape.of(-1, 2), tf.constant(4), dtype);
      Tensor item = randomTensor(dtype, Shape.of(3, 2));
      Output set = tf.tensorList.setItem(list, tf.constant(2), tf.constant(item), Shape.of(-1, 2));
      Output stacked = tf.tensorList.stack(set, Shape.of(-1, 2), dtype, -1);
      Output unset = tf.tensorList.getItem(set, tf.constant(0), Shape.of(-1, 2), dtype);
      Output same = tf.tensorList.getItem(set, tf.constant(2), Shape.of(-1, 2), dtype);
      double[] expected = new double[4 * 6];
      System.arraycopy(item.asDoubles(), 0, expected, 12, 6);
      try (OpenClSession s = open()) {
        List<Tensor> r = s.runner().fetch(stacked).fetch(unset).fetch(same).run();
        assertEquals(Tensor.fromDoubles(dtype, Shape.of(4, 3, 2), expected), r.get(0), dtype.toString());
        assertEquals(Tensor.zeros(dtype, Shape.of(3, 2)), r.get(1));
        assertEquals(item, r.get(2));
      }
    }
  }

  @Test
  void anEmptyListOfPartialShapeCannotBeStacked() {
    Output list = tf.tensorList.reserve(Shape.of(-1, 2), tf.constant(3), DType.FLOAT32);
    Output stacked = tf.tensorList.stack(list, Shape.of(-1, 2), DType.FLOAT32, -1);
    try (OpenClSession s = open()) {
      RunException e = assertThrows(RunException.class, () -> s.run(stacked));
      assertEquals(RunException.Code.INVALID_ARGUMENT, e.code());
      assertTrue(e.getMessage().startsWith("Tried to stack elements of an empty list with non-fully-defined "
          + "element_shape: [?,2]"), e.getMessage());
    }
  }

  @Test
  void listIndexErrorsUseTheSharedTexts() {
    Output list = tf.tensorList.fromTensor(tf.constant(new float[][] {{1, 2}, {3, 4}}));
    Output i = tf.placeholder(DType.INT32, Shape.scalar());
    Output get = tf.tensorList.getItem(list, i, Shape.of(2), DType.FLOAT32);
    Output set = tf.tensorList.setItem(list, i, tf.constant(new float[] {0, 0}), Shape.of(2));
    Output setLength = tf.tensorList.length(set);
    try (OpenClSession s = open()) {
      RunException e = assertThrows(RunException.class, () -> s.runner().feed(i, Tensor.scalar(2)).fetch(get).run());
      assertTrue(e.getMessage().startsWith("Trying to access element 2 in a list with 2 elements."), e.getMessage());
      assertEquals("TensorListGetItem", e.op().orElseThrow().type());
      e = assertThrows(RunException.class, () -> s.runner().feed(i, Tensor.scalar(-1)).fetch(setLength).run());
      assertTrue(e.getMessage().startsWith("Trying to modify element -1 in a list with 2 elements."),
          e.getMessage());
      assertEquals(Tensor.scalar(2), s.runner().feed(i, Tensor.scalar(1)).fetch(setLength).run().get(0));
    }
  }

  @Test
  void aVariantTensorCannotBeFetched() {
    Output list = tf.tensorList.reserve(Shape.of(2), tf.constant(3), DType.FLOAT32);
    try (OpenClSession s = open()) {
      TfValueError e = assertThrows(TfValueError.class, () -> s.run(list));
      assertTrue(e.getMessage().startsWith("Cannot fetch Tensor 'TensorListReserve:0': a variant tensor"),
          e.getMessage());
    }
  }

  /** A body kernel failing on the device fails the run naming it; the body's variable writes are dropped. */
  @Test
  void aDeviceErrorInABodyFailsTheRunNamingTheInnerOpAndCommitsNothing() {
    Variable total = tf.state.variable(Tensor.scalar(0f));
    Output table = tf.constant(new float[] {1, 2, 3});
    List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(6)), v -> {
      // index i goes out of range at i = 3; the gather reports it on the device
      Output g = tf.withName("inner_gather").array.gather(table, v.get(0));
      Output added = tf.state.assignAdd(total, g);
      try (ControlDependencies c = tf.controlDependencies(added)) {
        return List.of(tf.math.add(v.get(0), tf.constant(1)));
      }
    }, List.of(tf.constant(0)));
    try (OpenClSession s = open()) {
      s.runTargets(total.initializer());
      RunException e = assertThrows(RunException.class, () -> s.run(out.get(0)));
      assertEquals(RunException.Code.INVALID_ARGUMENT, e.code());
      assertEquals("inner_gather", e.op().orElseThrow().name().replaceAll(".*/", ""), e.getMessage());
      assertTrue(e.getMessage().contains("3"), e.getMessage());
      assertEquals(Tensor.scalar(0f), s.run(total.value()), "the loop's AssignAdds were not committed");
    }
  }

  @Test
  void aHostSideErrorInABodyFailsTheRunNamingTheInnerOp() {
    Output list = tf.tensorList.fromTensor(tf.constant(new float[][] {{1}, {2}}));
    List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(5)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1)),
            tf.math.add(v.get(1), tf.tensorList.getItem(list, v.get(0), Shape.of(1), DType.FLOAT32))),
        List.of(tf.constant(0), tf.constant(new float[] {0})));
    try (OpenClSession s = open()) {
      RunException e = assertThrows(RunException.class, () -> s.run(out.get(1)));
      assertTrue(e.getMessage().startsWith("Trying to access element 2 in a list with 2 elements."), e.getMessage());
      assertEquals("TensorListGetItem", e.op().orElseThrow().type());
      assertTrue(e.op().orElseThrow().subgraph().isPresent(), "the op inside the body is named");
    }
  }

  /**
   * The predicate read finding the queue dead fails the run, commits nothing and replaces the queue ({@code i <= 2}:
   * not a counted loop, so it reads its predicate).
   */
  @Test
  void aDeadQueueAtAPredicateReadFailsTheRunAndTheNextRunWorks() {
    Variable total = tf.state.variable(Tensor.scalar(0));
    List<Output> out = tf.control.whileLoop(v -> tf.math.lessEqual(v.get(0), tf.constant(2)), v -> {
      Output added = tf.state.assignAdd(total, tf.constant(1));
      try (ControlDependencies c = tf.controlDependencies(added)) {
        return List.of(tf.math.add(v.get(0), tf.constant(1)));
      }
    }, List.of(tf.constant(0)));
    try (OpenClSession s = open()) {
      s.runTargets(total.initializer());
      try {
        ClFaults.arm(ClFaults.Site.FINISH, org.jocl.CL.CL_INVALID_COMMAND_QUEUE, 1);
        RunException e = assertThrows(RunException.class, () -> s.run(out.get(0)));
        assertEquals(RunException.Code.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("the command queue was recreated"), e.getMessage());
        assertEquals("While", e.op().orElseThrow().type());
      } finally {
        ClFaults.clear();
      }
      assertEquals(Tensor.scalar(0), s.run(total.value()));
      assertEquals(Tensor.scalar(3), s.run(out.get(0)));
      assertEquals(Tensor.scalar(3), s.run(total.value()));
    }
  }

  @Test
  void assertPassesSilentlyAndFailsWithItsData() {
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(4));
    Output positive = tf.math.less(tf.constant(0f), tf.array.gather(x, tf.constant(0)));
    Operation check = tf.control.assertThat(positive, List.of("x[0] must be positive, x = ", x), 3);
    try (OpenClSession s = open()) {
      s.runner().feed(x, Tensor.vector(1f, 2f, 3f, 4f)).addTarget(check).run();
      RunException e = assertThrows(RunException.class,
          () -> s.runner().feed(x, Tensor.vector(-1f, 2.5f, 3f, 4f)).addTarget(check).run());
      assertEquals(RunException.Code.INVALID_ARGUMENT, e.code());
      assertTrue(e.getMessage().startsWith("assertion failed: [x[0] must be positive, x = ] [-1 2.5 3...]"),
          e.getMessage());
    }
  }

  @Test
  void anAssertInALoopBodyStopsTheLoop() {
    Variable total = tf.state.variable(Tensor.scalar(0));
    List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(10)), v -> {
      Operation check = tf.control.assertThat(tf.math.less(v.get(0), tf.constant(4)), List.of("i = ", v.get(0)));
      Output added = tf.state.assignAdd(total, tf.constant(1));
      try (ControlDependencies c = tf.controlDependencies(check, added)) {
        return List.of(tf.math.add(v.get(0), tf.constant(1)));
      }
    }, List.of(tf.constant(0)));
    try (OpenClSession s = open()) {
      s.runTargets(total.initializer());
      RunException e = assertThrows(RunException.class, () -> s.run(out.get(0)));
      assertTrue(e.getMessage().startsWith("assertion failed: [i = ] [4]"), e.getMessage());
      assertEquals("Assert", e.op().orElseThrow().type());
      assertEquals(Tensor.scalar(0), s.run(total.value()));
    }
  }

  /** Lists only move bytes: a float64 list loop runs without fp64, a float64 body with arithmetic is refused. */
  @Test
  void float64BodiesAreCheckedWhenTheStepCompiles() {
    Output xs = tf.constant(Tensor.create(Shape.of(3, 2), new double[] {1, 2, 3, 4, 5, 6}));
    Output list = tf.tensorList.fromTensor(xs);
    Output acc = tf.tensorList.reserve(Shape.of(2), tf.constant(3), DType.FLOAT64);
    List<Output> copyLoop = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(3)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1)), tf.tensorList.setItem(v.get(1), v.get(0),
            tf.tensorList.getItem(list, v.get(0), Shape.of(2), DType.FLOAT64), Shape.of(2))),
        List.of(tf.constant(0), acc));
    Output copied = tf.tensorList.stack(copyLoop.get(1), Shape.of(2), DType.FLOAT64, 3);
    List<Output> mathLoop = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(3)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1)), tf.math.add(v.get(1), tf.constant(1.0))),
        List.of(tf.constant(0), tf.constant(0.0)));
    try (Session s = Session.open(graph, SessionOptions.builder().runtime("opencl")
        .set(OpenClSession.DISABLE_FP64, "true").build())) {
      assertEquals(Tensor.create(Shape.of(3, 2), new double[] {1, 2, 3, 4, 5, 6}), s.run(copied));
      RunException e = assertThrows(RunException.class, () -> s.run(mathLoop.get(1)));
      assertEquals(RunException.Code.UNIMPLEMENTED, e.code());
      assertTrue(e.getMessage().contains("needs float64"), e.getMessage());
    }
  }

  @Test
  void bodiesCompileOncePerSession() {
    List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(3)),
        v -> List.of(tf.math.add(v.get(0), tf.constant(1))), List.of(tf.constant(0)));
    Operation loop = out.get(0).op();
    try (OpenClSession s = open()) {
      s.run(out.get(0));
      OpenClPlan body = s.bodyPlan((dev.scopeflow.graph.Subgraph) loop.requiredAttr("body"));
      s.run(out.get(0));
      assertTrue(body == s.bodyPlan((dev.scopeflow.graph.Subgraph) loop.requiredAttr("body")));
      assertEquals(1, s.metrics().planCompilations());
    }
  }

  private static OpenClPlan planOf(OpenClSession s, Output fetch, Output... feeds) {
    return s.compile(new ExecutionPlan.Key(List.of(feeds), List.of(fetch), List.of()));
  }

  private Output constant(DType dtype, double value) {
    return tf.constant(Tensor.fromDoubles(dtype, Shape.scalar(), new double[] {value}));
  }

  private Tensor randomTensor(DType dtype, Shape shape) {
    double[] v = new double[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = dtype == DType.BOOL ? random.nextInt(2) : dtype.isFloating() ? random.nextGaussian()
          : random.nextInt(2001) - 1000;
    }
    return Tensor.fromDoubles(dtype, shape, v);
  }
}
