package dev.scopeflow.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.GraphKeys;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Subgraph;
import dev.scopeflow.scope.ScopeTestBase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The graphs of the fused LSTM path (issue 8): under dynamic_rnn and static_rnn an LSTM cell with the tanh activation
 * gets its input projection for all steps from ONE {@code MatMul} before the loop ({@code rnn/input_projection/}),
 * multiplies only {@code h @ W_h} per step in its own {@code MatMul} (TF's name), and does its gate math in one
 * {@code LSTMBlockGates} op; variables, their names and collections, and the cell's scope and name scope are TF's.
 * Where the projection cannot be hoisted (another activation, a cell that is not first) the graph is as before.
 */
class InputProjectionTest extends ScopeTestBase {
  private static final int T = 10;
  private static final int B = 8;
  private static final int I = 6;
  private static final int H = 5;

  private Output batchMajor() {
    return tf.placeholder(DType.FLOAT32, Shape.of(B, T, I));
  }

  private static Subgraph body(Operation loop) {
    return (Subgraph) loop.requiredAttr("body");
  }

  private Operation whileOp() {
    List<Operation> loops = graph.operations().stream().filter(op -> op.type().equals("While")).toList();
    assertEquals(1, loops.size());
    return loops.get(0);
  }

  /** Op types and counts of {@code ops}, without the body parameters. */
  private static Map<String, Long> countByType(List<Operation> ops) {
    return ops.stream().filter(op -> !op.type().equals(Subgraph.ARG_OP_TYPE))
        .collect(Collectors.groupingBy(Operation::type, TreeMap::new, Collectors.counting()));
  }

  private List<Operation> outerOps() {
    return graph.operations().stream().filter(op -> op.subgraph().isEmpty()).toList();
  }

  @Test
  void dynamicRnnHoistsTheInputProjectionIntoOneMatMul() {
    BasicLSTMCell cell = new BasicLSTMCell(graph, H);
    Rnn.DynamicRnnResult r = Rnn.dynamicRnn(cell, batchMajor(), DType.FLOAT32);
    assertEquals(List.of("rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"),
        names(tf.state.globalVariables()));
    assertEquals(2, graph.getCollection(GraphKeys.TRAINABLE_VARIABLES).size());
    assertEquals("rnn/basic_lstm_cell", cell.scopeName());

    List<Operation> bodyOps = body(whileOp()).operations();
    Map<String, Long> inBody = countByType(bodyOps);
    assertEquals(1L, inBody.get("MatMul"), inBody::toString);
    assertEquals(1L, inBody.get("LSTMBlockGates"), inBody::toString);
    for (String gone : List.of("BiasAdd", "Split", "Sigmoid", "Tanh", "Mul", "ConcatV2")) {
      assertFalse(inBody.containsKey(gone), gone + " in " + inBody);
    }
    // the step's MatMul keeps TF's name and multiplies h by the last H rows of the kernel
    Operation stepMatMul = graph.operation("rnn/while/basic_lstm_cell/MatMul").orElseThrow();
    assertEquals(Shape.of(H, 4 * H), stepMatMul.input(1).shape());
    assertEquals(Shape.of(B, H), stepMatMul.input(0).shape());
    Operation gates = graph.operation("rnn/while/basic_lstm_cell/LSTMBlockGates").orElseThrow();
    assertEquals(2L, gates.attrLong("N"));

    List<Operation> outerMatMuls = outerOps().stream().filter(op -> op.type().equals("MatMul")).toList();
    assertEquals(1, outerMatMuls.size());
    Operation hoisted = outerMatMuls.get(0);
    assertEquals("rnn/input_projection/MatMul", hoisted.name());
    assertEquals(Shape.of(T * B, I), hoisted.input(0).shape());
    assertEquals(Shape.of(I, 4 * H), hoisted.input(1).shape());
    assertEquals(Shape.of(B, T, H), r.output().shape());
  }

  @Test
  void theComposedGraphIsTfsWithoutHoisting() {
    BasicLSTMCell cell = new BasicLSTMCell(graph, H);
    cell.setFusedOpEnabled(false);
    Rnn.dynamicRnn(cell, batchMajor(), DType.FLOAT32);
    Map<String, Long> inBody = countByType(body(whileOp()).operations());
    assertFalse(inBody.containsKey("LSTMBlockGates"));
    assertEquals(1L, inBody.get("BiasAdd"));
    assertEquals(3L, inBody.get("Sigmoid"));
    assertTrue(outerOps().stream().noneMatch(op -> op.type().equals("MatMul")));
    assertTrue(graph.operations().stream().noneMatch(op -> op.name().contains("input_projection")));
  }

  @Test
  void anotherActivationKeepsTheComposedGraph() {
    BasicLSTMCell cell = BasicLSTMCell.builder(graph, H).activation("relu").build();
    Rnn.dynamicRnn(cell, batchMajor(), DType.FLOAT32);
    Map<String, Long> inBody = countByType(body(whileOp()).operations());
    assertFalse(inBody.containsKey("LSTMBlockGates"));
    assertEquals(2L, inBody.get("Relu"));
    assertTrue(graph.operations().stream().noneMatch(op -> op.name().contains("input_projection")));
  }

  @Test
  void staticRnnProjectsAllStepsOnceAndKeepsTheStepNames() {
    BasicLSTMCell cell = new BasicLSTMCell(graph, H);
    Rnn.StaticRnnResult r = Rnn.staticRnn(cell, tf.array.unstack(batchMajor(), 1), DType.FLOAT32);
    assertEquals(List.of("rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"),
        names(tf.state.globalVariables()));
    Map<String, Long> all = countByType(graph.operations());
    assertEquals((long) T + 1, all.get("MatMul"), all::toString);
    assertEquals((long) T, all.get("LSTMBlockGates"), all::toString);
    Operation hoisted = graph.operation("rnn/input_projection/MatMul").orElseThrow();
    assertEquals(Shape.of(T * B, I), hoisted.input(0).shape());
    // spec 12.4: step t's MatMul is rnn/basic_lstm_cell/MatMul_t, now h @ W_h
    assertEquals(Shape.of(H, 4 * H), graph.operation("rnn/basic_lstm_cell/MatMul").orElseThrow().input(1).shape());
    for (int t = 1; t < T; t++) {
      assertTrue(graph.operation("rnn/basic_lstm_cell/MatMul_" + t).isPresent(), "step " + t);
    }
    assertFalse(graph.operation("rnn/basic_lstm_cell/MatMul_" + T).isPresent());
    assertEquals(T, r.outputs().size());
    assertEquals(Shape.of(B, H), r.outputTensors().get(T - 1).shape());
  }

  @Test
  void aMultiRnnCellHoistsItsFirstLayerOnly() {
    LSTMCell first = LSTMCell.builder(graph, H).usePeepholes(true).numProj(3).build();
    LSTMCell second = new LSTMCell(graph, H);
    Rnn.dynamicRnn(new MultiRNNCell(List.of(first, second)), batchMajor(), DType.FLOAT32);
    assertEquals(List.of("rnn/multi_rnn_cell/cell_0/lstm_cell/kernel:0", "rnn/multi_rnn_cell/cell_0/lstm_cell/bias:0",
        "rnn/multi_rnn_cell/cell_0/lstm_cell/w_f_diag:0", "rnn/multi_rnn_cell/cell_0/lstm_cell/w_i_diag:0",
        "rnn/multi_rnn_cell/cell_0/lstm_cell/w_o_diag:0", "rnn/multi_rnn_cell/cell_0/lstm_cell/projection/kernel:0",
        "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel:0", "rnn/multi_rnn_cell/cell_1/lstm_cell/bias:0"),
        names(tf.state.globalVariables()));
    Map<String, Long> inBody = countByType(body(whileOp()).operations());
    // cell_0: h @ W_h and the projection; cell_1: concat([x, h]) @ kernel
    assertEquals(3L, inBody.get("MatMul"), inBody::toString);
    assertEquals(2L, inBody.get("LSTMBlockGates"), inBody::toString);
    assertEquals(1L, inBody.get("ConcatV2"), inBody::toString);
    Operation cell0 = graph.operation("rnn/while/rnn/multi_rnn_cell/cell_0/lstm_cell/MatMul").orElseThrow();
    assertEquals(Shape.of(3, 4 * H), cell0.input(1).shape());
    Operation cell1 = graph.operation("rnn/while/rnn/multi_rnn_cell/cell_1/lstm_cell/MatMul").orElseThrow();
    assertEquals("ConcatV2", cell1.input(0).op().type());
    List<Operation> outerMatMuls = outerOps().stream().filter(op -> op.type().equals("MatMul")).toList();
    assertEquals(1, outerMatMuls.size());
    assertEquals(Shape.of(I, 4 * H), outerMatMuls.get(0).input(1).shape());
  }

  @Test
  void aShardedKernelIsConcatenatedOnceOutsideTheLoop() {
    LSTMCell cell = LSTMCell.builder(graph, H).numUnitShards(2).build();
    Rnn.dynamicRnn(cell, batchMajor(), DType.FLOAT32);
    assertEquals(List.of("rnn/lstm_cell/kernel/part_0:0", "rnn/lstm_cell/kernel/part_1:0", "rnn/lstm_cell/bias:0"),
        names(tf.state.globalVariables()));
    Map<String, Long> inBody = countByType(body(whileOp()).operations());
    assertEquals(1L, inBody.get("MatMul"), inBody::toString);
    assertFalse(inBody.containsKey("ConcatV2"), inBody::toString);
  }

  @Test
  void aCellUsedAgainKeepsItsVariablesAndHoistsInTheNewScope() {
    BasicLSTMCell cell = new BasicLSTMCell(graph, H);
    Rnn.dynamicRnn(cell, batchMajor(), DType.FLOAT32);
    Rnn.dynamicRnn(cell, batchMajor(), DType.FLOAT32);
    assertEquals(2, tf.state.globalVariables().size());
    assertTrue(graph.operation("rnn/input_projection/MatMul").isPresent());
    assertTrue(graph.operation("rnn_1/input_projection/MatMul").isPresent());
    // the cell keeps its first name scope for its step ops (spec 12.5)
    assertTrue(graph.operation("rnn/while/basic_lstm_cell/MatMul_1").isPresent());
  }
}
