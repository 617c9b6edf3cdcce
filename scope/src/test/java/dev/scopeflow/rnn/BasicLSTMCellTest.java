package dev.scopeflow.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.TfTypeError;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.init.Initializers;
import dev.scopeflow.scope.Reuse;
import dev.scopeflow.scope.ScopeTestBase;
import dev.scopeflow.scope.VariableScope;
import dev.scopeflow.scope.VariableScopeArgs;
import dev.scopeflow.scope.VariableScopeHandle;
import dev.scopeflow.scope.layers.Activations;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** BasicLSTMCell construction (spec 7.1, 7.2, 7.4.1, 7.4.6 to 7.4.10): variables, op structure, errors, warnings. */
class BasicLSTMCellTest extends ScopeTestBase {
  private Output x(long... dims) {
    return tf.placeholder(DType.FLOAT32, Shape.of(dims));
  }

  private LSTMStateTuple<Output> state(long batch, long units) {
    return LSTMStateTuple.of(x(batch, units), x(batch, units));
  }

  private List<String> opNamesUnder(String prefix) {
    return graph.operations().stream().map(Operation::name).filter(n -> n.startsWith(prefix))
        .collect(Collectors.toList());
  }

  // spec 7.4.1
  @Test
  void variablesShapesCountAndName() {
    BasicLSTMCell cell = new BasicLSTMCell(graph, 4);
    assertEquals("basic_lstm_cell_1", cell.name());
    assertEquals(LSTMStateTuple.of(4, 4), cell.stateSize());
    assertEquals(4, cell.outputSize());
    cell.apply(x(-1, 3), state(-1, 4));
    assertEquals(List.of("basic_lstm_cell/kernel:0", "basic_lstm_cell/bias:0"), names(tf.state.globalVariables()));
    assertEquals(Shape.of(7, 16), cell.kernel().shape());
    assertEquals(Shape.of(16), cell.bias().shape());
    assertEquals(128, cell.countParams());
    assertEquals(List.of(cell.kernel(), cell.bias()), cell.trainableWeights());
    assertEquals("basic_lstm_cell", cell.scopeName());
    assertEquals(8, BasicLSTMCell.builder(graph, 4).stateIsTuple(false).build().stateSize());
  }

  // spec 7.3: TF's op structure (the composed graph); forget_bias is a Const of f's dtype
  @Test
  void composedOpsAreTfs() {
    BasicLSTMCell cell = BasicLSTMCell.builder(graph, 2).dtype(DType.FLOAT64).forgetBias(0.25).build();
    cell.setFusedOpEnabled(false);
    Output x = tf.placeholder(DType.FLOAT64, Shape.of(-1, 3));
    CellOutput out = cell.apply(x, LSTMStateTuple.of(tf.placeholder(DType.FLOAT64, Shape.of(-1, 2)),
        tf.placeholder(DType.FLOAT64, Shape.of(-1, 2))));
    assertEquals(List.of("basic_lstm_cell/kernel", "basic_lstm_cell/bias"), names(tf.state.globalVariables())
        .stream().map(n -> n.substring(0, n.length() - 2)).collect(Collectors.toList()));
    assertEquals("MatMul", graph.operation("basic_lstm_cell/MatMul").get().type());
    assertEquals("BiasAdd", graph.operation("basic_lstm_cell/BiasAdd").get().type());
    Operation split = graph.operation("basic_lstm_cell/split").get();
    assertEquals("Split", split.type());
    assertEquals(4, split.outputs().size());
    Operation forgetBias = graph.operation("basic_lstm_cell/Const_2").get();
    assertEquals(DType.FLOAT64, forgetBias.outputs().get(0).dtype());
    assertEquals(0.25, forgetBias.attrTensor("value").getDouble(0), 0);
    assertEquals("basic_lstm_cell/Mul_2:0", out.output().name());
    assertSame(out.output(), out.lstmState().h());
    assertEquals("basic_lstm_cell/Add_1:0", out.lstmState().c().name());
    assertEquals(Shape.of(-1, 2), out.output().shape());
    assertEquals(DType.FLOAT64, cell.kernel().dtype());
    // the concatenated variant splits the state and concatenates the new one
    BasicLSTMCell concat = BasicLSTMCell.builder(graph, 2).stateIsTuple(false).name("concat_cell").build();
    concat.setFusedOpEnabled(false);
    CellOutput c = concat.apply(x(-1, 3), x(-1, 4));
    assertEquals("concat_cell/concat_1:0", c.stateTensor().name());
    assertEquals(Shape.of(-1, 4), c.stateTensor().shape());
    assertEquals("Split", graph.operation("concat_cell/split").get().type());
  }

