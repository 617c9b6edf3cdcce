package dev.scopeflow.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.rnn.BasicLSTMCell;
import dev.scopeflow.rnn.LSTMStateTuple;
import dev.scopeflow.rnn.Rnn;
import dev.scopeflow.train.AdamOptimizer;
import dev.scopeflow.train.Saver;
import dev.scopeflow.train.TrainingUtil;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Saver against real TensorFlow: a BasicLSTMCell's variables written by TF's SaveV2 restore into the same graph
 * built with ScopeFlow, whose cell then computes what an independent float64 LSTM computes from those values; and a
 * ScopeFlow Saver checkpoint (cell, Adam slots, beta powers, global step) reads back in TF's RestoreV2 unchanged.
 */
class SaverLstmInteropTest {
  private static final int INPUT = 3;
  private static final int UNITS = 5;
  private static final int BATCH = 2;
  private static final int STEPS = 4;

  @TempDir Path dir;
  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);

  @Test
  void tensorFlowCheckpointRestoresIntoScopeFlowsLstm() throws Exception {
    double[] kernel = uniform((INPUT + UNITS) * 4 * UNITS, -0.5, 0.5);
    double[] bias = uniform(4 * UNITS, -0.5, 0.5);
    Map<String, Tensor> saved = new LinkedHashMap<>();
    saved.put("rnn/basic_lstm_cell/bias", Tensor.fromDoubles(DType.FLOAT32, Shape.of(4 * UNITS), bias));
    saved.put("rnn/basic_lstm_cell/kernel",
        Tensor.fromDoubles(DType.FLOAT32, Shape.of(INPUT + UNITS, 4 * UNITS), kernel));
    saved.put("global_step", Tensor.scalar(1234L));
    Path prefix = dir.resolve("tf/model.ckpt-1234");
    TfInterop.save(prefix, saved);

    Graph graph = new Graph();
    Ops tf = Ops.create(graph);
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(BATCH, STEPS, INPUT));
    Rnn.DynamicRnnResult r = Rnn.dynamicRnn(new BasicLSTMCell(graph, UNITS), x, DType.FLOAT32);
    LSTMStateTuple<Output> state = r.finalLstmState();
    Saver saver = Saver.create(graph);
    double[] input = uniform(BATCH * STEPS * INPUT, -1, 1);
    try (Session session = Session.open(graph, "cpu")) {
      saver.restore(session, prefix.toString());
      List<Tensor> out = session.runner().feed(x, Tensor.fromDoubles(DType.FLOAT32, Shape.of(BATCH, STEPS, INPUT),
          input)).fetch(r.output()).fetch(state.c()).fetch(state.h()).run();

      // The checkpoint's values as float32 (what the variables hold), then an LSTM in float64 loops.
      double[] k = saved.get("rnn/basic_lstm_cell/kernel").asDoubles();
      double[] b = saved.get("rnn/basic_lstm_cell/bias").asDoubles();
      double[] xs = Tensor.fromDoubles(DType.FLOAT32, Shape.of(BATCH * STEPS * INPUT), input).asDoubles();
      double[] c = new double[BATCH * UNITS];
      double[] h = new double[BATCH * UNITS];
      double[] outputs = new double[BATCH * STEPS * UNITS];
      for (int t = 0; t < STEPS; t++) {
        double[] newC = new double[c.length];
        double[] newH = new double[h.length];
        for (int n = 0; n < BATCH; n++) {
          double[] z = b.clone(); // [x, h] @ kernel + bias, gates i, j, f, o
          for (int row = 0; row < INPUT + UNITS; row++) {
            double v = row < INPUT ? xs[(n * STEPS + t) * INPUT + row] : h[n * UNITS + row - INPUT];
            for (int col = 0; col < 4 * UNITS; col++) {
              z[col] += v * k[row * 4 * UNITS + col];
            }
          }
          for (int u = 0; u < UNITS; u++) {
            double i = sigmoid(z[u]);
            double j = Math.tanh(z[UNITS + u]);
            double f = sigmoid(z[2 * UNITS + u] + 1.0); // forget_bias 1.0
            double o = sigmoid(z[3 * UNITS + u]);
            newC[n * UNITS + u] = c[n * UNITS + u] * f + i * j;
            newH[n * UNITS + u] = Math.tanh(newC[n * UNITS + u]) * o;
            outputs[(n * STEPS + t) * UNITS + u] = newH[n * UNITS + u];
          }
        }
        c = newC;
        h = newH;
      }
      assertClose(outputs, out.get(0), "outputs");
      assertClose(c, out.get(1), "final c");
      assertClose(h, out.get(2), "final h");
    }
  }

  @Test
  void scopeFlowSaverCheckpointReadsInTensorFlow() throws Exception {
    Graph graph = new Graph();
    Ops tf = Ops.create(graph);
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(BATCH, STEPS, INPUT));
    Rnn.DynamicRnnResult r = Rnn.dynamicRnn(new BasicLSTMCell(graph, UNITS), x, DType.FLOAT32);
    Output loss = tf.math.reduceSum(tf.math.square(r.output()));
    Operation train = new AdamOptimizer(0.01).minimize(loss, TrainingUtil.getOrCreateGlobalStep(graph));
    Saver saver = Saver.create(graph);
    List<Variable> vars = tf.state.globalVariables();
    Map<String, Tensor> values = new LinkedHashMap<>();
    String prefix;
    try (Session session = Session.open(graph, "cpu")) {
      session.runTargets(tf.state.globalVariablesInitializer());
      Tensor input = Tensor.fromDoubles(DType.FLOAT32, Shape.of(BATCH, STEPS, INPUT), uniform(24, -1, 1));
      for (int i = 0; i < 3; i++) {
        session.runner().feed(x, input).addTarget(train).run();
      }
      prefix = saver.save(session, dir.resolve("sf/model.ckpt").toString(), TrainingUtil.getOrCreateGlobalStep(graph));
      for (Variable v : vars) {
        values.put(v.op().name(), session.run(v));
      }
    }
    assertTrue(prefix.endsWith("model.ckpt-3"), prefix);
    assertEquals(List.of("beta1_power", "beta2_power", "global_step", "rnn/basic_lstm_cell/bias",
        "rnn/basic_lstm_cell/bias/Adam", "rnn/basic_lstm_cell/bias/Adam_1", "rnn/basic_lstm_cell/kernel",
        "rnn/basic_lstm_cell/kernel/Adam", "rnn/basic_lstm_cell/kernel/Adam_1"),
        values.keySet().stream().sorted().toList());
    Map<String, DType> dtypes = new LinkedHashMap<>();
    values.forEach((k, v) -> dtypes.put(k, v.dtype()));
    Map<String, Tensor> readByTf = TfInterop.restore(Path.of(prefix), dtypes);
    for (String k : values.keySet()) {
      assertEquals(values.get(k).shape(), readByTf.get(k).shape(), k);
      BundleRoundTripTest.assertSameElements(values.get(k), readByTf.get(k));
    }
    assertEquals(3L, readByTf.get("global_step").longValue());
  }

  private void assertClose(double[] expected, Tensor actual, String what) {
    double[] a = actual.asDoubles();
    assertEquals(expected.length, a.length, what);
    for (int i = 0; i < a.length; i++) {
      double tol = 1e-5 * Math.max(1, Math.abs(expected[i]));
      assertTrue(Math.abs(expected[i] - a[i]) <= tol,
          what + "[" + i + "]: expected " + expected[i] + " got " + a[i] + " (seed " + seed + ")");
    }
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  private double[] uniform(int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + (hi - lo) * random.nextDouble();
    }
    return v;
  }
}
