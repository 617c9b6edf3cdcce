package dev.scopeflow.rnn;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.LstmBlockGates;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.scope.layers.Activation;
import dev.scopeflow.scope.layers.Activations;
import java.util.List;

/**
 * What {@link BasicLSTMCell} and {@link LSTMCell} share: {@code num_units}, {@code forget_bias}, {@code
 * state_is_tuple}, the activation, the construction checks of TF's LSTM cells, and the {@code kernel} and {@code bias}
 * weights made when the cell is built. Accept this type where any LSTM cell will do.
 *
 * <p>With the default {@code tanh} activation and a float32/float64 dtype a step's element-wise gate math is one
 * fused {@code LSTMBlockGates} op after the cell's {@code MatMul} (same numbers as TF's composed graph within float
 * rounding; variables and the {@code concat}/{@code MatMul} names unchanged); any other activation builds TF's
 * composed graph. Under {@code static_rnn}/{@code dynamic_rnn} the input half of the product can come computed for
 * all time steps before the loop.
 */
public abstract class LSTMCellBase extends LayerRNNCell {
  final int numUnits;
  final double forgetBias;
  final boolean stateIsTuple;
  final Activation activation;
  /** Set by the subclass's build, cleared when a copy is unbuilt. */
  Operand kernel;
  Operand bias;
  /** False only in tests that compare the fused op with TF's composed graph. */
  private boolean fusedOpEnabled = true;
  /** The hoisted input projection an rnn function offers for the step call in progress, or null. */
  private InputProjection.Step offeredStep;

  LSTMCellBase(Graph graph, CellBuilder<?, ?> builder, String cellClass) {
    super(graph, builder.layerOptions());
    CellOps.initLstmCell(this, cellClass, builder.stateIsTuple);
    this.numUnits = builder.numUnits;
    this.forgetBias = builder.forgetBias;
    this.stateIsTuple = builder.stateIsTuple;
    this.activation = builder.resolveActivation();
  }

  /** {@code num_units} (N). */
  public int numUnits() {
    return numUnits;
  }

  /** {@code forget_bias}. */
  public double forgetBias() {
    return forgetBias;
  }

  /** {@code state_is_tuple}. */
  public boolean stateIsTuple() {
    return stateIsTuple;
  }

  /** The activation (tanh unless given). */
  public Activation activation() {
    return activation;
  }

  /**
   * The kernel variable {@code [depth + H, 4N]} (a {@code PartitionedVariable} under a partitioning scope or with
   * {@code num_unit_shards}).
   *
   * @throws IllegalStateException before the cell is built
   */
  public Operand kernel() {
    return built(kernel);
  }

  /**
   * The bias variable {@code [4N]}.
   *
   * @throws IllegalStateException before the cell is built
   */
  public Operand bias() {
    return built(bias);
  }

  /**
   * Whether a step on inputs of {@code dtype} uses the fused {@code LSTMBlockGates} op: the activation is tanh (the
   * op's), the dtype one the op has, and the fused op not switched off.
   */
  boolean usesFusedOp(DType dtype) {
    return fusedOpEnabled && activation == Activations.tanh() && (dtype == DType.FLOAT32 || dtype == DType.FLOAT64);
  }

  /**
   * Switches the fused op off (or back on) for this cell: its steps then build TF's composed graph whatever the
   * activation. Package-private: for tests that compare the two graphs.
   */
  void setFusedOpEnabled(boolean enabled) {
    this.fusedOpEnabled = enabled;
  }

  /** Called by {@link InputProjection} around one step call of this cell: the hoisted projection on offer, or null. */
  void offerProjectedStep(InputProjection.Step step) {
    this.offeredStep = step;
  }