  // issue 8: with tanh, TF's concat + MatMul, then one LSTMBlockGates op for the rest (forget_bias an attribute)
  @Test
  void fusedOpsKeepTheMatMulAndReplaceTheGateChain() {
    BasicLSTMCell cell = BasicLSTMCell.builder(graph, 2).dtype(DType.FLOAT64).forgetBias(0.25).build();
    Output x = tf.placeholder(DType.FLOAT64, Shape.of(-1, 3));
    CellOutput out = cell.apply(x, LSTMStateTuple.of(tf.placeholder(DType.FLOAT64, Shape.of(-1, 2)),
        tf.placeholder(DType.FLOAT64, Shape.of(-1, 2))));
    Operation matmul = graph.operation("basic_lstm_cell/MatMul").get();
    assertEquals("ConcatV2", matmul.input(0).op().type());
    assertEquals("basic_lstm_cell/concat", matmul.input(0).op().name());
    Operation gates = graph.operation("basic_lstm_cell/LSTMBlockGates").get();
    assertEquals("LSTMBlockGates", gates.type());
    assertEquals(matmul.output(0), gates.input(0));
    assertEquals(cell.bias().asOutput(), gates.input(2));
    assertEquals(0.25, gates.attrDouble("forget_bias"), 0);
    assertEquals(-1, gates.attrDouble("cell_clip"), 0);
    assertFalse(gates.attrBool("use_peephole"));
    assertEquals(gates.output(6), out.output());
    assertSame(out.output(), out.lstmState().h());
    assertEquals(gates.output(1), out.lstmState().c());
    assertEquals(Shape.of(-1, 2), out.output().shape());
    for (String type : List.of("BiasAdd", "Split", "Sigmoid", "Tanh", "Mul", "AddV2")) {
      assertTrue(opNamesUnder("basic_lstm_cell/").stream().filter(n -> !n.contains("/Initializer/")).noneMatch(
          n -> graph.operation(n).get().type().equals(type)), type);
    }
    // the concatenated state is still split and concatenated around the op
    BasicLSTMCell concat = BasicLSTMCell.builder(graph, 2).stateIsTuple(false).name("concat_cell").build();
    CellOutput c = concat.apply(x(-1, 3), x(-1, 4));
    assertEquals("concat_cell/concat_1:0", c.stateTensor().name());
    assertEquals(Shape.of(-1, 4), c.stateTensor().shape());
    assertEquals("LSTMBlockGates", graph.operation("concat_cell/LSTMBlockGates").get().type());
  }

  // spec 7.2: the scope initializer reaches the kernel, never the bias
  @Test
  void scopeInitializerAppliesToTheKernelOnly() {
    try (VariableScopeHandle root = vs.variableScope(VariableScopeArgs.named("root")
        .initializer(Initializers.constant(0.5)))) {
      new BasicLSTMCell(graph, 2).apply(x(1, 2), state(1, 2));
    }
    assertTrue(graph.operation("root/basic_lstm_cell/kernel/Initializer/Const").isPresent());
    assertTrue(graph.operation("root/basic_lstm_cell/bias/Initializer/zeros").isPresent());
    assertTrue(opNamesUnder("root/basic_lstm_cell/bias/Initializer/Const").isEmpty());
  }

