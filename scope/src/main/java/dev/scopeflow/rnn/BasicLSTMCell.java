package dev.scopeflow.rnn;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.LstmBlockGates;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.init.Initializers;
import dev.scopeflow.scope.layers.WeightOptions;
import java.util.Arrays;
import java.util.List;

/**
 * TF's {@code tf.compat.v1.nn.rnn_cell.BasicLSTMCell(num_units, forget_bias=1.0, state_is_tuple=True,
 * activation=None, reuse=None, name=None, dtype=None)} (keras 2.9 {@code legacy_cells.BasicLSTMCell}), deprecated in
 * TF for {@link LSTMCell}: an LSTM without peepholes, clipping or projection.
 *
 * <p>Weights (created on the first call, in this order): {@code <scope>/kernel} {@code [depth + N, 4N]} (the variable
 * scope's initializer, else glorot uniform) and {@code <scope>/bias} {@code [4N]} (zeros; a scope initializer does not
 * apply). One step, with {@code (c, h)} the state (or the two column halves of a concatenated state):
 *
 * <pre>
 * i, j, f, o = split(concat([x, h], 1) @ kernel + bias, 4, axis=1)
 * new_c = c * sigmoid(f + forget_bias) + sigmoid(i) * act(j)
 * new_h = act(new_c) * sigmoid(o)
 * return new_h, LSTMStateTuple(new_c, new_h)   (or concat([new_c, new_h], 1))
 * </pre>
 *
 * <p>With the default tanh activation everything after the {@code MatMul} is one fused {@code LSTMBlockGates} op
 * ({@link LSTMCellBase}); another activation builds the ops above as TF does.
 *
 * <pre>{@code
 * BasicLSTMCell cell = BasicLSTMCell.builder(graph, 4).forgetBias(0).activation("relu").build();
 * }</pre>
 */
public class BasicLSTMCell extends LSTMCellBase {

  /** {@code BasicLSTMCell(num_units)} with TF's defaults. */
  public BasicLSTMCell(Graph graph, int numUnits) {
    this(graph, builder(numUnits));
  }

  /**
   * The cell {@code builder} describes, in {@code graph}.
   *
   * @throws TfValueError {@code RNN cell only supports floating point inputs, but received dtype: <dtype: 'int32'>}
   *     for a non-floating dtype; Keras' {@code Unknown activation function: <name>. ...}
   */
  public BasicLSTMCell(Graph graph, Builder builder) {
    super(graph, builder, "BasicLSTMCell");
  }

  /** A builder for {@code BasicLSTMCell(num_units, ...)} in {@code graph}; finish with {@link Builder#build()}. */
  public static Builder builder(Graph graph, int numUnits) {
    return new Builder(Preconditions.checkNotNull(graph, "graph"), numUnits);
  }

  /** A builder for {@code BasicLSTMCell(num_units, ...)}; finish with {@link Builder#build(Graph)}. */
  public static Builder builder(int numUnits) {
    return new Builder(null, numUnits);
  }

  /** {@code LSTMStateTuple(N, N)}, or {@code 2N} for a concatenated state. */
  @Override
  public Object stateSize() {
    return stateIsTuple ? LSTMStateTuple.of(numUnits, numUnits) : 2 * numUnits;
  }

  /** {@code N}. */
  @Override
  public Object outputSize() {
    return numUnits;
  }

  /**
   * TF's {@code build(inputs_shape)}: adds {@code kernel} {@code [depth + N, 4N]} and {@code bias} {@code [4N]}.
   *
   * @throws TfValueError {@code as_list() is not defined on an unknown TensorShape.}; {@code Expected
   *     inputs.shape[-1] to be known, received shape: (2, None)} (keras 2.9); the dtype text of {@link
   *     RNNCell#checkSupportedDtype}
   */
  @Override
  public void build(Shape inputShape) {
    int depth = CellOps.knownDepth(requireKnownRank(inputShape));
    checkSupportedDtype(dtype().orElse(null));
    kernel = addWeight("kernel", WeightOptions.shape(Shape.of(depth + numUnits, 4L * numUnits)));
    bias = addWeight("bias", WeightOptions.shape(Shape.of(4L * numUnits)).initializer(Initializers.zeros()));
    setBuilt(true);
  }

  /** One LSTM step (TF's {@code BasicLSTMCell.call}). */
  @Override
  protected CellOutput call(Object inputs, Object state) {
    checkInputDtypes(Arrays.asList(inputs, state));
    Operand x = CellOps.singleInput(inputs);
    Ops tf = Ops.create(graph());
    boolean fused = usesFusedOp(x.dtype());
    if (!fused) {
      // TF's `one = tf.constant(1, dtype=tf.int32)`, the split axis; kept for the op count (graph-seeded randomness).
      tf.constant(1);
    }
    Operand c;
    Operand h;
    if (stateIsTuple) {
      LSTMStateTuple<Object> pair = LSTMStateTuple.fromPair(state);
      c = (Operand) pair.c();
      h = (Operand) pair.h();
    } else {
      List<Output> halves = tf.array.split(CellOps.concatenatedState(state, 2 * numUnits), 2, 1);
      c = halves.get(0);
      h = halves.get(1);
    }
    Output newC;
    Output newH;
    if (fused) {
      LstmBlockGates gates = fusedGates(tf, gatePreActivations(tf, x, h, numUnits), c, null, -1);
      newC = gates.cs();
      newH = gates.h();
    } else {
      List<Output> gates = composedGates(tf, x, h);
      Output i = gates.get(0);
      Output j = gates.get(1);
      Output f = gates.get(2);
      Output o = gates.get(3);
      Output forgetBiasTensor = tf.constant(forgetBias, f.dtype());
      newC = tf.math.add(tf.math.mul(c, tf.nn.sigmoid(tf.math.add(f, forgetBiasTensor))),
          tf.math.mul(tf.nn.sigmoid(i), activation.apply(j)));
      newH = tf.math.mul(activation.apply(newC), tf.nn.sigmoid(o));
    }
    Object newState = stateIsTuple ? LSTMStateTuple.of(newC, newH) : tf.array.concat(List.of(newC, newH), 1);
    return CellOutput.of(newH, newState);
  }

  @Override
  protected void resetCopiedState() {
    kernel = null;
    bias = null;
  }

  @Override
  public BasicLSTMCell copy() {
    return (BasicLSTMCell) super.copy();
  }

  /** The arguments of {@code BasicLSTMCell(num_units, forget_bias, state_is_tuple, activation, reuse, name, dtype)}. */
  public static final class Builder extends CellBuilder<Builder, BasicLSTMCell> {
    private Builder(Graph graph, int numUnits) {
      super(graph, numUnits);
    }

    @Override
    public BasicLSTMCell build(Graph graph) {
      return new BasicLSTMCell(graph, this);
    }
  }
}
