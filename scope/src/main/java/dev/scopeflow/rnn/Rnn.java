package dev.scopeflow.rnn;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.ControlDependencies;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.NameScope;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.TfTypeError;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.scope.VariableScope;
import dev.scopeflow.scope.VariableScopeHandle;
import dev.scopeflow.scope.VariableScopes;
import dev.scopeflow.scope.layers.Nest;
import dev.scopeflow.scope.layers.TfAttributeError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * TF's recurrent network builders {@code tf.compat.v1.nn.static_rnn} and {@code tf.compat.v1.nn.dynamic_rnn}: run an
 * {@link RNNCell} over a sequence, inside variable scope {@code rnn} (or the given scope), where the cell captures
 * {@code rnn/<cell name>} on its first call.
 *
 * <pre>{@code
 * BasicLSTMCell cell = BasicLSTMCell.builder(graph, 4).build();
 * Output x = tf.placeholder(DType.FLOAT32, Shape.of(-1, -1, 3));            // [batch, time, depth]
 * Rnn.DynamicRnnResult r = Rnn.dynamicRnn(cell, x, Rnn.dynamicOptions().dtype(DType.FLOAT32));
 * Output outputs = r.output();                                               // [batch, time, 4]
 * LSTMStateTuple<?> last = (LSTMStateTuple<?>) r.finalState();               // rnn/basic_lstm_cell/kernel:0 ...
 * }</pre>
 *
 * <p>{@link #staticRnn} unrolls: one cell call per list element, the cell's ops named {@code rnn/basic_lstm_cell/
 * MatMul}, {@code MatMul_1}, ... {@link #dynamicRnn} builds ONE functional while loop whose body calls the cell once,
 * so the graph does not grow with the number of time steps (a {@code [batch, None, depth]} placeholder works): the
 * cell's ops are under {@code rnn/while/<cell>/} while its variables are {@code rnn/<cell>/kernel:0}.
 *
 * <p>With a sequence length, row {@code b}'s outputs at steps {@code t >= len[b]} are zeros and its state is copied
 * through, so the final state is the state after step {@code len[b] - 1} (the initial state for length 0).
 *
 * <p>Both functions know every step's input before the loop: when the cell (or the first layer of a MultiRNNCell) is
 * an LSTM cell with the tanh activation, the input half of its product, {@code x_t @ W_x}, is computed for all steps
 * in one {@code MatMul} ({@code rnn/input_projection/MatMul}, {@code [T*B, I] @ [I, 4N]}) and each step multiplies
 * only {@code h @ W_h} in the cell's own {@code MatMul}. Variables, their names and the cell's scopes are the same as
 * without it.
 */
public final class Rnn {
  private Rnn() {}

  // ---------------------------------------------------------------- options and results

  /**
   * The optional arguments of {@link #staticRnn}: {@code initial_state}, {@code dtype}, {@code sequence_length},
   * {@code scope}. Mutable builder; each setter returns this.
   */
  public static final class StaticRnnOptions {
    private Object initialState;
    private DType dtype;
    private Object sequenceLength;
    private Object scope;

    private StaticRnnOptions() {}

    /** The initial state, in the structure of the cell's state size (default: the cell's zero state). */
    public StaticRnnOptions initialState(Object initialState) {
      this.initialState = Preconditions.checkNotNull(initialState, "initialState");
      return this;
    }

    /** The dtype of the zero initial state and of the zero outputs; required without an initial state. */
    public StaticRnnOptions dtype(DType dtype) {
      this.dtype = Preconditions.checkNotNull(dtype, "dtype");
      return this;
    }

    /** The length of each sequence, an int32 or int64 vector {@code [batch]} (converted to int32). */
    public StaticRnnOptions sequenceLength(Operand sequenceLength) {
      this.sequenceLength = Preconditions.checkNotNull(sequenceLength, "sequenceLength");
      return this;
    }

    /** The length of each sequence as numbers: a constant {@code rnn/sequence_length}. */
    public StaticRnnOptions sequenceLength(int... lengths) {
      this.sequenceLength = Preconditions.checkNotNull(lengths, "lengths").clone();
      return this;
    }

    /** The variable scope, relative to the current one (default {@code rnn}; empty means the default). */
    public StaticRnnOptions scope(String scope) {
      this.scope = Preconditions.checkNotNull(scope, "scope");
      return this;
    }

    /** A captured variable scope, re-entered under its absolute name. */
    public StaticRnnOptions scope(VariableScope scope) {
      this.scope = Preconditions.checkNotNull(scope, "scope");
      return this;
    }
  }

  /**
   * The optional arguments of {@link #dynamicRnn}: {@code sequence_length}, {@code initial_state}, {@code dtype},
   * {@code parallel_iterations}, {@code swap_memory}, {@code time_major}, {@code scope}. Mutable builder; each setter
   * returns this.
   */
  public static final class DynamicRnnOptions {
    private Object sequenceLength;
    private Object initialState;
    private DType dtype;
    private int parallelIterations;
    private boolean swapMemory;
    private boolean timeMajor;
    private Object scope;

    private DynamicRnnOptions() {}

    /** The length of each sequence, an int32 or int64 vector {@code [batch]} (cast to int32, checked at run time). */
    public DynamicRnnOptions sequenceLength(Operand sequenceLength) {
      this.sequenceLength = Preconditions.checkNotNull(sequenceLength, "sequenceLength");
      return this;
    }

    /** The length of each sequence as numbers (an int32 constant). */
    public DynamicRnnOptions sequenceLength(int... lengths) {
      this.sequenceLength = Preconditions.checkNotNull(lengths, "lengths").clone();
      return this;
    }

    /** The initial state, in the structure of the cell's state size (default: the cell's zero state). */
    public DynamicRnnOptions initialState(Object initialState) {
      this.initialState = Preconditions.checkNotNull(initialState, "initialState");
      return this;
    }

    /** The dtype of the zero initial state and of the outputs; required without an initial state. */
    public DynamicRnnOptions dtype(DType dtype) {
      this.dtype = Preconditions.checkNotNull(dtype, "dtype");
      return this;
    }

    /**
     * TF's {@code parallel_iterations} (0: TF's default 32). Accepted for compatibility: iterations run one after
     * another.
     *
     * @throws TfValueError {@code parallel_iterations must be a positive integer.} for a negative value
     */
    public DynamicRnnOptions parallelIterations(int parallelIterations) {
      if (parallelIterations < 0) {
        throw new TfValueError("parallel_iterations must be a positive integer.");
      }
      this.parallelIterations = parallelIterations;
      return this;
    }

    /** TF's {@code swap_memory}: accepted and ignored (there is no separate device memory to swap out of). */
    public DynamicRnnOptions swapMemory(boolean swapMemory) {
      this.swapMemory = swapMemory;
      return this;
    }

    /** Inputs and outputs are {@code [time, batch, ...]} instead of {@code [batch, time, ...]} (default false). */
    public DynamicRnnOptions timeMajor(boolean timeMajor) {
      this.timeMajor = timeMajor;
      return this;
    }

    /** The variable scope, relative to the current one (default {@code rnn}; empty means the default). */
    public DynamicRnnOptions scope(String scope) {
      this.scope = Preconditions.checkNotNull(scope, "scope");
      return this;
    }

    /** A captured variable scope, re-entered under its absolute name. */
    public DynamicRnnOptions scope(VariableScope scope) {
      this.scope = Preconditions.checkNotNull(scope, "scope");
      return this;
    }
  }

  /** Default {@link StaticRnnOptions}. */
  public static StaticRnnOptions staticOptions() {
    return new StaticRnnOptions();
  }

  /** Default {@link DynamicRnnOptions}. */
  public static DynamicRnnOptions dynamicOptions() {
    return new DynamicRnnOptions();
  }

  /**
   * What {@link #staticRnn} returns: TF's pair {@code (outputs, state)}.
   *
   * @param outputs one output per time step: a tensor {@code [batch, output_size]}, or a structure of tensors for a
   *     cell with a nested output size
   * @param finalState the last state, in the structure of the initial state (a tensor, an {@link LSTMStateTuple}, a
   *     list of per-layer states)
   */
  public record StaticRnnResult(List<Object> outputs, Object finalState) {
    public StaticRnnResult {
      outputs = Collections.unmodifiableList(new ArrayList<>(outputs));
      Preconditions.checkNotNull(finalState, "finalState");
    }

    /**
     * The outputs as tensors, one per time step.
     *
     * @throws IllegalStateException if the cell's outputs are structures
     */
    public List<Output> outputTensors() {
      List<Output> r = new ArrayList<>();
      for (Object o : outputs) {
        Preconditions.checkState(o instanceof Operand, "the outputs are structures, not tensors: %s", o);
        r.add(((Operand) o).asOutput());
      }
      return Collections.unmodifiableList(r);
    }

    /**
     * The final state as one tensor.
     *
     * @throws IllegalStateException if the state is a structure
     */
    public Output finalStateTensor() {
      return single(finalState, "final state");
    }

    /**
     * The final state of an LSTM cell with a tuple state: {@code (c, h)}.
     *
     * @throws IllegalStateException for any other state structure
     */
    public LSTMStateTuple<Output> finalLstmState() {
      return LSTMStateTuple.ofTensors(finalState);
    }
  }

  /**
   * What {@link #dynamicRnn} returns: TF's pair {@code (outputs, state)}.
   *
   * @param outputs a tensor {@code [batch, time, output_size]} ({@code [time, batch, output_size]} when time-major),
   *     or a structure of such tensors for a nested output size
   * @param finalState the last state of every row, in the structure of the initial state
   */
  public record DynamicRnnResult(Object outputs, Object finalState) {
    public DynamicRnnResult {
      Preconditions.checkNotNull(outputs, "outputs");
      Preconditions.checkNotNull(finalState, "finalState");
    }

    /**
     * The outputs as one tensor.
     *
     * @throws IllegalStateException if the outputs are a structure
     */
    public Output output() {
      return single(outputs, "outputs");
    }

    /**
     * The final state as one tensor.
     *
     * @throws IllegalStateException if the state is a structure
     */
    public Output finalStateTensor() {
      return single(finalState, "final state");
    }

    /**
     * The final state of an LSTM cell with a tuple state: {@code (c, h)}.
     *
     * @throws IllegalStateException for any other state structure
     */
    public LSTMStateTuple<Output> finalLstmState() {
      return LSTMStateTuple.ofTensors(finalState);
    }
  }

  private static Output single(Object value, String what) {
    Preconditions.checkState(value instanceof Operand, "the %s is a structure, not one tensor: %s", what, value);
    return ((Operand) value).asOutput();
  }

  // ---------------------------------------------------------------- static_rnn

  /** {@link #staticRnn(Object, List, StaticRnnOptions)} with a zero initial state of {@code dtype}. */
  public static StaticRnnResult staticRnn(Object cell, List<?> inputs, DType dtype) {
    return staticRnn(cell, inputs, staticOptions().dtype(dtype));
  }

  /**
   * TF's {@code static_rnn(cell, inputs, initial_state, dtype, sequence_length, scope)}: the cell unrolled over
   * {@code inputs} (one {@code [batch, depth]} tensor, or structure of tensors, per time step) inside variable scope
   * {@code rnn} (or the given one), reusing the scope's variables from step 1 on ({@code
   * varscope.reuse_variables()}). The cell's ops of step {@code t} get TF's uniquified names ({@code
   * rnn/basic_lstm_cell/MatMul}, {@code MatMul_1}, ...).
   *
   * <p>With a sequence length every step is TF's {@code _rnn_step}: per batch row, a step at or past the row's length
   * outputs zeros and copies the previous state through ({@code Select} per output and state tensor). TF wraps that
   * in conditionals ({@code t >= max(len)}: skip the cell; {@code t < min(len)}: take everything); ScopeFlow has no
   * {@code Cond} op and applies the per-row selection at every step, which gives the same numbers (the cell's ops run
   * on every step).
   *
   * @param cell an {@link RNNCell} (anything else fails TF's {@code assert_like_rnncell})
   * @param inputs the time steps; must not be empty
   * @throws TfTypeError {@code The argument 'cell' (...) is not an RNNCell: ...}; {@code inputs must be a sequence}
   *     for null inputs
   * @throws TfValueError {@code inputs must not be empty}; {@code Shape <s> must have rank at least 2}; {@code
   *     Dimensions <a> and <b> are not compatible} (batch sizes); {@code Input size (dimension <i> of inputs) must be
   *     accessible via shape inference, but saw value None.}; {@code If no initial_state is provided, dtype must be
   *     specified}; {@code sequence_length must be a vector of length batch_size}; {@code State has tensors of
   *     different inferred_dtypes. Unable to infer a single representative dtype.}
   */
  public static StaticRnnResult staticRnn(Object cell, List<?> inputs, StaticRnnOptions options) {
    Preconditions.checkNotNull(options, "options");
    RNNCell.assertLikeRnnCell("cell", cell);
    if (inputs == null) {
      throw new TfTypeError("inputs must be a sequence");
    }
    if (inputs.isEmpty()) {
      throw new TfValueError("inputs must not be empty");
    }
    warnDeprecated("static_rnn", "Please use `keras.layers.RNN(cell, unroll=True)`, which is "
        + "equivalent to this API");
    RNNCell rnnCell = (RNNCell) cell;
    Graph graph = rnnCell.graph();
    Ops tf = Ops.create(graph);
    List<Object> outputs = new ArrayList<>();
    try (VariableScopeHandle handle = enterScope(graph, options.scope)) {
      VariableScope varscope = handle.scope();
      Output firstInput = leafTensor(RnnStep.firstLeaf(inputs), "get_shape");
      Shape firstShape = firstInput.shape();
      long fixedBatchSize;
      if (!firstShape.hasRank() || firstShape.rank() != 1) {
        RnnStep.withRankAtLeast(firstShape, 2);
        if (!firstShape.hasRank()) {
          throw new TfTypeError("'NoneType' object is not subscriptable");
        }
        fixedBatchSize = firstShape.size(0);
        for (Object leaf : Nest.flatten(inputs)) {
          Shape shape = RnnStep.withRankAtLeast(leafTensor(leaf, "get_shape").shape(), 2);
          // TF merges each batch dimension with the first input's and drops the result (Dimension is immutable):
          // only the compatibility with the first input is checked.
          if (shape.hasRank() && fixedBatchSize != Shape.UNKNOWN_DIM && shape.size(0) != Shape.UNKNOWN_DIM
              && shape.size(0) != fixedBatchSize) {
            throw new TfValueError("Dimensions " + fixedBatchSize + " and " + shape.size(0) + " are not compatible");
          }
          if (!shape.hasRank()) {
            throw new TfTypeError("'NoneType' object is not iterable");
          }
          for (int i = 1; i < shape.rank(); i++) {
            if (shape.size(i) == Shape.UNKNOWN_DIM) {
              throw new TfValueError("Input size (dimension " + (i - 1) + " of inputs) must be accessible via shape "
                  + "inference, but saw value None.");
            }
          }
        }
      } else {
        fixedBatchSize = firstShape.size(0);
      }
      Object batchSize = fixedBatchSize > 0 ? (Object) Math.toIntExact(fixedBatchSize)
          : RnnStep.dimension(tf, firstInput, 0);

      Object state;
      if (options.initialState != null) {
        state = options.initialState;
      } else {
        if (options.dtype == null) {
          throw new TfValueError("If no initial_state is provided, dtype must be specified");
        }
        state = rnnCell.getInitialState(null, batchSize, options.dtype);
      }

      Output sequenceLength = null;
      Object zeroOutput = null;
      if (options.sequenceLength != null) {
        sequenceLength = options.sequenceLength instanceof int[]
            ? tf.withName("sequence_length").constant((int[]) options.sequenceLength)
            : ((Operand) options.sequenceLength).asOutput();
        Shape lengthShape = sequenceLength.shape();
        if (lengthShape.hasRank() && lengthShape.rank() != 1) {
          throw new TfValueError("sequence_length must be a vector of length batch_size");
        }
        Integer staticBatch = fixedBatchSize == Shape.UNKNOWN_DIM ? null : Math.toIntExact(fixedBatchSize);
        Object outputSize = rnnCell.outputSize();
        List<Output> flatZeroOutput = new ArrayList<>();
        for (Object size : Nest.flatten(outputSize)) {
          Output shape = ShapeConcat.dynamic(tf, batchSize, size);
          Output zeros = tf.array.zeros(shape, RnnStep.inferStateDtype(options.dtype, state));
          ShapeConcat.staticShape(tf, staticBatch, size).ifPresent(zeros::setShape);
          flatZeroOutput.add(zeros);
        }
        zeroOutput = Nest.packSequenceAs(outputSize, flatZeroOutput);
        sequenceLength = tf.math.cast(sequenceLength, DType.INT32);
        // TF's conditionals use these; the per-row selection does not, but the ops stay, as in TF's graph.
        tf.math.reduceMin(sequenceLength);
        tf.math.reduceMax(sequenceLength);
      }

      InputProjection projection = InputProjection.forStaticRnn(graph, rnnCell, inputs);
      for (int time = 0; time < inputs.size(); time++) {
        if (time > 0) {
          varscope.reuseVariables();
        }
        Object input = inputs.get(time);
        Object currentState = state;
        int stepIndex = time;
        Supplier<CellOutput> callCell = projection == null ? () -> rnnCell.apply(input, currentState)
            : () -> projection.call(stepIndex, input, () -> rnnCell.apply(input, currentState));
        CellOutput step;
        if (sequenceLength != null) {
          // Python's `time >= sequence_length` with an int on the left is the reflected sequence_length <= time.
          Output lengths = sequenceLength;
          Output copyCond = RnnStep.binaryWithNumber(tf, "LessEqual", lengths, time,
              (named, t) -> named.math.lessEqual(lengths, t));
          step = RnnStep.copySomeThrough(tf, copyCond, zeroOutput, currentState, callCell);
        } else {
          step = callCell.get();
        }
        outputs.add(step.outputStructure());
        state = step.state();
      }
      return new StaticRnnResult(outputs, state);
    }
  }

  // ---------------------------------------------------------------- dynamic_rnn

  /** {@link #dynamicRnn(Object, Object, DynamicRnnOptions)} with a zero initial state of {@code dtype}. */
  public static DynamicRnnResult dynamicRnn(Object cell, Object inputs, DType dtype) {
    return dynamicRnn(cell, inputs, dynamicOptions().dtype(dtype));
  }

  /**
   * TF's {@code dynamic_rnn(cell, inputs, sequence_length, initial_state, dtype, parallel_iterations, swap_memory,
   * time_major, scope)}: the cell run over the time dimension of {@code inputs} by one functional while loop, inside
   * variable scope {@code rnn} (or the given one).
   *
   * <p>Graph (names as in TF, scaffolding under {@code rnn/}): batch-major inputs are transposed to time-major
   * ({@code transpose}); a sequence length is cast to int32 and passed through {@code sequence_length}, then checked
   * at run time against the batch size by an {@code Assert} ({@code Expected shape for Tensor rnn/sequence_length:0
   * is [2] but saw shape: [3]}) guarding the identity {@code CheckSeqLen}; the loop {@code rnn/while} runs {@code
   * min(time_steps, max(1, max(sequence_length)))} iterations (at most {@code time_steps}) reading each step's input
   * from a tensor list, calling the cell once (ops under {@code rnn/while/<cell>/}), applying TF's {@code _rnn_step}
   * copy-through when a sequence length is given, and writing each output into a tensor list stacked after the
   * loop. Steps never computed give zero outputs. Outputs get TF's static shapes ({@code [B?, T?, output_size]}).
   *
   * @param cell an {@link RNNCell} (anything else fails TF's {@code assert_like_rnncell})
   * @param inputs a tensor {@code [batch, time, depth...]} ({@code [time, batch, ...]} when time-major) or a nested
   *     structure of them (flattened; each step's input is packed back into the structure for the cell)
   * @throws TfTypeError {@code The argument 'cell' (...) is not an RNNCell: ...}; {@code 'NoneType' object is not
   *     subscriptable} for batch-major inputs of unknown rank (TF's failure)
   * @throws TfValueError {@code sequence_length must be a vector of length batch_size, but saw shape: <s>}; {@code
   *     Expected input tensor <t> to have rank at least 2}; {@code If there is no initial_state, you must give a
   *     dtype.}; {@code Shape <s> must have rank at least 3}; {@code Input size (depth of inputs) must be accessible
   *     via shape inference, but saw value None.}; {@code Time steps is not the same for all the elements in the input
   *     in a batch.}; {@code Batch_size is not the same for all the elements in the input.}; {@code State has tensors
   *     of different inferred_dtypes. ...}; the while loop's texts when the cell changes the state's shape or
   *     structure
   */
  public static DynamicRnnResult dynamicRnn(Object cell, Object inputs, DynamicRnnOptions options) {
    Preconditions.checkNotNull(options, "options");
    RNNCell.assertLikeRnnCell("cell", cell);
    warnDeprecated("dynamic_rnn", "Please use `keras.layers.RNN(cell)`, which is equivalent to "
        + "this API");
    RNNCell rnnCell = (RNNCell) cell;
    Graph graph = rnnCell.graph();
    Ops tf = Ops.create(graph);
    try (VariableScopeHandle handle = enterScope(graph, options.scope)) {
      List<Output> flatInput = new ArrayList<>();
      for (Object leaf : Nest.flatten(inputs)) {
        flatInput.add(convertToTensor(leaf));
      }
      if (flatInput.isEmpty()) {
        // TF indexes flat_input[0] to find the batch size.
        throw new IndexOutOfBoundsException("list index out of range");
      }
      if (!options.timeMajor) {
        List<Output> transposed = new ArrayList<>();
        for (Output input : flatInput) {
          transposed.add(RnnStep.transposeBatchTime(tf, input));
        }
        flatInput = transposed;
      }
      int parallelIterations = options.parallelIterations == 0 ? 32 : options.parallelIterations;

      Output sequenceLength = null;
      if (options.sequenceLength != null) {
        sequenceLength = castSequenceLength(tf, options.sequenceLength);
        Shape lengthShape = sequenceLength.shape();
        if (lengthShape.hasRank() && lengthShape.rank() != 1) {
          throw new TfValueError("sequence_length must be a vector of length batch_size, but saw shape: "
              + lengthShape);
        }
        sequenceLength = tf.withName("sequence_length").identity(sequenceLength);
      }

      Object batchSize = RnnStep.bestEffortInputBatchSize(tf, flatInput);

      Object state;
      if (options.initialState != null) {
        state = options.initialState;
      } else {
        if (options.dtype == null) {
          throw new TfValueError("If there is no initial_state, you must give a dtype.");
        }
        state = rnnCell.getInitialState(null, batchSize, options.dtype);
      }

      if (sequenceLength != null) {
        Operation check = assertHasShape(tf, sequenceLength, batchSize);
        try (ControlDependencies deps = graph.controlDependencies(List.of(check))) {
          sequenceLength = tf.withName("CheckSeqLen").identity(sequenceLength);
        }
      }

      Object timeMajorInputs = Nest.packSequenceAs(inputs, flatInput);
      RnnLoop.Result loop = RnnLoop.build(tf, rnnCell, timeMajorInputs, flatInput, state, parallelIterations,
          sequenceLength, options.dtype);

      Object outputs = loop.outputs();
      if (!options.timeMajor) {
        outputs = Nest.mapStructure(o -> RnnStep.transposeBatchTime(tf, RnnStep.tensor(o)), outputs);
      }
      return new DynamicRnnResult(outputs, loop.finalState());
    }
  }

  /**
   * TF's {@code _assert_has_shape(sequence_length, [batch_size])}: {@code Assert(reduce_all(equal(shape(x),
   * stack([batch]))), ["Expected shape for Tensor <x.name> is ", packed, " but saw shape: ", shape(x)])}.
   */
  private static Operation assertHasShape(Ops tf, Output x, Object batchSize) {
    Output xShape = tf.array.shape(x);
    Output packedShape = batchSize instanceof Operand
        ? tf.withName("stack").array.stack(List.of((Operand) batchSize))
        : tf.withName("stack").constant(new int[] {(Integer) batchSize});
    Output condition = tf.math.reduceAll(tf.math.equal(xShape, packedShape));
    try (NameScope s = tf.graph().nameScope("Assert")) {
      return tf.withName("Assert").control.assertThat(condition,
          List.of("Expected shape for Tensor " + x.name() + " is ", packedShape, " but saw shape: ", xShape));
    }
  }

  /** {@code math_ops.cast(sequence_length, int32)}: a list of numbers becomes the int32 constant {@code Cast/x}. */
  private static Output castSequenceLength(Ops tf, Object sequenceLength) {
    if (sequenceLength instanceof int[]) {
      try (NameScope s = tf.graph().nameScope("Cast")) {
        return tf.withName("x").constant((int[]) sequenceLength);
      }
    }
    return tf.math.cast((Operand) sequenceLength, DType.INT32);
  }

  // ---------------------------------------------------------------- shared

  /** {@code variable_scope(scope or "rnn")}: a name relative to the current scope, or a captured scope. */
  private static VariableScopeHandle enterScope(Graph graph, Object scope) {
    VariableScopes scopes = VariableScopes.of(graph);
    if (scope instanceof VariableScope) {
      return scopes.variableScope((VariableScope) scope);
    }
    String name = (String) scope;
    return scopes.variableScope(name == null || name.isEmpty() ? "rnn" : name);
  }

  private static Output leafTensor(Object leaf, String attribute) {
    if (!(leaf instanceof Operand)) {
      throw new TfAttributeError("'" + LSTMStateTuple.pythonTypeName(leaf) + "' object has no attribute '"
          + attribute + "'");
    }
    return ((Operand) leaf).asOutput();
  }

  /** {@code ops.convert_to_tensor(x)} for an input leaf: only tensors are accepted. */
  private static Output convertToTensor(Object leaf) {
    if (leaf == null) {
      throw new TfValueError("None values not supported.");
    }
    if (!(leaf instanceof Operand)) {
      throw new TfTypeError("Failed to convert object of type " + LSTMStateTuple.pythonTypeName(leaf)
          + " to Tensor. Contents: " + (leaf == null ? "None" : leaf) + ". Consider casting elements to a supported "
          + "type.");
    }
    return ((Operand) leaf).asOutput();
  }

  /**
   * TF's {@code @deprecation.deprecated} notice, logged (WARNING, never stdout) once per function and process, as
   * TF's {@code warn_once}.
   */
  private static void warnDeprecated(String function, String instructions) {
    CellWarnings.warnOnce(Rnn.class, "deprecated " + function, function + " (from tensorflow.python.ops.rnn) is "
        + "deprecated and will be removed in a future version.\nInstructions for updating:\n" + instructions);
  }
}