  /**
   * The pre-activations {@code [B, 4N]} the fused op sums, for input {@code x} and previous output {@code h} (width
   * {@code hDepth}): TF's {@code concat([x, h], 1) @ kernel} ({@code concat}, {@code MatMul}), or, when an rnn
   * function offered a hoisted projection for exactly this {@code x} and the kernel fits it, {@code x @ W_x} (rows of
   * the all-steps product made before the loop) and {@code h @ W_h} (the {@code MatMul}), {@code W_x}/{@code W_h}
   * being the kernel's first {@code depth} and last {@code hDepth} rows.
   */
  final List<Output> gatePreActivations(Ops tf, Operand x, Operand h, int hDepth) {
    InputProjection.Step step = takeOfferedStep(x, hDepth);
    if (step == null) {
      return List.of(tf.linalg.matmul(tf.array.concat(List.of(x, h), 1), kernel));
    }
    int depth = Math.toIntExact(x.shape().size(1));
    Operand k = kernel;
    List<Output> invariants = step.invariants(allInputs -> {
      Output whole = k.asOutput();
      Output inputRows = tf.array.slice(whole, new int[] {0, 0}, new int[] {depth, -1});
      Output projected = tf.linalg.matmul(allInputs, inputRows);
      Output recurrentRows = tf.array.slice(whole, new int[] {depth, 0}, new int[] {-1, -1});
      return List.of(projected, recurrentRows);
    });
    Output projectedInput = step.rows(invariants.get(0));
    return List.of(projectedInput, tf.linalg.matmul(h, invariants.get(1)));
  }

  /**
   * The gates of TF's composed step, i, j, f, o: {@code split(bias_add(concat([x, h], 1) @ kernel, bias), 4, axis=1)},
   * with TF's op order and so its op names ({@code concat}, {@code MatMul}, {@code BiasAdd}, {@code split}).
   */
  final List<Output> composedGates(Ops tf, Operand x, Operand h) {
    Output lstmMatrix = tf.linalg.matmul(tf.array.concat(List.of(x, h), 1), kernel);
    return tf.array.split(tf.nn.biasAdd(lstmMatrix, bias), 4, 1);
  }

  /**
   * The offered step, if it is for input {@code x} and the kernel {@code [depth + hDepth, 4N]} of x's dtype fits it;
   * otherwise null (the step then computes its own product, with TF's errors for what does not fit).
   */
  private InputProjection.Step takeOfferedStep(Operand x, int hDepth) {
    InputProjection.Step step = offeredStep;
    offeredStep = null;
    if (step == null || !step.input().asOutput().equals(x.asOutput())) {
      return null;
    }
    Shape xs = x.shape();
    Shape ks = kernel.shape();
    if (!xs.hasRank() || xs.rank() != 2 || xs.size(1) == Shape.UNKNOWN_DIM || !ks.hasRank() || ks.rank() != 2
        || ks.size(0) != xs.size(1) + hDepth || ks.size(1) != 4L * numUnits || kernel.dtype() != x.dtype()) {
      return null;
    }
    return step;
  }

  /**
   * The fused gate math of one step: {@code LSTMBlockGates(preActivations, cPrev, bias, peepholes...)} with this
   * cell's {@code forget_bias}; {@code peepholes} null for none (the op then gets zeros, as TF's LSTMBlockCell).
   */
  final LstmBlockGates fusedGates(Ops tf, List<Output> preActivations, Operand cPrev, List<Operand> peepholes,
      double cellClip) {
    Operand wci;
    Operand wcf;
    Operand wco;
    if (peepholes == null) {
      Output zeros = tf.constant(Tensor.fromDoubles(cPrev.dtype(), Shape.of(numUnits), new double[numUnits]));
      wci = zeros;
      wcf = zeros;
      wco = zeros;
    } else {
      wci = peepholes.get(0);
      wcf = peepholes.get(1);
      wco = peepholes.get(2);
    }
    return tf.nn.lstmBlockGates(preActivations, cPrev, bias, wci, wcf, wco, forgetBias, cellClip,
        peepholes != null);
  }

  /** {@code weight}, once the cell is built. */
  final <T> T built(T weight) {
    Preconditions.checkState(kernel != null, "cell %s is not built yet", name());
    return weight;
  }
}
