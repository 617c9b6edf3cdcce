package dev.scopeflow.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.RunException;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Gradients;
import dev.scopeflow.ops.LstmBlockGates;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.defs.NnDefs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The fused LSTM gates {@code LSTMBlockGates} and their gradient {@code LSTMBlockGatesGrad}: outputs against a
 * float64 reference computed here with plain loops (with and without peepholes and cell clip, one or two gate
 * inputs, float32 and float64, a batch of 1, odd cell sizes, a batch large enough to be split over cores), gradient
 * checks of every input (clipped cases kept away from the clip bounds), agreement with the composed graph of
 * sigmoid/tanh/clip ops in values and gradients, and the run-time shape checks.
 */
public class NnLstmBlockConformanceTest extends ConformanceTestBase {
  /**
   * The inputs of one call, as float64 values (representable in the case's dtype) for the reference, and the
   * attributes. {@code cellClip <= 0} means no clip.
   */
  private record Case(DType dtype, int batch, int cells, double forgetBias, double cellClip, boolean peephole,
      double[][] gates, double[] csPrev, double[] b, double[] wci, double[] wcf, double[] wco) {
    int n() {
      return gates.length;
    }

    /** The input tensors in the op's order: gates, cs_prev, b, wci, wcf, wco. */
    List<Tensor> tensors() {
      List<Tensor> t = new ArrayList<>();
      for (double[] g : gates) {
        t.add(Tensor.fromDoubles(dtype, Shape.of(batch, 4 * cells), g));
      }
      t.add(Tensor.fromDoubles(dtype, Shape.of(batch, cells), csPrev));
      t.add(Tensor.fromDoubles(dtype, Shape.of(4 * cells), b));
      t.add(Tensor.fromDoubles(dtype, Shape.of(cells), wci));
      t.add(Tensor.fromDoubles(dtype, Shape.of(cells), wcf));
      t.add(Tensor.fromDoubles(dtype, Shape.of(cells), wco));
      return t;
    }

    LstmBlockGates build(Ops tf, List<? extends Operand> xs) {
      int n = n();
      return tf.nn.lstmBlockGates(xs.subList(0, n), xs.get(n), xs.get(n + 1), xs.get(n + 2), xs.get(n + 3),
          xs.get(n + 4), forgetBias, cellClip, peephole);
    }
  }

  /** The reference outputs i, cs, f, o, ci, co, h of a case, and the unclipped cell state. */
  private record Reference(double[][] outputs, double[] unclipped) {}

  // ---------------------------------------------------------------- forward

  @Test
  void forwardMatchesReferenceForEveryVariant() {
    forEveryVariant(List.of(DType.FLOAT32, DType.FLOAT64), 3, 5, 0, this::checkForward);
  }

  /**
   * Calls {@code check} on a fresh {@link #randomCase} of {@code batch} x {@code cells} for every variant: each of
   * {@code dtypes}, one or two gate inputs, with and without peepholes, with and without cell clip ({@code margin} as
   * in {@link #randomCase}).
   */
  private void forEveryVariant(List<DType> dtypes, int batch, int cells, double margin, Consumer<Case> check) {
    for (DType dtype : dtypes) {
      for (int n = 1; n <= 2; n++) {
        for (boolean peephole : List.of(false, true)) {
          for (boolean clip : List.of(false, true)) {
            check.accept(randomCase(dtype, batch, cells, n, peephole, clip, margin));
          }
        }
      }
    }
  }

