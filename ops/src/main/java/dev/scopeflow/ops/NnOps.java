package dev.scopeflow.ops;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.NameScope;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.defs.NnDefs;
import java.util.List;

/**
 * The {@code tf.nn} namespace of the facade: activations, softmax, {@code bias_add}, the softmax cross-entropy
 * and L2 losses, and the fused LSTM gates ({@link #lstmBlockGates}).
 */
public final class NnOps {
  private final Ops tf;

  NnOps(Ops tf) {
    this.tf = tf;
  }

  // ---------------------------------------------------------------- activations

  /** {@code tf.nn.sigmoid(x)}: {@code 1 / (1 + exp(-x))}; float32, float64. Op {@code Sigmoid}. */
  public Output sigmoid(Operand x) {
    return unary(NnDefs.SIGMOID, x);
  }

  /** {@code tf.nn.tanh(x)}: hyperbolic tangent; float32, float64. Op {@code Tanh}. */
  public Output tanh(Operand x) {
    return unary(NnDefs.TANH, x);
  }

  /** {@code tf.nn.relu(features)}: {@code max(features, 0)}; float32, float64, int32, int64. Op {@code Relu}. */
  public Output relu(Operand features) {
    return unary(NnDefs.RELU, features);
  }

  /** {@code tf.nn.relu6(features)}: {@code min(max(features, 0), 6)}; float and int types. Op {@code Relu6}. */
  public Output relu6(Operand features) {
    return unary(NnDefs.RELU6, features);
  }

  /** {@code tf.nn.elu(features)}: {@code exp(features) - 1} below 0, identity above; float32, float64. */
  public Output elu(Operand features) {
    return unary(NnDefs.ELU, features);
  }

  /** {@code tf.nn.selu(features)}: scaled ELU with TF's self-normalising constants; float32, float64. */
  public Output selu(Operand features) {
    return unary(NnDefs.SELU, features);
  }

  /** {@code tf.nn.softplus(features)}: {@code log(exp(features) + 1)}, stable for large |features|. */
  public Output softplus(Operand features) {
    return unary(NnDefs.SOFTPLUS, features);
  }

  /** {@code tf.nn.softsign(features)}: {@code features / (abs(features) + 1)}; float32, float64. */
  public Output softsign(Operand features) {
    return unary(NnDefs.SOFTSIGN, features);
  }

  private Output unary(OpDef def, Operand x) {
    return tf.opBuilder(def, def.type()).input(x).buildOutput();
  }

  // ---------------------------------------------------------------- bias_add

  /**
   * {@code tf.nn.bias_add(value, bias)}: adds the 1-D {@code bias} along the last dimension of {@code value} (rank
   * >= 2, NHWC). Op {@code BiasAdd}.
   */
  public Output biasAdd(Operand value, Operand bias) {
    return tf.opBuilder(NnDefs.BIAS_ADD, "BiasAdd").input(value).input(bias).attr("data_format", "NHWC")
        .buildOutput();
  }

  // ---------------------------------------------------------------- softmax

  /** {@code tf.nn.softmax(logits)} over the last axis. Op {@code Softmax}; float32, float64. */
  public Output softmax(Operand logits) {
    return softmax(logits, -1);
  }

  /**
   * {@code tf.nn.softmax(logits, axis)}: softmax along {@code axis} (negative counts from the end).
   *
   * @throws TfValueError {@code Dimension (3) must be in the range [-2, 2) where 2 is the number of dimensions in the
   *     input.} when the rank is known and {@code axis} is outside it
   */
  public Output softmax(Operand logits, int axis) {
    return softmaxLike(NnDefs.SOFTMAX, logits, axis);
  }

  /** {@code tf.nn.log_softmax(logits)} over the last axis. Op {@code LogSoftmax}; float32, float64. */
  public Output logSoftmax(Operand logits) {
    return logSoftmax(logits, -1);
  }

  /**
   * {@code tf.nn.log_softmax(logits, axis)}: log-softmax along {@code axis}; errors as {@link #softmax(Operand, int)}.
   */
  public Output logSoftmax(Operand logits, int axis) {
    return softmaxLike(NnDefs.LOG_SOFTMAX, logits, axis);
  }

