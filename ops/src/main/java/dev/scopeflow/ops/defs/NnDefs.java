package dev.scopeflow.ops.defs;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.ops.InferenceContext;
import dev.scopeflow.ops.OpDef;
import dev.scopeflow.ops.OpRegistry;
import dev.scopeflow.ops.Shapes;
import dev.scopeflow.ops.grad.LstmGradients;
import dev.scopeflow.ops.grad.NnGradients;
import java.util.Optional;
import java.util.Set;

/**
 * The nn op family: activations, softmax, bias_add, the losses built into single kernels and the fused LSTM gates.
 */
public final class NnDefs {
  private NnDefs() {}

  private static final Set<DType> FLOATS = DTypeSets.FLOATING;
  private static final Set<DType> REALS = DTypeSets.NUMERIC;

  /**
   * Name of the optional attribute of {@code Softmax} and {@code LogSoftmax} that selects the class axis when it is
   * not the last one. TF's ops have no such attribute: its Python wrapper transposes the axis to the end instead. A
   * ScopeFlow op without it works on the last axis, exactly as TF's.
   */
  public static final String SOFTMAX_AXIS_ATTR = "axis";

  // ---------------------------------------------------------------- activations

  /** {@code Sigmoid}: {@code 1 / (1 + exp(-x))}, element-wise. float32, float64. */
  public static final OpDef SIGMOID = OpRegistry.register(new Activation("Sigmoid", "x", FLOATS)
      .withGradient(NnGradients::sigmoid));

  /** {@code Tanh}: element-wise hyperbolic tangent. float32, float64. */
  public static final OpDef TANH = OpRegistry.register(new Activation("Tanh", "x", FLOATS)
      .withGradient(NnGradients::tanh));

  /** {@code Relu}: {@code max(features, 0)}. float32, float64, int32, int64. */
  public static final OpDef RELU = OpRegistry.register(new Activation("Relu", "features", REALS)
      .withGradient(NnGradients::relu));

  /** {@code Relu6}: {@code min(max(features, 0), 6)}. float32, float64, int32, int64. */
  public static final OpDef RELU6 = OpRegistry.register(new Activation("Relu6", "features", REALS)
      .withGradient(NnGradients::relu6));

  /** {@code Elu}: {@code features < 0 ? exp(features) - 1 : features}. float32, float64. */
  public static final OpDef ELU = OpRegistry.register(new Activation("Elu", "features", FLOATS)
      .withGradient(NnGradients::elu));

  /**
   * {@code Selu}: {@code scale * (features < 0 ? alpha * (exp(features) - 1) : features)} with TF's constants
   * {@code alpha = 1.6732632423543772848170429916717}, {@code scale = 1.0507009873554804934193349852946}. float32,
   * float64.
   */
  public static final OpDef SELU = OpRegistry.register(new Activation("Selu", "features", FLOATS)
      .withGradient(NnGradients::selu));

  /**
   * {@code Softplus}: {@code log(exp(features) + 1)}, computed as TF does: {@code features} itself above
   * {@code -log(eps) - 2}, {@code exp(features)} below {@code log(eps) + 2}, {@code log1p(exp(features))} between.
   * float32, float64.
   */
  public static final OpDef SOFTPLUS = OpRegistry.register(new Activation("Softplus", "features", FLOATS)
      .withGradient(NnGradients::softplus));

  /** {@code Softsign}: {@code features / (abs(features) + 1)}. float32, float64. */
  public static final OpDef SOFTSIGN = OpRegistry.register(new Activation("Softsign", "features", FLOATS)
      .withGradient(NnGradients::softsign));

  // ---------------------------------------------------------------- bias_add

  /**
   * {@code BiasAdd}: inputs {@code value} (rank >= 2) and {@code bias} (rank 1, the size of {@code value}'s last
   * dimension), attr {@code data_format} (only {@code "NHWC"}); output {@code value + bias} broadcast along the last
   * dimension. float32, float64, int32, int64.
   */
  public static final OpDef BIAS_ADD = OpRegistry.register(new OpDef("BiasAdd") {
    @Override
    public void inferOutputs(InferenceContext ctx) {
      String format = ctx.attrString("data_format");
      if (!format.equals("NHWC")) {
        throw ctx.error("Unsupported data_format '" + format + "': ScopeFlow's BiasAdd supports NHWC only");
      }
      DType t = ctx.requireAllowed(0, "value", REALS);
      ctx.requireSameType(1, "bias", 0, "value");
      Shape value = ctx.requireRankAtLeast(0, 2);
      Shape bias = ctx.requireRank(1, 1);
      if (!value.hasRank()) {
        ctx.addOutput(t, Shape.unknown());
        return;
      }
      long channels = ctx.mergeDim(value.size(-1), bias.size(0));
      ctx.addOutput(t, value.withDim(-1, channels));
    }
  }.withGradient(NnGradients::biasAdd));

  // ---------------------------------------------------------------- softmax

