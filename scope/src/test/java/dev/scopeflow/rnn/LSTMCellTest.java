package dev.scopeflow.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.init.Initializers;
import dev.scopeflow.ops.init.Orthogonal;
import dev.scopeflow.scope.PartitionedVariable;
import dev.scopeflow.scope.ScopeTestBase;
import dev.scopeflow.scope.VariableScopeArgs;
import dev.scopeflow.scope.VariableScopeHandle;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** LSTMCell construction (spec 8.1, 8.2, 8.4.1, 8.4.2, 8.4.6, 8.4.8, 8.4.9): variables, ops, errors, warnings. */
class LSTMCellTest extends ScopeTestBase {
  private Output x(long... dims) {
    return tf.placeholder(DType.FLOAT32, Shape.of(dims));
  }

  private List<Shape> shapes(List<? extends Operand> weights) {
    return weights.stream().map(Operand::shape).collect(Collectors.toList());
  }

  // spec 8.4.1 (called directly in variable scope rnn, as dynamic_rnn places it)
  @Test
  void everythingVariablesInOrder() {
    LSTMCell cell = LSTMCell.builder(graph, 4).usePeepholes(true).numProj(2).build();
    assertEquals(LSTMStateTuple.of(4, 2), cell.stateSize());
    assertEquals(2, cell.outputSize());
    try (VariableScopeHandle rnn = vs.variableScope("rnn")) {
      cell.apply(x(-1, 3), LSTMStateTuple.of(x(-1, 4), x(-1, 2)));
    }
    assertEquals(List.of("rnn/lstm_cell/kernel:0", "rnn/lstm_cell/bias:0", "rnn/lstm_cell/w_f_diag:0",
        "rnn/lstm_cell/w_i_diag:0", "rnn/lstm_cell/w_o_diag:0", "rnn/lstm_cell/projection/kernel:0"),
        names(tf.state.globalVariables()));
    assertEquals(List.of(Shape.of(5, 16), Shape.of(16), Shape.of(4), Shape.of(4), Shape.of(4), Shape.of(4, 2)),
        shapes(tf.state.globalVariables()));
    assertEquals(116, cell.countParams());
    assertEquals(6, cell.trainableWeights().size());
    assertEquals("lstm_cell_1", cell.name());
  }

  // spec 8.4.2's names, and 8.3's op structure (Python's + and * are ops add/mul)
  @Test
  void namesAndOps() {
    LSTMCell cell;
    CellOutput out;
    try (VariableScopeHandle root = vs.variableScope(VariableScopeArgs.named("root")
        .initializer(Initializers.constant(0.5)))) {
      cell = LSTMCell.builder(graph, 8).numProj(6).stateIsTuple(false).build();
      cell.setFusedOpEnabled(false); // TF's composed graph
      assertEquals(14, cell.stateSize());
      assertEquals(6, cell.outputSize());
      out = cell.apply(x(3, 2), x(3, 14));
    }
    for (String op : List.of("root/lstm_cell/kernel", "root/lstm_cell/bias", "root/lstm_cell/projection/kernel")) {
      assertTrue(graph.operation(op).isPresent(), op);
    }
    assertEquals(Shape.of(3, 6), out.output().shape());
    assertEquals(Shape.of(3, 14), out.stateTensor().shape());
    assertEquals("root/lstm_cell/MatMul_1:0", out.output().name());
    assertEquals("root/lstm_cell/concat_1:0", out.stateTensor().name());
    assertEquals("Slice", graph.operation("root/lstm_cell/Slice_1").get().type());
    Operation addY = graph.operation("root/lstm_cell/add/y").get();
    assertEquals(1.0, addY.attrTensor("value").getDouble(0), 0);
    assertEquals("AddV2", graph.operation("root/lstm_cell/add").get().type());
    assertEquals("Mul", graph.operation("root/lstm_cell/mul_2").get().type());
    assertFalse(graph.operation("root/lstm_cell/clip_by_value").isPresent());
  }

  @Test
  void clipsAreTfsClipByValue() {
    LSTMCell cell = LSTMCell.builder(graph, 2).usePeepholes(true).cellClip(3).numProj(2).projClip(0.5).build();
    cell.setFusedOpEnabled(false); // TF's composed graph
    CellOutput out = cell.apply(x(1, 2), LSTMStateTuple.of(x(1, 2), x(1, 2)));
    assertEquals("Maximum", graph.operation("lstm_cell/clip_by_value").get().type());
    assertEquals("Minimum", graph.operation("lstm_cell/clip_by_value/Minimum").get().type());
    assertEquals(3.0, graph.operation("lstm_cell/clip_by_value/Minimum/y").get().attrTensor("value").getDouble(0),
        0);
    assertEquals(-3.0, graph.operation("lstm_cell/clip_by_value/y").get().attrTensor("value").getDouble(0), 0);
    assertEquals("lstm_cell/clip_by_value:0", out.lstmState().c().name());
    assertEquals("lstm_cell/clip_by_value_1:0", out.output().name());
    // proj_clip without num_proj is ignored
    LSTMCell noProj = LSTMCell.builder(graph, 2).projClip(0.5).name("no_proj").build();
    noProj.apply(x(1, 2), LSTMStateTuple.of(x(1, 2), x(1, 2)));
    assertFalse(graph.operation("no_proj/clip_by_value").isPresent());
  }

