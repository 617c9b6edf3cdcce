package dev.scopeflow.ops.defs;

import dev.scopeflow.graph.AttributeReader;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.runtime.InvalidArgumentFactory;
import dev.scopeflow.ops.InferenceContext;
import dev.scopeflow.ops.OpDef;
import java.util.function.IntFunction;

/**
 * The fused LSTM gate ops {@code LSTMBlockGates} and {@code LSTMBlockGatesGrad} (registered in {@link NnDefs}): TF's
 * {@code LSTMBlockCell} / {@code LSTMBlockCellGrad} math without their matrix product, so a cell keeps its
 * {@code MatMul} (and TF's graph names) and only the element-wise gate math is fused. Also the attribute reading
 * and the run-time checks (TF's texts) every runtime's kernels share.
 */
public final class LstmBlockDefs {
  private LstmBlockDefs() {}

  /** Number of inputs of {@code LSTMBlockGates} after its {@code N} gate inputs: cs_prev, b, wci, wcf, wco. */
  public static final int GATES_TRAILING_INPUTS = 5;

  /** Number of inputs of {@code LSTMBlockGatesGrad}. */
  public static final int GRAD_INPUTS = 12;

  /** The attributes of the gate math: TF's {@code forget_bias}, {@code cell_clip} and {@code use_peephole}. */
  public record Attrs(double forgetBias, double cellClip, boolean usePeephole) {
    /** The attributes of an {@code LSTMBlockGates} op (all three) or an {@code LSTMBlockGatesGrad} op (no bias). */
    public static Attrs of(AttributeReader op, boolean withForgetBias) {
      return new Attrs(withForgetBias ? op.attrDouble("forget_bias") : 0, op.attrDouble("cell_clip"),
          op.attrBool("use_peephole"));
    }

    /** Whether the cell state is clipped: TF clips only for {@code cell_clip > 0}. */
    public boolean clips() {
      return cellClip > 0;
    }
  }

  /**
   * One call of either op, checked: its number of gate inputs {@code N} (0 for {@code LSTMBlockGatesGrad}), batch
   * {@code B}, cell size {@code H} and attributes.
   */
  public record Call(int gateInputs, int batch, int cellSize, Attrs attrs) {}

  // ---------------------------------------------------------------- shape inference

  /** {@code LSTMBlockGates}: see {@link NnDefs#LSTM_BLOCK_GATES}. */
  static final class GatesDef extends OpDef {
    GatesDef() {
      super("LSTMBlockGates");
    }

    @Override
    public void inferOutputs(InferenceContext ctx) {
      int n = ctx.numInputs() - GATES_TRAILING_INPUTS;
      ctx.requireAttrAtLeast("N", n, 1);
      if (ctx.hasAttr("N") && ctx.attrLong("N") != n) {
        throw ctx.error("Attr N is " + ctx.attrLong("N") + " but the op has " + n + " gate inputs");
      }
      ctx.requireSameTypes(0, n, "gates");
      DType t = ctx.requireAllowed(0, "gates", DTypeSets.FLOATING);
      String[] names = {"cs_prev", "b", "wci", "wcf", "wco"};
      for (int k = 0; k < names.length; k++) {
        ctx.requireSameType(n + k, names[k], 0, "gates");
      }
      for (int k = 0; k < n; k++) {
        ctx.requireRank(k, 2);
      }
      Shape gates = ctx.mergeInputShapes(0, n);
      gates = ctx.withRank(gates, 2);
      Shape csPrev = ctx.requireRank(n, 2);
      Shape b = ctx.requireRank(n + 1, 1);
      long batch = ctx.mergeDim(gates.size(0), csPrev.size(0));
      long gateWidth = ctx.mergeDim(gates.size(1), b.size(0));
      long cellSize = mergeCellSize(ctx, csPrev.size(1), gateWidth);
      for (int k = 2; k < names.length; k++) {
        cellSize = ctx.mergeDim(cellSize, ctx.requireRank(n + k, 1).size(0));
      }
      Shape out = Shape.of(batch, cellSize);
      for (int k = 0; k < 7; k++) {
        ctx.addOutput(t, out);
      }
    }
  }

  /** {@code LSTMBlockGatesGrad}: see {@link NnDefs#LSTM_BLOCK_GATES_GRAD}. */
  static final class GatesGradDef extends OpDef {
    GatesGradDef() {
      super("LSTMBlockGatesGrad");
    }

    @Override
    public void inferOutputs(InferenceContext ctx) {
      ctx.requireNumInputs(GRAD_INPUTS);
      DType t = ctx.requireAllowed(0, "cs_prev", DTypeSets.FLOATING);
      String[] names = {"cs_prev", "wci", "wcf", "wco", "i", "cs", "f", "o", "ci", "co", "cs_grad", "h_grad"};
      for (int k = 1; k < names.length; k++) {
        ctx.requireSameType(k, names[k], 0, "cs_prev");
      }
      Shape state = ctx.requireRank(0, 2);
      for (int k = 4; k < names.length; k++) {
        state = ctx.merge(state, ctx.requireRank(k, 2));
      }
      long cellSize = state.size(1);
      for (int k = 1; k <= 3; k++) {
        cellSize = ctx.mergeDim(cellSize, ctx.requireRank(k, 1).size(0));
      }
      long batch = state.size(0);
      Shape perCell = Shape.of(cellSize);
      ctx.addOutput(t, Shape.of(batch, cellSize))
          .addOutput(t, Shape.of(batch, cellSize < 0 ? Shape.UNKNOWN_DIM : 4 * cellSize))
          .addOutput(t, perCell).addOutput(t, perCell).addOutput(t, perCell);
    }
  }