  /**
   * {@code Softmax}: input {@code logits} of rank >= 1; output {@code exp(logits) / sum(exp(logits))} along the last
   * axis (or the axis of the optional attr {@link #SOFTMAX_AXIS_ATTR}), computed after subtracting the maximum.
   * float32, float64.
   */
  public static final OpDef SOFTMAX = OpRegistry.register(new SoftmaxDef("Softmax")
      .withGradient(NnGradients::softmax));

  /**
   * {@code LogSoftmax}: {@code logits - log(sum(exp(logits)))} along the last axis (or the attr
   * {@link #SOFTMAX_AXIS_ATTR}), computed after subtracting the maximum. float32, float64.
   */
  public static final OpDef LOG_SOFTMAX = OpRegistry.register(new SoftmaxDef("LogSoftmax")
      .withGradient(NnGradients::logSoftmax));

  // ---------------------------------------------------------------- losses

  /**
   * {@code SoftmaxCrossEntropyWithLogits}: inputs {@code features} (the logits) and {@code labels} (a probability
   * distribution per row), same dtype; outputs {@code loss = -sum(labels * log_softmax(features))} over the last axis
   * and {@code backprop = softmax(features) - labels}. As TF's kernel, rank-2 inputs may broadcast against each other
   * ({@code [1, C]} or {@code [B, 1]} against {@code [B, C]}). Beyond TF's op, inputs of any equal rank >= 1 are
   * accepted and their outer dimensions are batch dimensions: that is what TF's Python wrapper makes of them by
   * flattening, so {@code loss} has the input shape without its last dimension. float32, float64.
   */
  public static final OpDef SOFTMAX_CROSS_ENTROPY_WITH_LOGITS = OpRegistry.register(
      new OpDef("SoftmaxCrossEntropyWithLogits") {
        @Override
        public void inferOutputs(InferenceContext ctx) {
          DType t = ctx.requireAllowed(0, "features", FLOATS);
          ctx.requireSameType(1, "labels", 0, "features");
          Shape logits = ctx.inputShape(0);
          Shape labels = ctx.inputShape(1);
          Optional<Shape> same = sameShape(logits, labels);
          if (same.isPresent()) {
            Shape s = ctx.withRankAtLeast(same.get(), 1);
            ctx.addOutput(t, s.hasRank() ? s.subShape(0, s.rank() - 1) : Shape.unknown()).addOutput(t, s);
            return;
          }
          Shape b = ctx.broadcast(logits, labels);
          if (b.rank() != 2) {
            throw ctx.error("Shape must be broadcasted with rank 2, but is rank " + b.rank());
          }
          ctx.addOutput(t, Shape.of(b.size(0))).addOutput(t, b);
        }
      }.withGradient(NnGradients::softmaxCrossEntropyWithLogits));

  /**
   * {@code SparseSoftmaxCrossEntropyWithLogits}: inputs {@code features} (the logits, {@code [..., C]}) and
   * {@code labels} (class indices, int32 or int64, shape {@code [...]}); outputs {@code loss = -log_softmax(features)
   * [label]} of shape {@code [...]} and {@code backprop = softmax(features) - one_hot(label)}. TF's op takes rank-2
   * logits; this one also takes other ranks >= 1 with the outer dimensions as batch, which is what TF's Python
   * wrapper makes of them by flattening. A label outside {@code [0, C)} fails the run. float32, float64.
   */
  public static final OpDef SPARSE_SOFTMAX_CROSS_ENTROPY_WITH_LOGITS = OpRegistry.register(
      new OpDef("SparseSoftmaxCrossEntropyWithLogits") {
        @Override
        public void inferOutputs(InferenceContext ctx) {
          DType t = ctx.requireAllowed(0, "features", FLOATS);
          ctx.requireAllowed(1, "labels", DTypeSets.INDEX);
          Shape logits = ctx.requireRankAtLeast(0, 1);
          Shape labels = ctx.inputShape(1);
          if (!logits.hasRank()) {
            if (!labels.hasRank()) {
              ctx.addOutput(t, Shape.unknown()).addOutput(t, Shape.unknown());
            } else {
              ctx.addOutput(t, labels).addOutput(t, labels.concatenate(Shape.unknownDims(1)));
            }
            return;
          }
          int batchRank = logits.rank() - 1;
          labels = ctx.requireRank(1, batchRank);
          long[] batch = new long[batchRank];
          for (int i = 0; i < batchRank; i++) {
            batch[i] = ctx.mergeDim(logits.size(i), labels.size(i));
          }
          Shape loss = Shape.of(batch);
          ctx.addOutput(t, loss).addOutput(t, loss.concatenate(Shape.of(logits.size(-1))));
        }
      }.withGradient(NnGradients::sparseSoftmaxCrossEntropyWithLogits));

  /** {@code L2Loss}: the scalar {@code sum(t ** 2) / 2}. float32, float64. */
  public static final OpDef L2_LOSS = OpRegistry.register(new OpDef("L2Loss") {
    @Override
    public void inferOutputs(InferenceContext ctx) {
      ctx.addOutput(ctx.requireAllowed(0, "t", FLOATS), Shape.scalar());
    }
  }.withGradient(NnGradients::l2Loss));

  // ---------------------------------------------------------------- fused LSTM gates