  private Output softmaxLike(OpDef def, Operand logits, int axis) {
    Shape shape = logits.shape();
    OpBuilder b = tf.opBuilder(def, def.type()).input(logits);
    // TF takes -1 and rank - 1 as the last axis without further checks; any other axis must be in range.
    boolean last = axis == -1 || (shape.hasRank() && axis == shape.rank() - 1);
    if (!last) {
      if (shape.hasRank() && Shapes.normalizeAxis(axis, shape.rank()) < 0) {
        throw new TfValueError(NnDefs.axisOutOfRange(axis, shape.rank()));
      }
      b.attr(NnDefs.SOFTMAX_AXIS_ATTR, (long) axis);
    }
    return b.buildOutput();
  }

  // ---------------------------------------------------------------- losses

  /**
   * TF1's {@code tf.nn.softmax_cross_entropy_with_logits(labels=, logits=)}: per-row cross-entropy between the
   * probability distributions {@code labels} and {@code softmax(logits)} over the last axis. As in TF1, gradients do
   * not flow into {@code labels} (they pass a {@code StopGradient}). The ops live in a name scope
   * {@code softmax_cross_entropy_with_logits_sg} (or the requested name) and the loss op takes the scope's name.
   * Returns the loss, shaped as {@code logits} without its last dimension.
   */
  public Output softmaxCrossEntropyWithLogits(Operand labels, Operand logits) {
    try (NameScope scope = nameScope("softmax_cross_entropy_with_logits_sg", labels, logits)) {
      Output stopped = Ops.create(tf.graph()).withName("labels_stop_gradient").stopGradient(labels);
      return crossEntropy(scope.name(), stopped, logits);
    }
  }

  /**
   * TF1's {@code tf.nn.softmax_cross_entropy_with_logits_v2(labels=, logits=)} (TF2's
   * {@code softmax_cross_entropy_with_logits}): as {@link #softmaxCrossEntropyWithLogits} but gradients also flow into
   * {@code labels}; the op is named {@code softmax_cross_entropy_with_logits}.
   */
  public Output softmaxCrossEntropyWithLogitsV2(Operand labels, Operand logits) {
    try (NameScope scope = nameScope("softmax_cross_entropy_with_logits", labels, logits)) {
      return crossEntropy(scope.name(), labels.asOutput(), logits);
    }
  }

  private Output crossEntropy(String scopeName, Output labels, Operand logits) {
    // A name ending in "/" is taken as is: the op is named after its scope, as TF's wrapper passes name=scope.
    return new OpBuilder(tf.graph(), NnDefs.SOFTMAX_CROSS_ENTROPY_WITH_LOGITS, scopeName).input(logits)
        .input(labels).buildOutput();
  }

  /**
   * {@code tf.nn.sparse_softmax_cross_entropy_with_logits(labels=, logits=)}: cross-entropy between {@code
   * softmax(logits)} over the last axis and the class indices {@code labels} (int32 or int64, shaped as {@code
   * logits} without its last dimension). The op {@code SparseSoftmaxCrossEntropyWithLogits} sits in a name scope of
   * the same name (or the requested name, which it also takes, as in TF). A label outside {@code [0, classes)} fails
   * the run with INVALID_ARGUMENT.
   *
   * @throws TfValueError with TF's texts when {@code logits} is a scalar ({@code Logits cannot be scalars ...}), the
   *     ranks do not fit ({@code Rank mismatch: ...}) or fully known shapes differ ({@code Shape mismatch: ...})
   */
  public Output sparseSoftmaxCrossEntropyWithLogits(Operand labels, Operand logits) {
    Shape labelsShape = labels.shape();
    Shape logitsShape = logits.shape();
    String requested = tf.opName(null);
    try (NameScope scope = nameScope("SparseSoftmaxCrossEntropyWithLogits", labels, logits)) {
      if (logitsShape.hasRank() && logitsShape.rank() == 0) {
        throw new TfValueError("Logits cannot be scalars - received shape " + logitsShape + ".");
      }
      if (logitsShape.hasRank() && labelsShape.hasRank() && labelsShape.rank() != logitsShape.rank() - 1) {
        throw new TfValueError("Rank mismatch: Rank of labels (received " + labelsShape.rank()
            + ") should equal rank of logits minus 1 (received " + logitsShape.rank() + ").");
      }
      if (labelsShape.isFullyDefined() && logitsShape.hasRank()
          && logitsShape.subShape(0, logitsShape.rank() - 1).isFullyDefined()
          && !labelsShape.equals(logitsShape.subShape(0, logitsShape.rank() - 1))) {
        throw new TfValueError("Shape mismatch: The shape of labels (received " + labelsShape + ") should equal the "
            + "shape of logits except for the last dimension (received " + logitsShape + ").");
      }
      return new OpBuilder(tf.graph(), NnDefs.SPARSE_SOFTMAX_CROSS_ENTROPY_WITH_LOGITS,
          requested != null ? requested : "SparseSoftmaxCrossEntropyWithLogits").input(logits).input(labels)
          .buildOutput();
    }
  }