  // issue 8: peepholes and cell_clip go into the fused op (wci, wcf, wco = w_i_diag, w_f_diag, w_o_diag); the
  // projection and proj_clip stay ops after it; cell_clip 0 (which the op would not apply) keeps the composed graph
  @Test
  void fusedOpTakesPeepholesAndCellClipAndTheProjectionFollows() {
    LSTMCell cell = LSTMCell.builder(graph, 2).usePeepholes(true).cellClip(3).numProj(2).projClip(0.5).build();
    CellOutput out = cell.apply(x(1, 2), LSTMStateTuple.of(x(1, 2), x(1, 2)));
    Operation gates = graph.operation("lstm_cell/LSTMBlockGates").get();
    assertEquals(graph.operation("lstm_cell/MatMul").get().output(0), gates.input(0));
    List<Operand> peepholes = cell.peepholes().get();
    assertEquals(peepholes.get(1).asOutput(), gates.input(3)); // w_i_diag
    assertEquals(peepholes.get(0).asOutput(), gates.input(4)); // w_f_diag
    assertEquals(peepholes.get(2).asOutput(), gates.input(5)); // w_o_diag
    assertEquals(3.0, gates.attrDouble("cell_clip"), 0);
    assertTrue(gates.attrBool("use_peephole"));
    assertEquals(gates.output(1), out.lstmState().c());
    Operation projection = graph.operation("lstm_cell/MatMul_1").get();
    assertEquals(gates.output(6), projection.input(0));
    assertEquals("lstm_cell/clip_by_value:0", out.output().name());
    assertEquals(0.5, graph.operation("lstm_cell/clip_by_value/Minimum/y").get().attrTensor("value").getDouble(0),
        0);
    LSTMCell zeroClip = LSTMCell.builder(graph, 2).cellClip(0).name("zero_clip").build();
    zeroClip.apply(x(1, 2), LSTMStateTuple.of(x(1, 2), x(1, 2)));
    assertFalse(graph.operation("zero_clip/LSTMBlockGates").isPresent());
    assertTrue(graph.operation("zero_clip/clip_by_value").isPresent());
  }

  // spec 8.2: the cell's initializer reaches kernel, peepholes and projection; the bias stays zeros
  @Test
  void initializerReachesAllButTheBias() {
    LSTMCell cell = LSTMCell.builder(graph, 2).usePeepholes(true).numProj(2).initializer(Initializers.constant(0.5))
        .build();
    cell.apply(x(1, 2), LSTMStateTuple.of(x(1, 2), x(1, 2)));
    for (String w : List.of("kernel", "w_f_diag", "w_i_diag", "w_o_diag", "projection/kernel")) {
      assertTrue(graph.operation("lstm_cell/" + w + "/Initializer/Const").isPresent(), w);
    }
    assertTrue(graph.operation("lstm_cell/bias/Initializer/zeros").isPresent());
  }

  // spec 8.4.6 and 8.1
  @Test
  void initializerByKerasName() {
    LSTMCell orthogonal = LSTMCell.builder(graph, 2).initializer("orthogonal").build();
    assertInstanceOf(Orthogonal.class, orthogonal.initializer().get());
    orthogonal.apply(x(1, 2), LSTMStateTuple.of(x(1, 2), x(1, 2)));
    assertTrue(graph.operations().stream().anyMatch(op -> op.name().startsWith("lstm_cell/kernel/Initializer/")
        && op.type().equals("Qr")));
    assertEquals("Unknown initializer: nope. Please ensure this object is passed to the `custom_objects` argument. "
        + "See https://www.tensorflow.org/guide/keras/save_and_serialize#registering_the_custom_object for details.",
        assertThrows(TfValueError.class, () -> LSTMCell.builder(graph, 2).initializer("nope").build())
            .getMessage());
    assertEquals("Could not interpret initializer identifier: 3.5", assertThrows(TfValueError.class,
        () -> LSTMCell.builder(graph, 2).initializer((Object) 3.5).build()).getMessage());
    assertFalse(LSTMCell.builder(graph, 2).initializer((Object) null).build().initializer().isPresent());
  }