  /** Merges the cell size {@code H} with a gate width {@code 4H} (both may be unknown, -1). */
  private static long mergeCellSize(InferenceContext ctx, long cellSize, long gateWidth) {
    if (gateWidth < 0) {
      return cellSize;
    }
    if (gateWidth % 4 != 0) {
      throw ctx.error("Dimension size must be evenly divisible by 4 but is " + gateWidth);
    }
    return ctx.mergeDim(cellSize, gateWidth / 4);
  }

  // ---------------------------------------------------------------- run-time checks

  /**
   * Checks the run-time shapes of {@code LSTMBlockGates}'s {@code numInputs} inputs ({@code N} gate inputs then
   * cs_prev, b, wci, wcf, wco; {@code inputShape} gives input {@code k}'s shape) in the words of TF's
   * {@code LSTMBlockCellOp}, and reads the op's attributes: what every runtime's kernel starts with.
   */
  public static Call checkGates(InvalidArgumentFactory errors, AttributeReader op, int numInputs,
      IntFunction<Shape> inputShape) {
    int n = numInputs - GATES_TRAILING_INPUTS;
    Shape[] inputs = shapes(numInputs, inputShape);
    Shape csPrev = inputs[n];
    requireRank(errors, "cs_prev", csPrev, 2);
    long batch = csPrev.size(0);
    long cellSize = csPrev.size(1);
    for (int k = 0; k < n; k++) {
      String name = n == 1 ? "gates" : "gates[" + k + "]";
      requireRank(errors, name, inputs[k], 2);
      requireDim(errors, name + ".dims(0) != batch_size", inputs[k].size(0), batch);
      requireDim(errors, name + ".dims(1) != cell_size * 4", inputs[k].size(1), 4 * cellSize);
    }
    requireRank(errors, "b", inputs[n + 1], 1);
    requireDim(errors, "b.dim_size(0) != cell_size * 4", inputs[n + 1].size(0), 4 * cellSize);
    checkPeepholes(errors, inputs, n + 2, cellSize);
    return call(n, batch, cellSize, Attrs.of(op, true));
  }

  /**
   * Checks the run-time shapes of {@code LSTMBlockGatesGrad}'s twelve inputs ({@code inputShape} gives input
   * {@code k}'s shape) in the words of TF's {@code LSTMBlockCellGradOp}, and reads the op's attributes.
   */
  public static Call checkGatesGrad(InvalidArgumentFactory errors, AttributeReader op,
      IntFunction<Shape> inputShape) {
    Shape[] inputs = shapes(GRAD_INPUTS, inputShape);
    Shape csPrev = inputs[0];
    requireRank(errors, "cs_prev", csPrev, 2);
    long batch = csPrev.size(0);
    long cellSize = csPrev.size(1);
    checkPeepholes(errors, inputs, 1, cellSize);
    String[] names = {"i", "cs", "f", "o", "ci", "co", "cs_grad", "h_grad"};
    for (int k = 0; k < names.length; k++) {
      Shape s = inputs[4 + k];
      requireRank(errors, names[k], s, 2);
      requireDim(errors, names[k] + ".dims(0) != batch_size", s.size(0), batch);
      requireDim(errors, names[k] + ".dims(1) != cell_size", s.size(1), cellSize);
    }
    return call(0, batch, cellSize, Attrs.of(op, false));
  }

  private static Shape[] shapes(int count, IntFunction<Shape> inputShape) {
    Shape[] shapes = new Shape[count];
    for (int k = 0; k < count; k++) {
      shapes[k] = inputShape.apply(k);
    }
    return shapes;
  }

  private static void checkPeepholes(InvalidArgumentFactory errors, Shape[] inputs, int first, long cellSize) {
    String[] names = {"wci", "wcf", "wco"};
    for (int k = 0; k < names.length; k++) {
      requireRank(errors, names[k], inputs[first + k], 1);
      requireDim(errors, names[k] + ".dim_size(0) != cell_size", inputs[first + k].size(0), cellSize);
    }
  }

  private static void requireRank(InvalidArgumentFactory errors, String name, Shape s, int rank) {
    if (s.rank() != rank) {
      throw errors.invalidArgument(name + " must be rank " + rank + " but is rank " + s.rank());
    }
  }

  private static void requireDim(InvalidArgumentFactory errors, String what, long actual, long expected) {
    if (actual != expected) {
      throw errors.invalidArgument(what + ": " + actual + " vs. " + expected);
    }
  }

  private static Call call(int gateInputs, long batch, long cellSize, Attrs attrs) {
    // Every [B, 4H] array is a Java array, so B * 4H fits in an int once the inputs exist.
    return new Call(gateInputs, Math.toIntExact(batch), Math.toIntExact(cellSize), attrs);
  }
}