  /** {@code tf.nn.l2_loss(t)}: the scalar {@code sum(t ** 2) / 2}; float32, float64. Op {@code L2Loss}. */
  public Output l2Loss(Operand t) {
    return tf.opBuilder(NnDefs.L2_LOSS, "L2Loss").input(t).buildOutput();
  }

  // ---------------------------------------------------------------- fused LSTM gates

  /**
   * The fused element-wise math of an LSTM step with TF's defaults ({@code forget_bias 1.0}, no clip, no
   * peepholes); see {@link #lstmBlockGates(List, Operand, Operand, Operand, Operand, Operand,
   * LstmBlockGates.Options)}.
   */
  public LstmBlockGates lstmBlockGates(List<? extends Operand> gates, Operand csPrev, Operand b, Operand wci,
      Operand wcf, Operand wco) {
    return lstmBlockGates(gates, csPrev, b, wci, wcf, wco, LstmBlockGates.options());
  }

  /**
   * The fused element-wise math of an LSTM step with the given {@code forget_bias}, {@code cell_clip} (no clip when
   * {@code <= 0}; TF's Python passes -1 for None) and {@code use_peephole}; see {@link #lstmBlockGates(List,
   * Operand, Operand, Operand, Operand, Operand, LstmBlockGates.Options)}.
   */
  public LstmBlockGates lstmBlockGates(List<? extends Operand> gates, Operand csPrev, Operand b, Operand wci,
      Operand wcf, Operand wco, double forgetBias, double cellClip, boolean usePeephole) {
    return lstmBlockGates(gates, csPrev, b, wci, wcf, wco,
        LstmBlockGates.options().forgetBias(forgetBias).cellClip(cellClip).usePeephole(usePeephole));
  }

  /**
   * The element-wise math of one LSTM step in one op, {@code LSTMBlockGates} (TF's {@code LSTMBlockCell} without
   * its matrix product; see {@link dev.scopeflow.ops.defs.NnDefs#LSTM_BLOCK_GATES} for the formulas): {@code gates}
   * are {@code N >= 1} pre-activations {@code [B, 4H]} that the op sums (e.g. {@code x·W_x} and {@code h·W_h}, or
   * one {@code concat([x, h])·W}) with columns laid out {@code i, j, f, o} as BasicLSTMCell's and LSTMCell's
   * kernels; {@code csPrev [B, H]} the previous cell state; {@code b [4H]} the bias; {@code wci, wcf, wco [H]} the
   * peephole weights (pass zeros when unused, as TF does). float32, float64. The results equal those of the
   * composed graph (BasicLSTMCell's/LSTMCell's ops with a tanh activation) up to rounding. {@code forget_bias} and
   * {@code cell_clip} are kept as doubles so a float64 op adds the same value as the composed graph's constant.
   *
   * @throws dev.scopeflow.graph.TfValueError for ranks or sizes that do not fit ({@code B}, {@code H}, {@code 4H}),
   *     or no gate input
   * @throws dev.scopeflow.graph.TfTypeError for a dtype other than float32/float64 or inputs of different dtypes
   */
  public LstmBlockGates lstmBlockGates(List<? extends Operand> gates, Operand csPrev, Operand b, Operand wci,
      Operand wcf, Operand wco, LstmBlockGates.Options options) {
    Preconditions.checkNotNull(options, "options");
    OpBuilder builder = tf.opBuilder(NnDefs.LSTM_BLOCK_GATES, "LSTMBlockGates").inputs(gates).input(csPrev).input(b)
        .input(wci).input(wcf).input(wco)
        .attr("T", (gates.isEmpty() ? csPrev : gates.get(0)).asOutput().dtype())
        .attr("N", (long) gates.size())
        .attr("forget_bias", options.forgetBias)
        .attr("cell_clip", options.cellClip)
        .attr("use_peephole", options.usePeephole);
    return new LstmBlockGates(builder.build());
  }

  /** TF1's {@code name_scope(name, default_name, values)} with the facade's requested name as {@code name}. */
  private NameScope nameScope(String defaultName, Operand... values) {
    return tf.graph().nameScope(tf.opName(null), defaultName, List.of(values));
  }
}