  @Test
  void forwardHandlesBatchOfOneAndOddCellSizes() {
    for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
      checkForward(randomCase(dtype, 1, 7, 1, true, true, 0));
      checkForward(randomCase(dtype, 1, 1, 2, false, false, 0));
      checkForward(randomCase(dtype, 4, 3, 3, true, false, 0));
    }
  }

  @Test
  void forwardOfALargeBatchCoversEveryRow() {
    // Large enough for the CPU kernel to split the rows over its cores.
    checkForward(randomCase(DType.FLOAT32, 37, 257, 2, true, true, 0));
    checkForward(randomCase(DType.FLOAT64, 33, 129, 1, false, true, 0));
  }

  @Test
  void forwardOfAnEmptyBatchIsEmpty() {
    Case c = randomCase(DType.FLOAT32, 0, 3, 1, true, true, 0);
    LstmBlockGates r = c.build(tf, constants(c));
    for (Tensor t : run(r.i(), r.cs(), r.f(), r.o(), r.ci(), r.co(), r.h())) {
      assertEquals(Shape.of(0, 3), t.shape());
    }
  }

  @Test
  void forwardUsesForgetBiasAndIgnoresPeepholeWeightsWhenNotAsked() {
    Case c = randomCase(DType.FLOAT64, 2, 3, 1, false, false, 0);
    List<Output> xs = constants(c);
    LstmBlockGates plain = c.build(tf, xs);
    // Different peephole weights, unused, and a different forget bias.
    Output other = tf.constant(Tensor.create(Shape.of(3), new double[] {5, -5, 7}));
    LstmBlockGates otherWeights = tf.nn.lstmBlockGates(xs.subList(0, 1), xs.get(1), xs.get(2), other, other, other,
        c.forgetBias(), -1, false);
    LstmBlockGates otherBias = tf.nn.lstmBlockGates(xs.subList(0, 1), xs.get(1), xs.get(2), xs.get(3), xs.get(4),
        xs.get(5), c.forgetBias() + 0.5, -1, false);
    List<Tensor> out = run(plain.h(), otherWeights.h(), otherBias.h(), plain.f(), otherBias.f());
    assertAllClose(out.get(0).asDoubles(), out.get(1), 0);
    double[] f = out.get(3).asDoubles();
    double[] f2 = out.get(4).asDoubles();
    for (int k = 0; k < f.length; k++) {
      assertTrue(f2[k] > f[k], "a larger forget bias opens the forget gate (seed " + seed + ")");
    }
  }

  @Test
  void facadeDefaultsAreTfs() {
    Case c = randomCase(DType.FLOAT64, 2, 3, 1, false, false, 0);
    Case defaults = new Case(c.dtype(), c.batch(), c.cells(), 1.0, -1, false, c.gates(), c.csPrev(), c.b(), c.wci(),
        c.wcf(), c.wco());
    List<Output> xs = constants(c);
    LstmBlockGates r = tf.nn.lstmBlockGates(xs.subList(0, 1), xs.get(1), xs.get(2), xs.get(3), xs.get(4), xs.get(5));
    assertEquals("LSTMBlockGates", r.op().name());
    assertAllClose(reference(defaults).outputs()[6], run(r.h()), F64_TOL);
  }

  private void checkForward(Case c) {
    LstmBlockGates r = c.build(tf, constants(c));
    List<Tensor> actual = run(r.i(), r.cs(), r.f(), r.o(), r.ci(), r.co(), r.h());
    Reference ref = reference(c);
    double tol = tolFor(c.dtype());
    for (int k = 0; k < 7; k++) {
      assertEquals(c.dtype(), actual.get(k).dtype());
      assertAllClose(ref.outputs()[k], Shape.of(c.batch(), c.cells()), actual.get(k), tol);
    }
    if (c.cellClip() > 0) {
      boolean clipped = false;
      for (double u : ref.unclipped()) {
        clipped |= Math.abs(u) > c.cellClip();
      }
      assertTrue(clipped, "some cell states exceed the clip (seed " + seed + ")");
    }
  }

  // ---------------------------------------------------------------- gradients

  @Test
  void gradientsOfEveryInputMatchNumericDifferences() {
    forEveryVariant(List.of(DType.FLOAT64), 2, 3, 0.02,
        c -> checkGradients(xs -> stateAndOutput(c.build(tf, xs)), c.tensors().toArray(new Tensor[0])));
  }

  @Test
  void gradientsWithUnknownStaticShapes() {
    Case c = randomCase(DType.FLOAT64, 3, 2, 2, true, true, 0.02);
    List<Shape> shapes = new ArrayList<>();
    for (int k = 0; k < c.n(); k++) {
      shapes.add(Shape.of(-1, -1));
    }
    shapes.addAll(List.of(Shape.of(-1, -1), Shape.unknown(), Shape.of(-1), Shape.of(-1), Shape.unknown()));
    checkGradients(xs -> stateAndOutput(c.build(tf, xs)), shapes, c.tensors().toArray(new Tensor[0]));
  }

  @Test
  void gradientsOfFloat32Inputs() {
    Case c = randomCase(DType.FLOAT32, 2, 3, 1, true, false, 0);
    checkGradients(xs -> stateAndOutput(c.build(tf, xs)), c.tensors().toArray(new Tensor[0]));
  }

  @Test
  void gradientOpIsNotDifferentiable() {
    assertTrue(NnDefs.LSTM_BLOCK_GATES_GRAD.isNotDifferentiable());
    assertTrue(NnDefs.LSTM_BLOCK_GATES.gradient().isPresent());
  }

  @Test
  void gradientsThroughARecurrentLoop() {
    // The dynamic_rnn pattern: h feeds the next step's gates through a MatMul; the loop gradient stacks the op's
    // outputs and runs LSTMBlockGatesGrad once per step.
    int steps = 3;
    Case c = randomCase(DType.FLOAT64, 2, 2, 1, true, false, 0);
    Tensor kernel = randomDoubles(Shape.of(2, 8), -1, 1);
    Tensor h0 = randomDoubles(Shape.of(2, 2), -1, 1);
    List<Tensor> inputs = new ArrayList<>(c.tensors());
    inputs.add(kernel);
    inputs.add(h0);
    checkGradients(xs -> {
      List<Output> out = tf.control.whileLoop(v -> tf.math.less(v.get(0), tf.constant(steps)), v -> {
        Output recurrent = tf.linalg.matmul(v.get(2), xs.get(6));
        LstmBlockGates r = tf.nn.lstmBlockGates(List.of(xs.get(0), recurrent), v.get(1), xs.get(2), xs.get(3),
            xs.get(4), xs.get(5), c.forgetBias(), -1, true);
        return List.of(tf.math.add(v.get(0), tf.constant(1)), r.cs(), r.h());
      }, List.of(tf.constant(0), xs.get(1), xs.get(7)));
      return stateAndOutputOf(out.get(2), out.get(1));
    }, inputs.toArray(new Tensor[0]));
  }

  /** {@code concat([h, cs], 1)}: what the gradient of the op uses; a random weighting checks both. */
  private Output stateAndOutput(LstmBlockGates r) {
    return stateAndOutputOf(r.h(), r.cs());
  }

  private Output stateAndOutputOf(Output h, Output cs) {
    return tf.array.concat(List.of(h, cs), 1);
  }

  // ---------------------------------------------------------------- the composed graph

  @Test
  void equalsTheComposedGraphInValuesAndGradients() {
    forEveryVariant(List.of(DType.FLOAT32, DType.FLOAT64), 3, 4, 1e-3, this::checkAgainstComposed);
  }

  private void checkAgainstComposed(Case c) {
    List<Output> xs = constants(c);
    LstmBlockGates fused = c.build(tf, xs);
    Output[] composed = composed(c, xs);
    Output fusedY = stateAndOutput(fused);
    Output composedY = tf.array.concat(List.of(composed[1], composed[0]), 1);
    Output w = tf.constant(randomTensor(c.dtype(), Shape.of(c.batch(), 2 * c.cells()), -1, 1));
    List<Output> fusedGrads = present(tf.gradients(List.of(fusedY), xs, Gradients.options().gradYs(List.of(w))));
    // Without peepholes the composed graph does not read wci/wcf/wco: zeros, as the fused gradient gives.
    List<Output> composedGrads = present(tf.gradients(List.of(composedY), xs,
        Gradients.options().gradYs(List.of(w)).unconnectedGradients(Gradients.UnconnectedGradients.ZERO)));
    List<Output> fetches = new ArrayList<>(List.of(fusedY, composedY));
    fetches.addAll(fusedGrads);
    fetches.addAll(composedGrads);
    List<Tensor> values = run(fetches.toArray(new Output[0]));
    // float32: the fused kernel's tanh may differ from the Tanh op's in the last bit.
    double tol = c.dtype() == DType.FLOAT32 ? 2e-6 : F64_TOL;
    assertAllClose(values.get(1).asDoubles(), values.get(0), tol);
    int inputs = xs.size();
    for (int k = 0; k < inputs; k++) {
      assertAllClose(values.get(2 + inputs + k).asDoubles(), values.get(2 + k), 10 * tol);
    }
  }

  /**
   * The LSTM step built from single ops as LSTMCell builds it (tanh activation): returns {@code [c, h]}.
   */
  private Output[] composed(Case c, List<Output> xs) {
    int n = c.n();
    Output sum = xs.get(0);
    for (int k = 1; k < n; k++) {
      sum = tf.math.add(sum, xs.get(k));
    }
    Output cPrev = xs.get(n);
    List<Output> parts = tf.array.split(tf.nn.biasAdd(sum, xs.get(n + 1)), 4, 1);
    Output i = parts.get(0);
    Output j = parts.get(1);
    Output f = parts.get(2);
    Output o = parts.get(3);
    Output forgetBias = tf.constant(c.forgetBias(), c.dtype());
    Output cNew;
    if (c.peephole()) {
      Output kept = tf.math.mul(tf.nn.sigmoid(tf.math.add(tf.math.add(f, forgetBias),
          tf.math.mul(xs.get(n + 3), cPrev))), cPrev);
      Output inputGate = tf.nn.sigmoid(tf.math.add(i, tf.math.mul(xs.get(n + 2), cPrev)));
      cNew = tf.math.add(kept, tf.math.mul(inputGate, tf.nn.tanh(j)));
    } else {
      Output kept = tf.math.mul(tf.nn.sigmoid(tf.math.add(f, forgetBias)), cPrev);
      cNew = tf.math.add(kept, tf.math.mul(tf.nn.sigmoid(i), tf.nn.tanh(j)));
    }
    if (c.cellClip() > 0) {
      cNew = tf.math.clipByValue(cNew, tf.constant(-c.cellClip(), c.dtype()), tf.constant(c.cellClip(), c.dtype()));
    }
    Output outputGate = c.peephole() ? tf.nn.sigmoid(tf.math.add(o, tf.math.mul(xs.get(n + 4), cNew)))
        : tf.nn.sigmoid(o);
    return new Output[] {cNew, tf.math.mul(outputGate, tf.nn.tanh(cNew))};
  }

  private List<Output> present(List<Optional<Output>> grads) {
    List<Output> r = new ArrayList<>();
    for (Optional<Output> g : grads) {
      assertTrue(g.isPresent(), "every input gets a gradient (seed " + seed + ")");
      r.add(g.get());
    }
    return r;
  }

  // ---------------------------------------------------------------- run-time checks

  @Test
  void runTimeShapeMismatchesFailWithTfTexts() {
    Output g = tf.placeholder(DType.FLOAT32, Shape.of(-1, -1));
    Output g2 = tf.placeholder(DType.FLOAT32, Shape.of(-1, -1));
    Output cs = tf.placeholder(DType.FLOAT32, Shape.of(-1, -1));
    Output b = tf.placeholder(DType.FLOAT32, Shape.of(-1));
    Output w = tf.placeholder(DType.FLOAT32, Shape.of(-1));
    LstmBlockGates r = tf.nn.lstmBlockGates(List.of(g, g2), cs, b, w, w, w);
    Tensor gates = Tensor.create(Shape.of(2, 8), new float[16]);
    Tensor state = Tensor.create(Shape.of(2, 2), new float[4]);
    Tensor bias = Tensor.create(Shape.of(8), new float[8]);
    Tensor peep = Tensor.create(Shape.of(2), new float[2]);
    expectRunError("gates[1].dims(0) != batch_size: 3 vs. 2", () -> runner().feed(g, gates)
        .feed(g2, Tensor.create(Shape.of(3, 8), new float[24])).feed(cs, state).feed(b, bias).feed(w, peep)
        .fetch(r.h()).run());
    expectRunError("gates[0].dims(1) != cell_size * 4: 8 vs. 12", () -> runner().feed(g, gates).feed(g2, gates)
        .feed(cs, Tensor.create(Shape.of(2, 3), new float[6])).feed(b, bias).feed(w, peep).fetch(r.h()).run());
    expectRunError("b.dim_size(0) != cell_size * 4: 4 vs. 8", () -> runner().feed(g, gates).feed(g2, gates)
        .feed(cs, state).feed(b, Tensor.create(Shape.of(4), new float[4])).feed(w, peep).fetch(r.h()).run());
    expectRunError("wci.dim_size(0) != cell_size: 3 vs. 2", () -> runner().feed(g, gates).feed(g2, gates)
        .feed(cs, state).feed(b, bias).feed(w, Tensor.create(Shape.of(3), new float[3])).fetch(r.h()).run());
  }

  @Test
  void gradientOpChecksShapesAtRunTime() {
    Output state = tf.placeholder(DType.FLOAT64, Shape.of(-1, -1));
    Output other = tf.placeholder(DType.FLOAT64, Shape.of(-1, -1));
    Output w = tf.placeholder(DType.FLOAT64, Shape.of(-1));
    Output grad = tf.opBuilder(NnDefs.LSTM_BLOCK_GATES_GRAD, "LSTMBlockGatesGrad").input(state).input(w).input(w)
        .input(w).input(state).input(state).input(state).input(state).input(state).input(state).input(state)
        .input(other).attr("T", DType.FLOAT64).attr("use_peephole", false).attr("cell_clip", -1.0).build()
        .output(1);
    Tensor s = Tensor.create(Shape.of(2, 3), new double[6]);
    expectRunError("h_grad.dims(1) != cell_size: 4 vs. 3", () -> runner().feed(state, s)
        .feed(other, Tensor.create(Shape.of(2, 4), new double[8])).feed(w, Tensor.create(Shape.of(3), new double[3]))
        .fetch(grad).run());
  }

  private void expectRunError(String prefix, org.junit.jupiter.api.function.Executable run) {
    RunException e = assertThrows(RunException.class, run);
    assertEquals(RunException.Code.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().startsWith(prefix), () -> "expected prefix <" + prefix + "> but was <" + e.getMessage()
        + "> (seed " + seed + ")");
  }

  // ---------------------------------------------------------------- inputs and reference

  private List<Output> constants(Case c) {
    List<Output> xs = new ArrayList<>();
    for (Tensor t : c.tensors()) {
      xs.add(tf.constant(t));
    }
    return xs;
  }

  /**
   * A random case. With {@code clip}, the clip is placed between two of the unclipped cell states (so some exceed
   * it) at least {@code margin} away from every one of them, so central differences do not cross it.
   */
  private Case randomCase(DType dtype, int batch, int cells, int n, boolean peephole, boolean clip, double margin) {
    while (true) {
      double[][] gates = new double[n][];
      for (int k = 0; k < n; k++) {
        gates[k] = values(dtype, batch * 4 * cells, -1.5, 1.5);
      }
      double forgetBias = values(dtype, 1, 0.2, 1.5)[0];
      Case c = new Case(dtype, batch, cells, forgetBias, -1, peephole, gates, values(dtype, batch * cells, -3, 3),
          values(dtype, 4 * cells, -0.5, 0.5), values(dtype, cells, -1, 1), values(dtype, cells, -1, 1),
          values(dtype, cells, -1, 1));
      if (!clip) {
        return c;
      }
      Optional<Double> bound = clipBetween(reference(c).unclipped(), margin, dtype);
      if (bound.isPresent()) {
        return new Case(dtype, batch, cells, forgetBias, bound.get(), peephole, gates, c.csPrev(), c.b(), c.wci(),
            c.wcf(), c.wco());
      }
      if (batch == 0) {
        return new Case(dtype, batch, cells, forgetBias, 1, peephole, gates, c.csPrev(), c.b(), c.wci(), c.wcf(),
            c.wco());
      }
    }
  }

  /** The midpoint of the widest gap between the sorted |unclipped| values of the middle half, if wide enough. */
  private static Optional<Double> clipBetween(double[] unclipped, double margin, DType dtype) {
    double[] abs = Arrays.stream(unclipped).map(Math::abs).sorted().toArray();
    if (abs.length == 1) {
      return abs[0] > 2 * margin ? Optional.of(dtype == DType.FLOAT32 ? (double) (float) (abs[0] / 2) : abs[0] / 2)
          : Optional.empty();
    }
    double best = -1;
    double gap = 0;
    for (int k = abs.length / 4; k + 1 < abs.length && k < abs.length - abs.length / 4; k++) {
      if (abs[k + 1] - abs[k] > gap) {
        gap = abs[k + 1] - abs[k];
        best = (abs[k] + abs[k + 1]) / 2;
      }
    }
    if (best <= 0 || gap < 2 * margin) {
      return Optional.empty();
    }
    return Optional.of(dtype == DType.FLOAT32 ? (double) (float) best : best);
  }

  /** Uniform values in [lo, hi), rounded to float for float32 so the reference sees what the op sees. */
  private double[] values(DType dtype, int count, double lo, double hi) {
    double[] v = randomDoubles(count, lo, hi);
    if (dtype == DType.FLOAT32) {
      for (int k = 0; k < count; k++) {
        v[k] = (float) v[k];
      }
    }
    return v;
  }

  /** TF's LSTMBlockCell forward math in float64, element by element. */
  private static Reference reference(Case c) {
    int hh = c.cells();
    int size = c.batch() * hh;
    double[][] out = new double[7][size];
    double[] unclipped = new double[size];
    for (int r = 0; r < c.batch(); r++) {
      for (int j = 0; j < hh; j++) {
        double[] icfo = new double[4];
        for (int gate = 0; gate < 4; gate++) {
          double sum = c.b()[gate * hh + j];
          for (double[] g : c.gates()) {
            sum += g[r * 4 * hh + gate * hh + j];
          }
          icfo[gate] = sum;
        }
        int s = r * hh + j;
        double cPrev = c.csPrev()[s];
        double peepI = c.peephole() ? c.wci()[j] * cPrev : 0;
        double peepF = c.peephole() ? c.wcf()[j] * cPrev : 0;
        double i = sigmoid(icfo[0] + peepI);
        double ci = Math.tanh(icfo[1]);
        double f = sigmoid(icfo[2] + c.forgetBias() + peepF);
        double cs = ci * i + cPrev * f;
        unclipped[s] = cs;
        if (c.cellClip() > 0) {
          cs = Math.max(-c.cellClip(), Math.min(c.cellClip(), cs));
        }
        double o = sigmoid(icfo[3] + (c.peephole() ? c.wco()[j] * cs : 0));
        double co = Math.tanh(cs);
        double[] values = {i, cs, f, o, ci, co, co * o};
        for (int k = 0; k < 7; k++) {
          out[k][s] = values[k];
        }
      }
    }
    return new Reference(out, unclipped);
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