  // spec 7.4.6
  @Test
  void shapeMismatchesFailAtConstruction() {
    BasicLSTMCell cell = BasicLSTMCell.builder(graph, 2).stateIsTuple(false).build();
    assertError(TfValueError.class, "Dimensions must be equal, but are 7 and 6", () -> cell.apply(x(-1, 4),
        x(-1, 6)));
    BasicLSTMCell other = new BasicLSTMCell(graph, 2);
    assertError(TfValueError.class, "Dimension 0 in both shapes must be equal, but are 3 and 2",
        () -> other.apply(x(3, 4), state(2, 2)));
  }

  // spec 7.4.7
  @Test
  void unknownDepthAndWrongRanks() {
    assertEquals("Expected inputs.shape[-1] to be known, received shape: (None, None)",
        assertThrows(TfValueError.class, () -> new BasicLSTMCell(graph, 2).apply(x(-1, -1), state(-1, 2)))
            .getMessage());
    assertEquals("Input 0 of layer \"basic_lstm_cell_2\" is incompatible with the layer: expected ndim=2, found "
        + "ndim=3. Full shape received: (2, 3, 4)", assertThrows(TfValueError.class,
            () -> new BasicLSTMCell(graph, 2).apply(x(2, 3, 4), state(2, 2))).getMessage());
    assertEquals("as_list() is not defined on an unknown TensorShape.", assertThrows(TfValueError.class,
        () -> new BasicLSTMCell(graph, 2).apply(tf.placeholder(DType.FLOAT32), state(2, 2))).getMessage());
  }

  // spec 7.4.8 and 5.7
  @Test
  void intDtypesAreRefused() {
    String text = "RNN cell only supports floating point inputs, but received dtype: <dtype: 'int32'>";
    assertEquals(text, assertThrows(TfValueError.class,
        () -> BasicLSTMCell.builder(graph, 2).dtype(DType.INT32).build()).getMessage());
    BasicLSTMCell floatCell = BasicLSTMCell.builder(graph, 2).dtype(DType.FLOAT32).build();
    assertEquals(text, assertThrows(TfValueError.class, () -> floatCell.apply(x(1, 2),
        LSTMStateTuple.of(x(1, 2), tf.placeholder(DType.INT32, Shape.of(1, 2))))).getMessage());
    // no dtype given: an int input makes the layer dtype int32, refused in build
    assertEquals(text, assertThrows(TfValueError.class, () -> new BasicLSTMCell(graph, 2).apply(
        tf.placeholder(DType.INT32, Shape.of(1, 2)), state(1, 2))).getMessage());
  }

  // spec 7.4.9
  @Test
  void callingTwiceCreatesNothingNewAndASecondCellIsUniquified() {
    BasicLSTMCell cell = new BasicLSTMCell(graph, 2);
    BasicLSTMCell second = new BasicLSTMCell(graph, 2);
    try (VariableScopeHandle root = vs.variableScope("root")) {
      cell.apply(x(1, 2), state(1, 2));
      cell.apply(x(1, 2), state(1, 2));
      second.apply(x(1, 2), state(1, 2));
    }
    assertEquals(List.of("root/basic_lstm_cell/kernel:0", "root/basic_lstm_cell/bias:0",
        "root/basic_lstm_cell_1/kernel:0", "root/basic_lstm_cell_1/bias:0"), names(tf.state.globalVariables()));
    assertEquals(2, cell.weights().size());
    assertEquals(2, cell.inboundNodes().size());
  }