  /**
   * {@code LSTMBlockGates}: the element-wise math of TF's {@code LSTMBlockCell} (TF's {@code LSTMBlockCellFprop})
   * on gate pre-activations computed elsewhere, so a cell keeps its {@code MatMul}. Inputs {@code gates} ({@code N
   * >= 1} tensors {@code [B, 4H]}, summed), {@code cs_prev [B, H]}, {@code b [4H]} and the peephole weights {@code
   * wci}, {@code wcf}, {@code wco [H]} (zeros when unused, as TF passes them); attrs {@code T}, {@code N},
   * {@code forget_bias}, {@code cell_clip} (clips only when {@code > 0}), {@code use_peephole}. Outputs, in TF's
   * order, {@code i, cs, f, o, ci, co, h}, each {@code [B, H]}, with the gate columns laid out {@code i, j, f, o}
   * (BasicLSTMCell's and LSTMCell's kernel layout):
   *
   * <pre>
   * icfo = sum(gates) + b
   * i  = sigmoid(icfo[:, 0:H] [+ wci * cs_prev])
   * ci = tanh(icfo[:, H:2H])
   * f  = sigmoid(icfo[:, 2H:3H] + forget_bias [+ wcf * cs_prev])
   * cs = clip(ci * i + cs_prev * f, -cell_clip, cell_clip)     (clip only for cell_clip > 0)
   * o  = sigmoid(icfo[:, 3H:4H] [+ wco * cs])
   * co = tanh(cs)
   * h  = co * o
   * </pre>
   *
   * float32 is computed in float32, float64 in float64, in the composed graph's order of operations. The gradient
   * uses only those of {@code cs} and {@code h}, as TF's {@code _LSTMBlockCellGrad}.
   */
  public static final OpDef LSTM_BLOCK_GATES = OpRegistry.register(new LstmBlockDefs.GatesDef()
      .withGradient(LstmGradients::lstmBlockGates));

  /**
   * {@code LSTMBlockGatesGrad}: the backward step of {@link #LSTM_BLOCK_GATES} (TF's {@code LSTMBlockCellBprop}).
   * Inputs {@code cs_prev, wci, wcf, wco, i, cs, f, o, ci, co} (the forward op's inputs and outputs),
   * {@code cs_grad, h_grad} (gradients of {@code cs} and {@code h}); attrs {@code T}, {@code use_peephole},
   * {@code cell_clip}. Outputs {@code cs_prev_grad [B, H]}, {@code dicfo [B, 4H]} (the gradient of the summed
   * pre-activations, layout {@code i, j, f, o}) and {@code wci_grad, wcf_grad, wco_grad [H]} (zeros without
   * peepholes).
   *
   * <p>Unlike TF's kernel, which ignores the clip, it is the gradient of the composed graph, whose {@code
   * clip_by_value} passes the gradient of {@code cs} only where the unclipped state lies in {@code [-cell_clip,
   * cell_clip]} (the bounds included): it recomputes the unclipped state {@code ci * i + cs_prev * f} for that.
   * Not differentiable, as TF's.
   */
  public static final OpDef LSTM_BLOCK_GATES_GRAD = OpRegistry.register(new LstmBlockDefs.GatesGradDef()
      .notDifferentiable());

  // ---------------------------------------------------------------- helpers

  /** The merge of two shapes if they can be the same shape (TF's {@code Merge}); empty if they cannot. */
  private static Optional<Shape> sameShape(Shape a, Shape b) {
    return a.isCompatibleWith(b) ? Optional.of(a.mergeWith(b)) : Optional.empty();
  }

  /** An element-wise activation: one input of an allowed dtype, output of the same dtype and shape. */
  private static final class Activation extends OpDef {
    private final String param;
    private final Set<DType> allowed;

    Activation(String type, String param, Set<DType> allowed) {
      super(type);
      this.param = param;
      this.allowed = allowed;
    }

    @Override
    public void inferOutputs(InferenceContext ctx) {
      ctx.addOutput(ctx.requireAllowed(0, param, allowed), ctx.inputShape(0));
    }
  }

  /** Softmax and LogSoftmax: rank >= 1, shape unchanged, an optional in-range class axis. */
  private static final class SoftmaxDef extends OpDef {
    SoftmaxDef(String type) {
      super(type);
    }

    @Override
    public void inferOutputs(InferenceContext ctx) {
      DType t = ctx.requireAllowed(0, "logits", FLOATS);
      Shape s = ctx.requireRankAtLeast(0, 1);
      if (ctx.hasAttr(SOFTMAX_AXIS_ATTR) && s.hasRank()) {
        long axis = ctx.attrLong(SOFTMAX_AXIS_ATTR);
        if (Shapes.normalizeAxis(axis, s.rank()) < 0) {
          String message = axisOutOfRange(axis, s.rank());
          throw ctx.error(message.substring(0, message.length() - 1));
        }
      }
      ctx.addOutput(t, s);
    }
  }

  /** TF's message for a softmax axis outside {@code [-rank, rank)}. */
  public static String axisOutOfRange(long axis, int rank) {
    return "Dimension (" + axis + ") must be in the range [" + -rank + ", " + rank + ") where " + rank
        + " is the number of dimensions in the input.";
  }
}
