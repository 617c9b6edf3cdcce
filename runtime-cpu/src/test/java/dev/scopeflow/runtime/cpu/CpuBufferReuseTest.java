package dev.scopeflow.runtime.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Runner;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.SessionOptions;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.LstmBlockGates;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reuse of intermediates' buffers never changes a result: training loops give bit-identical values with and
 * without it, and values that outlive their slot (fetched ones, aliases through Identity and Reshape, values written to
 * variables, loop-carried values) keep their contents while later steps and runs recycle other buffers of the very
 * same size.
 */
class CpuBufferReuseTest extends SeededTestBase {
  private final Graph g = new Graph();
  private final Ops tf = Ops.create(g);

  private static final SessionOptions NO_REUSE =
      SessionOptions.builder().set(CpuSession.BUFFER_REUSE_OPTION, "false").build();

  /** Uniform in [-1, 1). */
  private Tensor randomFloats(Shape shape) {
    float[] x = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat() * 2 - 1;
    }
    return Tensor.create(shape, x);
  }

  private Tensor randomMatrix(int rows, int cols) {
    return randomFloats(Shape.of(rows, cols));
  }

  private Tensor randomVector(int n) {
    return randomFloats(Shape.of(n));
  }

  /**
   * Fetched tensors kept beside copies of their contents as fetched, so that the end of a test can check that no
   * later step or run wrote into a buffer they still hold.
   */
  private final class KeptFetches {
    private final List<Tensor> kept = new ArrayList<>();
    private final List<float[]> copies = new ArrayList<>();

    void addAll(List<Tensor> fetched) {
      for (Tensor t : fetched) {
        kept.add(t);
        copies.add(t.toFloatArray());
      }
    }

    /** Asserts that every kept tensor still holds its contents; returns them in fetch order. */
    List<Tensor> assertUnchanged() {
      for (int i = 0; i < kept.size(); i++) {
        assertArrayEquals(copies.get(i), kept.get(i).toFloatArray(), "fetch " + i + " changed (seed " + seed + ")");
      }
      return kept;
    }
  }

  /** Runs {@code steps} training steps in a fresh session and returns every fetched value, in order. */
  private List<Tensor> train(SessionOptions options, int steps, Operation init, Operation update, Output... fetches) {
    List<Tensor> all = new ArrayList<>();
    try (Session s = Session.open(g, options)) {
      s.runTargets(init);
      for (int i = 0; i < steps; i++) {
        Runner r = s.runner().addTarget(update);
        for (Output f : fetches) {
          r.fetch(f);
        }
        all.addAll(r.run());
      }
    }
    return all;
  }

  private void assertBitIdentical(List<Tensor> expected, List<Tensor> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), "fetch " + i + " (seed " + seed + ")");
    }
  }

  @Test
  void aTrainingLoopGivesBitIdenticalResultsWithAndWithoutReuse() {
    Output x = tf.constant(randomMatrix(16, 8));
    Variable w = tf.state.variable(randomMatrix(8, 8));
    Output h = tf.nn.tanh(tf.linalg.matmul(x, w));
    Output h2 = tf.nn.tanh(tf.linalg.matmul(h, w));
    Output alias = tf.identity(h);
    Output flat = tf.array.reshape(h2, -1);
    Output loss = tf.math.reduceSum(tf.math.mul(h2, h2));
    Output grad = tf.gradients(loss, w).get(0).orElseThrow();
    Operation update = tf.state.assignSub(w, tf.math.mul(grad, tf.constant(0.01f))).op();
    Operation init = tf.state.globalVariablesInitializer();
    Output[] fetches = {loss, alias, flat, tf.state.readValue(w)};
    List<Tensor> reused = train(SessionOptions.defaults(), 25, init, update, fetches);
    assertBitIdentical(train(NO_REUSE, 25, init, update, fetches), reused);
  }

  /**
   * Kernels that write their outputs into recycled buffers (the fused LSTM op and its gradient with and without
   * peepholes, activations, BiasAdd, Softmax, Sum, ZerosLike) must overwrite or zero every element: stale contents of
   * last step's buffers of the same size would change the numbers.
   */
  @Test
  void pooledKernelOutputsGiveBitIdenticalResultsWithAndWithoutReuse() {
    int batch = 8;
    int cells = 4;
    Output x = tf.constant(randomMatrix(batch, 6));
    Output h0 = tf.constant(randomMatrix(batch, cells));
    Output cs0 = tf.constant(randomMatrix(batch, cells));
    Variable wx = tf.state.variable(randomMatrix(6, 4 * cells));
    Variable wh = tf.state.variable(randomMatrix(cells, 4 * cells));
    Variable b = tf.state.variable(randomVector(4 * cells));
    Variable wci = tf.state.variable(randomVector(cells));
    Variable wcf = tf.state.variable(randomVector(cells));
    Variable wco = tf.state.variable(randomVector(cells));
    Variable bias = tf.state.variable(randomVector(cells));
    LstmBlockGates first = tf.nn.lstmBlockGates(List.of(tf.linalg.matmul(x, wx), tf.linalg.matmul(h0, wh)), cs0, b,
        wci, wcf, wco, 1.0, 0.8, true);
    LstmBlockGates second = tf.nn.lstmBlockGates(List.of(tf.linalg.matmul(x, wx), tf.linalg.matmul(first.h(), wh)),
        first.cs(), b, wci, wcf, wco, 0.5, -1, false);
    Output probs = tf.nn.softmax(tf.nn.biasAdd(second.h(), bias));
    Output loss = tf.math.add(tf.math.reduceSum(tf.math.mul(probs, tf.nn.sigmoid(second.cs()))),
        tf.math.add(tf.math.reduceSum(tf.nn.relu(first.co()), 0), tf.math.reduceSum(tf.math.add(second.i(),
            tf.array.zerosLike(first.f())))));
    Output total = tf.math.reduceSum(loss);
    List<Variable> vars = List.of(wx, wh, b, wci, wcf, wco, bias);
    List<Operation> updates = new ArrayList<>();
    List<Output> fetches = new ArrayList<>(List.of(total, probs, first.h(), second.o()));
    List<java.util.Optional<Output>> grads = tf.gradients(List.of(total), vars);
    for (int i = 0; i < vars.size(); i++) {
      Output grad = grads.get(i).orElseThrow();
      fetches.add(grad);
      updates.add(tf.state.assignSub(vars.get(i), tf.math.mul(grad, tf.constant(0.01f))).op());
    }
    Operation update = tf.group(updates);
    Operation init = tf.state.globalVariablesInitializer();
    Output[] all = fetches.toArray(Output[]::new);
    List<Tensor> reused = train(SessionOptions.defaults(), 20, init, update, all);
    assertBitIdentical(train(NO_REUSE, 20, init, update, all), reused);
  }

  /**
   * An optimizer update's replaced {@code var}, {@code m}, {@code v} go back to the pool unless a run published them;
   * values fetched (the variables themselves, or the updates' outputs) or assigned to another variable must keep
   * their contents while later steps recycle the others, and the training must not change.
   */
  @Test
  void variableValuesReplacedByUpdatesAreRecycledOnlyWhenNoRunPublishedThem() {
    Output x = tf.constant(randomMatrix(8, 8));
    Variable w = tf.state.variable(randomMatrix(8, 8));
    Variable m = tf.state.variable(Tensor.create(Shape.of(8, 8), new float[64]));
    Variable v = tf.state.variable(Tensor.create(Shape.of(8, 8), new float[64]));
    Output h = tf.nn.tanh(tf.linalg.matmul(x, w));
    Output loss = tf.math.reduceSum(tf.math.mul(h, h));
    Output grad = tf.gradients(loss, w).get(0).orElseThrow();
    Output updated = tf.train.applyAdam(w, m, v, tf.constant(0.9f), tf.constant(0.999f), tf.constant(0.01f),
        tf.constant(0.9f), tf.constant(0.999f), tf.constant(1e-7f), grad);
    // A variable that only its update reads: its replaced values are recycled unless the update's output is fetched.
    Variable u = tf.state.variable(randomMatrix(8, 8));
    Output updatedU = tf.train.applyGradientDescent(u, tf.constant(0.1f), grad);
    // Assign shares the value's array: the snapshot must keep w's value after updates replace it.
    Variable snapshot = tf.state.variable(randomMatrix(8, 8));
    Operation takeSnapshot = tf.state.assign(snapshot, w).op();
    Operation init = tf.state.globalVariablesInitializer();
    List<Tensor> reused = trainKeepingSomeFetches(SessionOptions.defaults(), init, updated, updatedU, takeSnapshot,
        loss, w, m, v, snapshot);
    assertBitIdentical(trainKeepingSomeFetches(NO_REUSE, init, updated, updatedU, takeSnapshot, loss, w, m, v,
        snapshot), reused);
  }

  /**
   * 30 update steps; every seventh fetches {@code m}, {@code v} and the variable, every fifth the updates' outputs,
   * every ninth the snapshot (taken once, in a run of its own, after step 10),
   * the others fetch only the loss, so that most replaced values are unread. Fetched tensors are kept and checked
   * against copies of their contents at the end.
   */
  private List<Tensor> trainKeepingSomeFetches(SessionOptions options, Operation init, Output updated,
      Output updatedU, Operation takeSnapshot, Output loss, Variable w, Variable m, Variable v, Variable snapshot) {
    KeptFetches kept = new KeptFetches();
    try (Session s = Session.open(g, options)) {
      s.runTargets(init);
      for (int step = 0; step < 30; step++) {
        Runner r = s.runner();
        if (step % 5 == 0) {
          r.fetch(updated).fetch(updatedU);
        } else {
          r.addTarget(updated.op()).addTarget(updatedU.op()).fetch(loss);
        }
        if (step % 7 == 0) {
          r.fetch(m).fetch(v).fetch(w);
        }
        if (step == 10) {
          s.runTargets(takeSnapshot);
        }
        if (step % 9 == 0) {
          r.fetch(snapshot);
        }
        kept.addAll(r.run());
      }
    }
    return kept.assertUnchanged();
  }

  @Test
  void aLoopWithItsGradientGivesBitIdenticalResultsWithAndWithoutReuse() {
    Output x = tf.constant(randomMatrix(4, 6));
    Variable w = tf.state.variable(randomMatrix(6, 6));
    List<Output> loop = tf.control.whileLoop(l -> tf.math.less(l.get(0), tf.constant(5)),
        l -> List.of(tf.math.add(l.get(0), tf.constant(1)), tf.nn.tanh(tf.linalg.matmul(l.get(1), w))),
        List.of(tf.constant(0), x));
    Output loss = tf.math.reduceSum(tf.math.mul(loop.get(1), loop.get(1)));
    Output grad = tf.gradients(loss, w).get(0).orElseThrow();
    Operation update = tf.state.assignSub(w, tf.math.mul(grad, tf.constant(0.05f))).op();
    Operation init = tf.state.globalVariablesInitializer();
    Output[] fetches = {loss, loop.get(1), grad};
    List<Tensor> reused = train(SessionOptions.defaults(), 15, init, update, fetches);
    assertBitIdentical(train(NO_REUSE, 15, init, update, fetches), reused);
  }

  @Test
  void fetchedValuesAndTheirAliasesKeepTheirContentsWhileLaterRunsRecycleBuffers() {
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(32, 32));
    Output doubled = tf.math.mul(x, tf.constant(2f));
    Output alias = tf.identity(doubled);
    Output view = tf.array.reshape(tf.math.add(doubled, tf.constant(1f)), -1);
    // Same-sized intermediates after the aliased one: the candidates for its buffer once its own slot is released.
    Output later = tf.math.reduceSum(tf.math.mul(tf.math.add(doubled, x), tf.math.sub(x, doubled)));
    try (Session s = Session.open(g)) {
      List<List<Tensor>> kept = new ArrayList<>();
      List<Tensor> fed = new ArrayList<>();
      for (int run = 0; run < 6; run++) {
        Tensor in = randomMatrix(32, 32);
        fed.add(in);
        kept.add(s.runner().feed(x, in).fetch(alias).fetch(view).fetch(later).run());
      }
      for (int run = 0; run < kept.size(); run++) {
        float[] in = fed.get(run).toFloatArray();
        float[] expectedAlias = new float[in.length];
        float[] expectedView = new float[in.length];
        for (int i = 0; i < in.length; i++) {
          expectedAlias[i] = in[i] * 2f;
          expectedView[i] = in[i] * 2f + 1f;
        }
        assertArrayEquals(expectedAlias, kept.get(run).get(0).toFloatArray(), "run " + run + " (seed " + seed + ")");
        assertArrayEquals(expectedView, kept.get(run).get(1).toFloatArray(), "run " + run + " (seed " + seed + ")");
      }
    }
  }

  @Test
  void aValueWrittenToAVariableIsNeverRecycled() {
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(64));
    Variable v = tf.state.variable(Tensor.zeros(DType.FLOAT32, Shape.of(64)));
    Output assigned = tf.state.assign(v, tf.math.mul(x, tf.constant(3f)));
    Output churn = tf.math.reduceSum(tf.math.mul(tf.math.add(x, tf.constant(1f)), tf.math.sub(x, tf.constant(1f))));
    try (Session s = Session.open(g)) {
      s.runTargets(tf.state.globalVariablesInitializer());
      Tensor in = randomMatrix(1, 64);
      Tensor flat = Tensor.create(Shape.of(64), in.toFloatArray());
      s.runner().feed(x, flat).addTarget(assigned.op()).run();
      for (int run = 0; run < 5; run++) {
        s.runner().feed(x, Tensor.create(Shape.of(64), randomMatrix(1, 64).toFloatArray())).fetch(churn).run();
      }
      float[] expected = new float[64];
      for (int i = 0; i < 64; i++) {
        expected[i] = in.toFloatArray()[i] * 3f;
      }
      assertArrayEquals(expected, s.run(tf.state.readValue(v)).toFloatArray(), "seed " + seed);
    }
  }

  @Test
  void valuesStoredInTensorListsInsideALoopKeepTheirContents() {
    int steps = 6;
    Tensor xs = randomMatrix(steps, 16);
    Output inputs = tf.tensorList.fromTensor(tf.constant(xs));
    Output acc = tf.tensorList.empty(Shape.of(16), tf.constant(steps), DType.FLOAT32);
    List<Output> loop = tf.control.whileLoop(l -> tf.math.less(l.get(0), tf.constant(steps)), l -> {
      Output x = tf.tensorList.getItem(inputs, l.get(0), Shape.of(16), DType.FLOAT32);
      // x * x goes into the list; the same-sized churn after it would take its buffer if it were recycled.
      Output squared = tf.math.mul(x, x);
      Output churn = tf.math.add(tf.math.mul(x, tf.constant(5f)), tf.math.sub(x, tf.constant(7f)));
      return List.of(tf.math.add(l.get(0), tf.constant(1)), tf.tensorList.pushBack(l.get(1), squared),
          tf.math.reduceSum(churn));
    }, List.of(tf.constant(0), acc, tf.constant(0f)));
    Output stacked = tf.tensorList.stack(loop.get(1), Shape.of(16), DType.FLOAT32, steps);
    try (Session s = Session.open(g)) {
      float[] x = xs.toFloatArray();
      float[] expected = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        expected[i] = x[i] * x[i];
      }
      for (int run = 0; run < 3; run++) {
        assertArrayEquals(expected, s.run(stacked).toFloatArray(), "run " + run + " (seed " + seed + ")");
      }
    }
  }

  /**
   * At the end of a run every pool array it still holds goes back (tensor-list contents, loop-carried values, body
   * results), except fetched ones: values fetched from a loop and its gradient keep their contents while the next
   * runs take the returned arrays, and results equal those of a session without reuse.
   */
  @Test
  void fetchedLoopValuesKeepTheirContentsWhileLaterRunsTakeTheRunsArrays() {
    int steps = 5;
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(4, 8));
    Variable w = tf.state.variable(randomMatrix(8, 8));
    Output acc = tf.tensorList.empty(Shape.of(4, 8), tf.constant(steps), DType.FLOAT32);
    List<Output> loop = tf.control.whileLoop(l -> tf.math.less(l.get(0), tf.constant(steps)), l -> {
      Output h = tf.nn.tanh(tf.linalg.matmul(l.get(1), w));
      return List.of(tf.math.add(l.get(0), tf.constant(1)), h, tf.tensorList.pushBack(l.get(2), h));
    }, List.of(tf.constant(0), x, acc));
    Output stacked = tf.tensorList.stack(loop.get(2), Shape.of(4, 8), DType.FLOAT32, steps);
    Output loss = tf.math.reduceSum(tf.math.mul(stacked, stacked));
    Output grad = tf.gradients(loss, w).get(0).orElseThrow();
    Operation update = tf.state.assignSub(w, tf.math.mul(grad, tf.constant(0.01f))).op();
    Operation init = tf.state.globalVariablesInitializer();
    List<Tensor> feeds = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      feeds.add(randomMatrix(4, 8));
    }
    List<Tensor> reused = runLoop(SessionOptions.defaults(), init, update, x, feeds, loop.get(1), stacked, grad);
    assertBitIdentical(runLoop(NO_REUSE, init, update, x, feeds, loop.get(1), stacked, grad), reused);
  }

  private List<Tensor> runLoop(SessionOptions options, Operation init, Operation update, Output x, List<Tensor> feeds,
      Output... fetches) {
    KeptFetches kept = new KeptFetches();
    try (Session s = Session.open(g, options)) {
      s.runTargets(init);
      for (int i = 0; i < feeds.size(); i++) {
        Runner r = s.runner().feed(x, feeds.get(i)).addTarget(update);
        // Every other run fetches nothing, so that all its arrays go back to the pool.
        if (i % 2 == 0) {
          for (Output f : fetches) {
            r.fetch(f);
          }
        }
        kept.addAll(r.run());
      }
    }
    return kept.assertUnchanged();
  }

  @Test
  void theReuseOptionIsChecked() {
    SessionOptions bad = SessionOptions.builder().set(CpuSession.BUFFER_REUSE_OPTION, "sometimes").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Session.open(g, bad));
    assertEquals("Session option cpu.reuse_buffers must be true or false, got 'sometimes'", e.getMessage());
  }
}