  // spec 8.4.8 and 12.15
  @Test
  void unitShardsPartitionTheKernel() {
    CellWarnings.resetShownWarnings();
    LSTMCell cell;
    try (LogCapture log = LogCapture.of(LSTMCell.class)) {
      cell = LSTMCell.builder(graph, 4).numUnitShards(2).build();
      assertEquals(List.of("`tf.nn.rnn_cell.LSTMCell` is deprecated and will be removed in a future version. This "
          + "class is equivalent as `tf.keras.layers.LSTMCell`, and will be replaced by that in Tensorflow 2.0.",
          cell + ": The num_unit_shards and proj_unit_shards parameters are deprecated and will be removed in Jan "
              + "2017.  Use a variable scope with a partitioner instead."), log.warnings());
    }
    cell.apply(x(-1, 3), LSTMStateTuple.of(x(-1, 4), x(-1, 4)));
    assertEquals(List.of("lstm_cell/kernel/part_0:0", "lstm_cell/kernel/part_1:0", "lstm_cell/bias:0"),
        names(tf.state.globalVariables()));
    assertEquals(List.of(Shape.of(4, 16), Shape.of(3, 16), Shape.of(16)), shapes(tf.state.globalVariables()));
    PartitionedVariable kernel = (PartitionedVariable) cell.kernel();
    assertTrue(cell.weights().containsAll(kernel.variables()));
    assertEquals(7 * 16 + 16, cell.countParams());

    // 12.15: D + P = 5 rows in two shards; the projection kernel in its own shards
    LSTMCell proj = LSTMCell.builder(graph, 4).usePeepholes(true).numProj(2).numUnitShards(2).numProjShards(2)
        .name("proj").build();
    proj.apply(x(-1, 3), LSTMStateTuple.of(x(-1, 4), x(-1, 2)));
    List<Operand> projVars = tf.state.globalVariables().stream().filter(v -> v.name().startsWith("proj/"))
        .collect(Collectors.toList());
    assertEquals(List.of("proj/kernel/part_0:0", "proj/kernel/part_1:0", "proj/bias:0", "proj/w_f_diag:0",
        "proj/w_i_diag:0", "proj/w_o_diag:0", "proj/projection/kernel/part_0:0", "proj/projection/kernel/part_1:0"),
        names(projVars));
    assertEquals(Shape.of(3, 16), projVars.get(0).shape());
    assertEquals(Shape.of(2, 16), projVars.get(1).shape());
    assertEquals(Shape.of(2, 2), projVars.get(6).shape());
  }

  // spec 8.4.9 and 8.3's input-size check
  @Test
  void unknownDepthErrors() {
    assertEquals("Expected inputs.shape[-1] to be known, received shape: (None, None)", assertThrows(
        TfValueError.class, () -> new LSTMCell(graph, 2).apply(x(-1, -1), LSTMStateTuple.of(x(-1, 2), x(-1, 2))))
        .getMessage());
    LSTMCell built = new LSTMCell(graph, 2);
    built.apply(x(-1, 3), LSTMStateTuple.of(x(-1, 2), x(-1, 2)));
    assertEquals("Could not infer input size from inputs.get_shape()[-1].Received input shape: (None, None)",
        assertThrows(TfValueError.class, () -> built.apply(x(-1, -1), LSTMStateTuple.of(x(-1, 2), x(-1, 2))))
            .getMessage());
    assertEquals("Could not infer input size from inputs.get_shape()[-1].Received input shape: <unknown>",
        assertThrows(TfValueError.class, () -> built.apply(tf.placeholder(DType.FLOAT32),
            LSTMStateTuple.of(x(-1, 2), x(-1, 2)))).getMessage());
    assertError(TfValueError.class, "Input 0 of layer \"lstm_cell_2\" is incompatible with the layer: expected "
        + "ndim=2, found ndim=3.", () -> built.apply(x(1, 2, 3), LSTMStateTuple.of(x(-1, 2), x(-1, 2))));
  }

  @Test
  void intDtypesAndBadArguments() {
    assertError(TfValueError.class, "RNN cell only supports floating point inputs, but received dtype: <dtype: "
        + "'int64'>", () -> LSTMCell.builder(graph, 2).dtype(DType.INT64).build());
    assertThrows(IllegalArgumentException.class, () -> LSTMCell.builder(graph, 2).numProj(0));
    CellWarnings.resetShownWarnings();
    try (LogCapture log = LogCapture.of(LSTMCell.class)) {
      LSTMCell concat = LSTMCell.builder(graph, 2).stateIsTuple(false).build();
      assertTrue(log.warnings().contains(concat + ": Using a concatenated state is slower and will soon be "
          + "deprecated.  Use state_is_tuple=True."));
    }
  }

  @Test
  void accessorsAndCopy() {
    LSTMCell cell = LSTMCell.builder(graph, 3).usePeepholes(true).cellClip(2).numProj(2).projClip(1)
        .forgetBias(0.5).activation("relu").build();
    assertEquals(3, cell.numUnits());
    assertTrue(cell.usePeepholes());
    assertEquals(2.0, cell.cellClip().get(), 0);
    assertEquals(1.0, cell.projClip().get(), 0);
    assertEquals(2, cell.numProj().get());
    assertEquals(0.5, cell.forgetBias(), 0);
    assertFalse(cell.numUnitShards().isPresent());
    assertThrows(IllegalStateException.class, cell::kernel);
    assertThrows(IllegalStateException.class, cell::peepholes);
    cell.apply(x(1, 4), LSTMStateTuple.of(x(1, 3), x(1, 2)));
    assertEquals(3, cell.peepholes().get().size());
    assertEquals(Shape.of(3, 2), cell.projectionKernel().get().shape());
    LSTMCell copy = cell.copy();
    assertFalse(copy.built());
    assertThrows(IllegalStateException.class, copy::bias);
    assertEquals(LSTMStateTuple.of(3, 2), copy.stateSize());
  }
}