  // spec 7.4.10 and 12.10
  @Test
  void reuseTrueNeedsExistingVariables() {
    BasicLSTMCell owner = new BasicLSTMCell(graph, 2);
    owner.apply(x(1, 2), state(1, 2));
    BasicLSTMCell sharing = BasicLSTMCell.builder(graph, 2).reuse(true).build();
    sharing.apply(x(1, 2), state(1, 2));
    assertEquals("basic_lstm_cell", sharing.scopeName());
    assertEquals(owner.trainableWeights(), sharing.trainableWeights());
    BasicLSTMCell auto = BasicLSTMCell.builder(graph, 2).reuse(Reuse.AUTO_REUSE).build();
    auto.apply(x(1, 2), state(1, 2));
    assertEquals(owner.trainableWeights(), auto.trainableWeights());
    assertEquals(2, tf.state.globalVariables().size());
    BasicLSTMCell fresh = BasicLSTMCell.builder(graph, 2).reuse(true).build();
    try (VariableScopeHandle other = vs.variableScope("other")) {
      assertError(TfValueError.class, "Variable other/basic_lstm_cell/kernel does not exist, or was not created "
          + "with tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?",
          () -> fresh.apply(x(1, 2), state(1, 2)));
    }
  }

  // spec 7.4.10 exactly: a fresh graph, a reusing cell and nothing to reuse
  @Test
  void reuseTrueOnAFreshGraph() {
    BasicLSTMCell fresh = BasicLSTMCell.builder(graph, 2).reuse(true).build();
    assertError(TfValueError.class, "Variable basic_lstm_cell/kernel does not exist, or was not created with "
        + "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?",
        () -> fresh.apply(x(1, 2), state(1, 2)));
    assertEquals(List.of(), tf.state.globalVariables());
  }

  // spec 7.1: activation by object, by Keras name, falsy -> tanh, unknown -> Keras' text
  @Test
  void activations() {
    BasicLSTMCell relu = BasicLSTMCell.builder(graph, 2).activation("relu").name("relu_cell").build();
    relu.apply(x(1, 2), state(1, 2));
    assertTrue(graph.operation("relu_cell/Relu").isPresent());
    assertTrue(graph.operation("relu_cell/Relu_1").isPresent());
    assertTrue(opNamesUnder("relu_cell/Tanh").isEmpty());
    assertTrue(opNamesUnder("relu_cell/LSTMBlockGates").isEmpty());
    BasicLSTMCell empty = BasicLSTMCell.builder(graph, 2).activation("").name("empty").build();
    assertSame(Activations.tanh(), empty.activation());
    empty.apply(x(1, 2), state(1, 2));
    assertTrue(graph.operation("empty/LSTMBlockGates").isPresent()); // tanh: the fused op
    BasicLSTMCell object = BasicLSTMCell.builder(graph, 2).activation(Activations.sigmoid()).name("object").build();
    assertSame(Activations.sigmoid(), object.activation());
    BasicLSTMCell custom = BasicLSTMCell.builder(graph, 2).activation(v -> tf.math.square(v)).name("custom").build();
    custom.apply(x(1, 2), state(1, 2));
    assertTrue(graph.operation("custom/Square_1").isPresent());
    assertError(TfValueError.class, "Unknown activation function: nope. Please ensure this object is passed to the "
        + "`custom_objects` argument. See https://www.tensorflow.org/guide/keras/save_and_serialize"
        + "#registering_the_custom_object for details.",
        () -> BasicLSTMCell.builder(graph, 2).activation("nope").build());
    BasicLSTMCell gelu = BasicLSTMCell.builder(graph, 2).activation("gelu").name("gelu_cell").build();
    gelu.apply(x(1, 2), state(1, 2));
    assertTrue(graph.operation("gelu_cell/Gelu/Erf").isPresent(), "gelu is keras' erf form");
  }

