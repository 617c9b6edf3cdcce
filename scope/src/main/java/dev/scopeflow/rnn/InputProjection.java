package dev.scopeflow.rnn;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.NameScope;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.ops.Ops;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The hoisted input projection of {@code static_rnn} and {@code dynamic_rnn}: when every step's input is known before
 * the loop and the cell (or the first layer of a {@link MultiRNNCell}) is an LSTM cell on the fused path, {@code x_t
 * @ W_x} of ALL steps is one {@code MatMul} {@code [T*B, I] @ [I, 4N]} outside the loop, and a step multiplies only
 * {@code h @ W_h}; the fused gate op sums the two. Same numbers as {@code concat([x, h]) @ kernel} up to rounding.
 *
 * <p>The hook between the rnn functions and the cells (package-private on both sides): the rnn function wraps each
 * cell call in {@link #call}, which offers the target cell a {@link Step} for that call only. An LSTM cell takes it
 * when its call receives exactly the step's input, it uses the fused op and its kernel fits ({@link
 * LSTMCellBase#gatePreActivations}); it then builds its loop invariants ({@code W_x}, the all-steps product, {@code
 * W_h}) once through {@link Step#invariants} and reads its step's rows with {@link Step#rows}. A cell that does not
 * take the step (another activation, a shape that does not fit, a wrapper that passes another tensor) computes its
 * product itself as before.
 *
 * <p>The cell still creates its variables on its first call, inside the loop body for {@code dynamic_rnn}: the
 * variables, the scope the cell captures ({@code rnn/basic_lstm_cell}), its name scope ({@code
 * rnn/while/basic_lstm_cell/}) and the collections are exactly TF's. Only the projection is lifted out of the body (as
 * a variable's initializer is), into name scope {@code <rnn scope>/input_projection/}; the cell's own {@code MatMul}
 * (now {@code h @ W_h}) keeps TF's name.
 */
abstract class InputProjection {
  private final Graph graph;
  private final LSTMCellBase target;
  /** The rnn function's name scope, where the outside ops go ({@code rnn}). */
  private final String rnnNameScope;
  /** {@code <rnn scope>/input_projection/}, once opened. */
  private String projectionScope;
  private List<Output> invariants;
  private final Map<Output, Object> rowSources = new HashMap<>();

  private InputProjection(Graph graph, LSTMCellBase target) {
    this.graph = graph;
    this.target = target;
    this.rnnNameScope = graph.getNameScope();
  }

  /**
   * For {@code dynamic_rnn}: the projection of time-major {@code inputs} {@code [T, B, I]}, or null when it does not
   * apply (nested inputs, no LSTM cell on the fused path first, an input of unknown depth).
   *
   * @param constTimeSteps T if static, else -1
   * @param constBatchSize B if static, else -1
   */
  static InputProjection forDynamicRnn(Graph graph, RNNCell cell, Object inputs, List<Output> flatInput,
      long constTimeSteps, long constBatchSize) {
    LSTMCellBase target = target(cell);
    if (target == null || flatInput.size() != 1 || !(inputs instanceof Operand)) {
      return null;
    }
    Output x = flatInput.get(0);
    Shape s = x.shape();
    // Inside another loop's body the ops could not leave this loop's body alone (and nested loops have no gradient).
    if (!target.usesFusedOp(x.dtype()) || !s.hasRank() || s.rank() != 3 || s.size(2) == Shape.UNKNOWN_DIM
        || graph.currentSubgraph().isPresent()) {
      return null;
    }
    return new DynamicProjection(graph, target, x, constTimeSteps, constBatchSize);
  }

  /**
   * For {@code static_rnn}: the projection of the per-step inputs {@code [B, I]}, or null when it does not apply
   * (nested inputs, inputs of other ranks, dtypes, depths or static batch sizes, no LSTM cell on the fused path
   * first).
   */
  static InputProjection forStaticRnn(Graph graph, RNNCell cell, List<?> inputs) {
    LSTMCellBase target = target(cell);
    if (target == null || !(inputs.get(0) instanceof Operand)) {
      return null;
    }
    Shape first = ((Operand) inputs.get(0)).shape();
    DType dtype = ((Operand) inputs.get(0)).dtype();
    if (!target.usesFusedOp(dtype) || !first.hasRank() || first.rank() != 2 || first.size(1) == Shape.UNKNOWN_DIM) {
      return null;
    }
    for (Object input : inputs) {
      if (!(input instanceof Operand) || ((Operand) input).dtype() != dtype
          || !((Operand) input).shape().equals(first)) {
        return null;
      }
    }
    @SuppressWarnings("unchecked")
    List<Operand> steps = (List<Operand>) inputs;
    return new StaticProjection(graph, target, steps);
  }

  /** The cell whose input the rnn function feeds: the cell itself, or the first layer of a (nested) MultiRNNCell. */
  private static LSTMCellBase target(RNNCell cell) {
    RNNCell c = cell;
    while (c instanceof MultiRNNCell) {
      c = ((MultiRNNCell) c).cells().get(0);
    }
    return c instanceof LSTMCellBase ? (LSTMCellBase) c : null;
  }

  /**
   * Runs one cell call ({@code call}) with this projection offered for step {@code index} (an int32 scalar inside a
   * loop body, an {@code Integer} for an unrolled step) whose input is {@code input}.
   */
  final CellOutput call(Object index, Object input, Supplier<CellOutput> call) {
    if (!(input instanceof Operand)) {
      return call.get();
    }
    target.offerProjectedStep(new Step(this, (Operand) input, index));
    try {
      return call.get();
    } finally {
      target.offerProjectedStep(null);
    }
  }

  /** The inputs of all steps as one matrix {@code [T*B, I]}, step after step; built outside the loop. */
  abstract Output allInputs(Ops tf);

  /** What {@link #rows} reads step rows from, made once per all-steps tensor {@code [T*B, K]}, outside the loop. */
  abstract Object rowSource(Ops tf, Output allSteps);

  /** The rows {@code [B, K]} of step {@code index}, read from {@code source}, in the current (cell's) context. */
  abstract Output rowsAt(Ops tf, Object source, Object index, long width, DType dtype);

  /**
   * Builds {@code build} where the rnn function builds its scaffolding (before the loop, for {@code dynamic_rnn}
   * leaving the loop body being built), in name scope {@code <rnn scope>/input_projection/} (opened, uniquified, on
   * the first use, re-entered afterwards).
   */
  final <T> T outside(Supplier<T> build) {
    try (Context context = enterRnnContext();
        NameScope rnn = graph.nameScope(rnnNameScope.isEmpty() ? "" : rnnNameScope + "/")) {
      if (projectionScope == null) {
        try (NameScope s = graph.nameScope("input_projection")) {
          projectionScope = s.name();
          return build.get();
        }
      }
      try (NameScope s = graph.nameScope(projectionScope)) {
        return build.get();
      }
    }
  }

  /**
   * Enters the graph context of the rnn function's own ops (closed by the caller): for {@code dynamic_rnn}, out of the
   * loop body; nothing to do for {@code static_rnn}, whose steps are built in that context.
   */
  abstract Context enterRnnContext();

  /** An entered graph context, left by {@link #close()}. */
  interface Context extends AutoCloseable {
    @Override
    void close();
  }

  /** What the rnn function offers the cell for one step call. */
  static final class Step {
    private final InputProjection projection;
    private final Operand input;
    private final Object index;

    private Step(InputProjection projection, Operand input, Object index) {
      this.projection = projection;
      this.input = input;
      this.index = index;
    }

    /** The tensor the rnn function passes as this step's input. */
    Operand input() {
      return input;
    }

    /**
     * The loop invariants: {@code build} applied to {@link InputProjection#allInputs} {@code [T*B, I]}, outside the
     * loop, on the first call of the rnn function's cell; later steps get the same tensors.
     */
    List<Output> invariants(Function<Output, List<Output>> build) {
      InputProjection p = projection;
      if (p.invariants == null) {
        p.invariants = List.copyOf(p.outside(() -> build.apply(p.allInputs(Ops.create(p.graph)))));
      }
      return p.invariants;
    }

    /** The rows {@code [B, K]} of this step in {@code allSteps} {@code [T*B, K]} (an invariant). */
    Output rows(Output allSteps) {
      InputProjection p = projection;
      Ops tf = Ops.create(p.graph);
      Object source = p.rowSources.get(allSteps);
      if (source == null) {
        source = p.outside(() -> p.rowSource(tf, allSteps));
        p.rowSources.put(allSteps, source);
      }
      return p.rowsAt(tf, source, index, allSteps.shape().size(1), allSteps.dtype());
    }
  }

  /**
   * {@code dynamic_rnn}: {@code reshape(x, [-1, I])} of the time-major input; the product is reshaped to {@code [T, B,
   * K]} and read per iteration from a tensor list (whose gradient touches one element per iteration).
   */
  private static final class DynamicProjection extends InputProjection {
    private final Output timeMajorInput;
    private final long constTimeSteps;
    private final long constBatchSize;

    DynamicProjection(Graph graph, LSTMCellBase target, Output timeMajorInput, long constTimeSteps,
        long constBatchSize) {
      super(graph, target);
      this.timeMajorInput = timeMajorInput;
      this.constTimeSteps = constTimeSteps;
      this.constBatchSize = constBatchSize;
    }

    /**
     * Leaves the loop body (and, as a variable's initializer does, the control blocks around it: the projection reads
     * the time-major inputs, which carry the rnn function's control dependencies, and the kernel, whose reads TF
     * does not order either).
     */
    @Override
    Context enterRnnContext() {
      return timeMajorInput.graph().noControlDependencies()::close;
    }

    @Override
    Output allInputs(Ops tf) {
      return tf.array.reshape(timeMajorInput, -1, timeMajorInput.shape().size(2));
    }

    @Override
    Object rowSource(Ops tf, Output allSteps) {
      long width = allSteps.shape().size(1);
      Output perStep;
      if (constTimeSteps != Shape.UNKNOWN_DIM && constBatchSize != Shape.UNKNOWN_DIM) {
        perStep = tf.array.reshape(allSteps, constTimeSteps, constBatchSize, width);
      } else {
        Output timeAndBatch = tf.array.slice(tf.array.shape(timeMajorInput), new int[] {0}, new int[] {2});
        Output shape = tf.array.concat(List.of(timeAndBatch, tf.constant(new int[] {Math.toIntExact(width)})), 0);
        perStep = tf.array.reshape(allSteps, shape);
        perStep.setShape(Shape.of(constTimeSteps, constBatchSize, width));
      }
      return tf.tensorList.fromTensor(perStep);
    }

    @Override
    Output rowsAt(Ops tf, Object source, Object index, long width, DType dtype) {
      return tf.tensorList.getItem((Output) source, (Output) index, Shape.of(constBatchSize, width), dtype);
    }
  }

  /** {@code static_rnn}: the step inputs concatenated along the batch axis; the product split back into steps. */
  private static final class StaticProjection extends InputProjection {
    private final List<Operand> steps;

    StaticProjection(Graph graph, LSTMCellBase target, List<Operand> steps) {
      super(graph, target);
      this.steps = List.copyOf(steps);
    }

    @Override
    Context enterRnnContext() {
      return () -> { };
    }

    @Override
    Output allInputs(Ops tf) {
      return steps.size() == 1 ? steps.get(0).asOutput() : tf.array.concat(steps, 0);
    }

    @Override
    Object rowSource(Ops tf, Output allSteps) {
      return steps.size() == 1 ? List.of(allSteps) : tf.array.split(allSteps, steps.size(), 0);
    }

    @Override
    Output rowsAt(Ops tf, Object source, Object index, long width, DType dtype) {
      @SuppressWarnings("unchecked")
      List<Output> parts = (List<Output>) source;
      return parts.get((Integer) index);
    }
  }
}
