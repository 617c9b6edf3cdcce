package dev.scopeflow.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.scope.layers.Nest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused LSTM path (the {@code LSTMBlockGates} op, and under the rnn functions the input projection hoisted out of
 * the loop) against an independent float64 LSTM in plain loops ({@link LstmReference}, TF's formulas) and against
 * TF's composed graph ({@link LSTMCellBase#setFusedOpEnabled}{@code (false)}): forward values of every step's output
 * and the final state, and the gradients of a loss of both with respect to the inputs and every weight, for
 * BasicLSTMCell, LSTMCell with peepholes, a cell clip the values go beyond, a projection and a projection clip,
 * sharded kernels, and a MultiRNNCell, under static_rnn and dynamic_rnn with sequence lengths (rows that end early and
 * one of length 0). Random weights (including the bias) and inputs, fresh per test.
 */
class FusedLstmGoldenTest extends RnnGoldenTestBase {
  private static final int BATCH = 3;
  private static final int STEPS = 5;
  private static final int DEPTH = 4;
  private static final int[] LENGTHS = {STEPS, 2, 0};

  /** One rnn graph: batch-major outputs {@code [B, T, H]}, the final state's leaves, the cells with weights. */
  private record Built(Output outputs, List<Output> finalState, List<LSTMCellBase> layers) {}

  /** The cells of one scenario, fresh (a second call makes a second set). */
  private List<LSTMCellBase> cells(String scenario, DType dtype) {
    switch (scenario) {
      case "basic":
        return List.of(BasicLSTMCell.builder(graph, 5).forgetBias(0.7).dtype(dtype).build());
      case "full-lstm":
        return List.of(fullLstm(dtype, 4).build());
      case "sharded-lstm":
        return List.of(fullLstm(dtype, 4).numUnitShards(2).build());
      case "multi":
        return List.of(fullLstm(dtype, 4).build(), BasicLSTMCell.builder(graph, 3).dtype(dtype).build());
      default:
        throw new AssertionError(scenario);
    }
  }

  /** Peepholes, a small cell clip (the values exceed it), a projection and a projection clip. */
  private LSTMCell.Builder fullLstm(DType dtype, int units) {
    return LSTMCell.builder(graph, units).usePeepholes(true).cellClip(0.3).numProj(3).projClip(0.25).forgetBias(0.4)
        .dtype(dtype);
  }

  private Built build(String scenario, String rnn, DType dtype, Output x, boolean fused) {
    List<LSTMCellBase> layers = cells(scenario, dtype);
    for (LSTMCellBase c : layers) {
      c.setFusedOpEnabled(fused);
    }
    RNNCell cell = layers.size() == 1 ? layers.get(0) : new MultiRNNCell(layers);
    String scope = fused ? "fused" : "composed";
    Output outputs;
    Object finalState;
    switch (rnn) {
      case "dynamic": {
        Rnn.DynamicRnnResult r = Rnn.dynamicRnn(cell, x, Rnn.dynamicOptions().dtype(dtype).sequenceLength(LENGTHS)
            .scope(scope));
        outputs = r.output();
        finalState = r.finalState();
        break;
      }
      case "dynamic-time-major": {
        Output timeMajor = tf.array.transpose(x, new int[] {1, 0, 2});
        Rnn.DynamicRnnResult r = Rnn.dynamicRnn(cell, timeMajor, Rnn.dynamicOptions().dtype(dtype)
            .sequenceLength(LENGTHS).timeMajor(true).scope(scope));
        outputs = tf.array.transpose(r.output(), new int[] {1, 0, 2});
        finalState = r.finalState();
        break;
      }
      case "static": {
        Rnn.StaticRnnResult r = Rnn.staticRnn(cell, tf.array.unstack(x, 1), Rnn.staticOptions().dtype(dtype)
            .sequenceLength(LENGTHS).scope(scope));
        outputs = tf.array.stack(r.outputTensors(), 1);
        finalState = r.finalState();
        break;
      }
      default:
        throw new AssertionError(rnn);
    }
    List<Output> leaves = new ArrayList<>();
    for (Operand s : Nest.flattenOperands(finalState)) {
      leaves.add(s.asOutput());
    }
    return new Built(outputs, leaves, layers);
  }

  /** Random weights for a built cell, set in the session and returned for the reference. */
  private LstmReference.Weights randomWeights(LSTMCellBase cell, int depth) {
    int n = cell.numUnits();
    int proj = cell instanceof LSTMCell ? ((LSTMCell) cell).numProj().orElse(0) : 0;
    int h = proj > 0 ? proj : n;
    LstmReference.Weights w = new LstmReference.Weights(depth, n, proj, uniform((depth + h) * 4 * n, -1, 1),
        uniform(4 * n, -1, 1));
    w.forgetBias = cell.forgetBias();
    assign(cell.kernel(), w.kernel);
    assign(cell.bias(), w.bias);
    if (cell instanceof LSTMCell) {
      LSTMCell lstm = (LSTMCell) cell;
      w.cellClip = lstm.cellClip().orElse(null);
      if (proj > 0) {
        w.projClip = lstm.projClip().orElse(null);
        w.projection = uniform(n * proj, -1, 1);
        assign(lstm.projectionKernel().orElseThrow(), w.projection);
      }
      Optional<List<Operand>> peepholes = lstm.peepholes();
      if (peepholes.isPresent()) {
        w.wf = uniform(n, -1, 1);
        w.wi = uniform(n, -1, 1);
        w.wo = uniform(n, -1, 1);
        assign(peepholes.get().get(0), w.wf);
        assign(peepholes.get().get(1), w.wi);
        assign(peepholes.get().get(2), w.wo);
      }
    }
    return w;
  }

  /**
   * TF's rnn semantics over the reference step: zero initial states; row b's outputs at steps {@code t >= len[b]}
   * are zeros and its state is carried through. Values: the batch-major outputs, then each layer's final (c, m).
   */
  private static Reference reference(List<LstmReference.Weights> layers, double[] x) {
    boolean clipReached = false;
    int nl = layers.size();
    double[][] c = new double[nl][];
    double[][] m = new double[nl][];
    for (int l = 0; l < nl; l++) {
      c[l] = new double[BATCH * layers.get(l).units];
      m[l] = new double[BATCH * layers.get(l).outputWidth()];
    }
    int out = layers.get(nl - 1).outputWidth();
    double[] outputs = new double[BATCH * STEPS * out];
    for (int t = 0; t < STEPS; t++) {
      double[] input = new double[BATCH * DEPTH];
      for (int b = 0; b < BATCH; b++) {
        System.arraycopy(x, (b * STEPS + t) * DEPTH, input, b * DEPTH, DEPTH);
      }
      LstmReference.Step[] steps = new LstmReference.Step[nl];
      for (int l = 0; l < nl; l++) {
        steps[l] = LstmReference.step(layers.get(l), BATCH, input, c[l], m[l]);
        input = steps[l].m();
        Double clip = layers.get(l).cellClip;
        for (int b = 0; clip != null && b < BATCH; b++) {
          for (int u = 0; u < layers.get(l).units && t < LENGTHS[b]; u++) {
            clipReached |= Math.abs(steps[l].c()[b * layers.get(l).units + u]) == clip;
          }
        }
      }
      for (int b = 0; b < BATCH; b++) {
        if (t >= LENGTHS[b]) {
          continue; // zero output, state carried through
        }
        for (int l = 0; l < nl; l++) {
          int n = layers.get(l).units;
          int h = layers.get(l).outputWidth();
          System.arraycopy(steps[l].c(), b * n, c[l], b * n, n);
          System.arraycopy(steps[l].m(), b * h, m[l], b * h, h);
        }
        System.arraycopy(steps[nl - 1].m(), b * out, outputs, (b * STEPS + t) * out, out);
      }
    }
    List<double[]> r = new ArrayList<>();
    r.add(outputs);
    for (int l = 0; l < nl; l++) {
      r.add(c[l]);
      r.add(m[l]);
    }
    return new Reference(r, clipReached);
  }

  /** The reference's outputs and final states, and whether some computed cell state was clipped. */
  private record Reference(List<double[]> values, boolean cellClipReached) {}

  /** The loss the gradients are taken of: every output and every part of the final state contributes. */
  private Output loss(Built built) {
    Output total = tf.math.reduceSum(tf.math.square(built.outputs()));
    for (Output s : built.finalState()) {
      total = tf.math.add(total, tf.math.reduceSum(tf.nn.tanh(s)));
    }
    return total;
  }

  @ParameterizedTest
  @CsvSource({
      "basic, dynamic, FLOAT32", "basic, dynamic, FLOAT64", "basic, static, FLOAT32",
      "full-lstm, static, FLOAT64", "full-lstm, dynamic, FLOAT32", "full-lstm, dynamic-time-major, FLOAT64",
      "sharded-lstm, dynamic, FLOAT64", "sharded-lstm, static, FLOAT32",
      "multi, dynamic, FLOAT64", "multi, static, FLOAT32"})
  void fusedAndComposedMatchTheReferenceForwardAndBackward(String scenario, String rnn, DType dtype) {
    double[] xValues = uniform(BATCH * STEPS * DEPTH, -1.5, 1.5);
    Output x = constant(dtype, Shape.of(BATCH, STEPS, DEPTH), xValues);
    Built fused = build(scenario, rnn, dtype, x, true);
    Built composed = build(scenario, rnn, dtype, x, false);
    assertTrue(graph.operations().stream().anyMatch(op -> op.type().equals("LSTMBlockGates")), "fused op used");
    initializeVariables();
    List<LstmReference.Weights> weights = new ArrayList<>();
    int depth = DEPTH;
    for (int l = 0; l < fused.layers().size(); l++) {
      LstmReference.Weights w = randomWeights(fused.layers().get(l), depth);
      weights.add(w);
      copyWeights(fused.layers().get(l), composed.layers().get(l));
      depth = w.outputWidth();
    }
    Reference ref = reference(weights, xValues);
    List<double[]> expected = ref.values();
    if (!"basic".equals(scenario)) {
      // the values go beyond the cell clip: some step's c is clipped to +-0.3
      assertTrue(ref.cellClipReached(), "the cell clip applies (seed " + seed + ")");
    }
    double tol = dtype == DType.FLOAT32 ? 3e-5 : 1e-12;
    for (Built built : List.of(fused, composed)) {
      String what = (built == fused ? "fused " : "composed ") + scenario + " " + rnn + " " + dtype;
      List<Operand> fetches = new ArrayList<>();
      fetches.add(built.outputs());
      fetches.addAll(built.finalState());
      List<double[]> actual = fetch(fetches.toArray(new Operand[0]));
      assertEquals(Shape.of(BATCH, STEPS, weights.get(weights.size() - 1).outputWidth()), built.outputs().shape());
      for (int k = 0; k < expected.size(); k++) {
        assertAllClose(expected.get(k), actual.get(k), tol, what + (k == 0 ? " outputs" : " state leaf " + k));
      }
    }
    // gradients: the fused graph's against the composed graph's (each op's own gradient)
    List<Output> fusedGrads = gradients(fused, x);
    List<Output> composedGrads = gradients(composed, x);
    List<double[]> fg = fetch(fusedGrads.toArray(new Operand[0]));
    List<double[]> cg = fetch(composedGrads.toArray(new Operand[0]));
    double gradTol = dtype == DType.FLOAT32 ? 2e-4 : 1e-10;
    for (int k = 0; k < fg.size(); k++) {
      assertAllCloseRelative(cg.get(k), fg.get(k), gradTol, "gradient " + k + " (" + fusedGrads.get(k) + ") of "
          + scenario + " " + rnn + " " + dtype);
    }
  }

  /** d loss / d (x, every weight in order; a sharded kernel's shards are among the non-trainable weights, as in TF). */
  private List<Output> gradients(Built built, Output x) {
    List<Operand> xs = new ArrayList<>();
    xs.add(x);
    for (LSTMCellBase c : built.layers()) {
      xs.addAll(c.weights());
    }
    List<Output> r = new ArrayList<>();
    for (Optional<Output> g : tf.gradients(List.of(loss(built)), xs)) {
      r.add(g.orElseThrow());
    }
    return r;
  }

  /** Copies the session values of {@code from}'s weights into {@code to}'s (same structure). */
  private void copyWeights(LSTMCellBase from, LSTMCellBase to) {
    List<Operand> source = from.weights();
    List<Operand> target = to.weights();
    assertEquals(source.size(), target.size());
    for (int i = 0; i < source.size(); i++) {
      session().runTargets(tf.state.assign(target.get(i), source.get(i).asOutput()).op());
    }
  }

  /** {@code |e - a| <= tol * max(1, |e|)} element-wise. */
  private void assertAllCloseRelative(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      int k = i;
      assertTrue(Math.abs(expected[k] - actual[k]) <= tol * Math.max(1, Math.abs(expected[k])),
          () -> what + ": element " + k + " expected " + expected[k] + " but was " + actual[k] + " (seed " + seed
              + ")");
    }
  }
}