  @Test
  void stateTupleErrors() {
    BasicLSTMCell cell = new BasicLSTMCell(graph, 2);
    assertError(TfTypeError.class, "iterating over `tf.Tensor` is not allowed in Graph execution.",
        () -> cell.apply(x(1, 2), x(1, 4)));
    BasicLSTMCell other = new BasicLSTMCell(graph, 2);
    assertError(TfValueError.class, "too many values to unpack (expected 2)",
        () -> other.apply(x(1, 2), List.of(x(1, 2), x(1, 2), x(1, 2))));
    BasicLSTMCell concat = BasicLSTMCell.builder(graph, 2).stateIsTuple(false).build();
    assertError(TfTypeError.class, "A cell with state_is_tuple=False takes its state as one tensor [batch, 4], "
        + "but received: ", () -> concat.apply(x(1, 2), state(1, 2)));
  }

  @Test
  void warningsGoToTheLogger() {
    CellWarnings.resetShownWarnings();
    try (LogCapture log = LogCapture.of(BasicLSTMCell.class)) {
      BasicLSTMCell first = BasicLSTMCell.builder(graph, 2).stateIsTuple(false).build();
      BasicLSTMCell.builder(graph, 2).build();
      BasicLSTMCell.builder(graph, 2).stateIsTuple(false).build();
      assertEquals(List.of("`tf.nn.rnn_cell.BasicLSTMCell` is deprecated and will be removed in a future version. "
          + "This class is equivalent as `tf.keras.layers.LSTMCell`, and will be replaced by that in Tensorflow 2.0.",
          first + ": Using a concatenated state is slower and will soon be deprecated.  Use state_is_tuple=True.",
          "<BasicLSTMCell 'basic_lstm_cell_3'>: Using a concatenated state is slower and will soon be deprecated.  "
              + "Use state_is_tuple=True."), log.warnings());
    }
  }

  @Test
  void builderOptions() {
    BasicLSTMCell a = BasicLSTMCell.builder(graph, 3).build();
    BasicLSTMCell b = BasicLSTMCell.builder(3).forgetBias(0.5).name("b").build(graph);
    assertSame(graph, a.graph());
    assertEquals(0.5, b.forgetBias(), 0);
    assertEquals(1.0, a.forgetBias(), 0);
    assertTrue(a.stateIsTuple());
    assertEquals("b", b.name());
    assertThrows(IllegalStateException.class, () -> BasicLSTMCell.builder(3).build());
    assertThrows(IllegalArgumentException.class, () -> BasicLSTMCell.builder(graph, 0));
    assertThrows(IllegalStateException.class, a::kernel);
    // a VariableScope as name: its name is the base name of the cell's scope
    VariableScope named;
    try (VariableScopeHandle h = vs.variableScope("enc")) {
      named = h.scope();
    }
    BasicLSTMCell byScope = BasicLSTMCell.builder(graph, 3).name(named).build();
    assertEquals("basic_lstm_cell_2", byScope.name());
    byScope.apply(x(1, 2), state(1, 3));
    // the base name is a default name: `enc` was entered once already
    assertEquals("enc_1", byScope.scopeName());
    // trainable=False: weights are non-trainable in the views (and in the collections)
    BasicLSTMCell frozen = BasicLSTMCell.builder(graph, 3).trainable(false).name("frozen").build();
    frozen.apply(x(1, 2), state(1, 3));
    assertEquals(List.of(), frozen.trainableWeights());
    assertEquals(2, frozen.nonTrainableWeights().size());
    assertFalse(names(tf.state.trainableVariables()).contains("frozen/kernel:0"));
  }

  @Test
  void copiesAreUnbuilt() {
    BasicLSTMCell cell = BasicLSTMCell.builder(graph, 2).activation("relu").build();
    cell.apply(x(1, 2), state(1, 2));
    BasicLSTMCell copy = cell.copy();
    assertFalse(copy.built());
    assertThrows(IllegalStateException.class, copy::kernel);
    assertSame(cell.activation(), copy.activation());
    Operand kernel = cell.kernel();
    assertEquals(Shape.of(4, 8), kernel.shape());
  }
}
