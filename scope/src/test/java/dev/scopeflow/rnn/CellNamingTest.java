package dev.scopeflow.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.GraphKeys;
import dev.scopeflow.graph.NameScope;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.scope.Reuse;
import dev.scopeflow.scope.ScopeTestBase;
import dev.scopeflow.scope.VariableScope;
import dev.scopeflow.scope.VariableScopeHandle;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The variable-naming examples of spec 12 that call cells directly (5, 6, 10, 11, 12, 14, 15, 17, 18, 19), with the
 * real cells; {@code x} is {@code [None, 3]} and the cells have 4 units, as in the spec. The examples that need
 * {@code dynamic_rnn}/{@code static_rnn} belong to the rnn functions' tests.
 */
class CellNamingTest extends ScopeTestBase {
  private Output x0() {
    return tf.placeholder(DType.FLOAT32, Shape.of(-1, 3));
  }

  private LSTMStateTuple<Output> s0() {
    return LSTMStateTuple.of(tf.placeholder(DType.FLOAT32, Shape.of(-1, 4)),
        tf.placeholder(DType.FLOAT32, Shape.of(-1, 4)));
  }

  private List<Shape> shapes() {
    return tf.state.globalVariables().stream().map(Operand::shape).collect(Collectors.toList());
  }

  @Test
  void example5SameCellCalledTwiceKeepsItsVariablesAndFirstNameScope() {
    BasicLSTMCell cell = new BasicLSTMCell(graph, 4);
    CellOutput first = cell.apply(x0(), s0());
    CellOutput second;
    try (VariableScopeHandle other = vs.variableScope("other")) {
      second = cell.apply(x0(), s0());
    }
    assertEquals(List.of("basic_lstm_cell/kernel:0", "basic_lstm_cell/bias:0"), names(tf.state.globalVariables()));
    // the new h is output 6 of the fused gate op (TF's composed graph names it Mul_2, Mul_5)
    assertEquals("basic_lstm_cell/LSTMBlockGates:6", first.output().name());
    assertEquals("basic_lstm_cell/LSTMBlockGates_1:6", second.output().name());
    assertTrue(graph.operation("basic_lstm_cell/MatMul_1").isPresent());
  }

  @Test
  void example6TwoUnnamedCellsAtRoot() {
    BasicLSTMCell c1 = new BasicLSTMCell(graph, 4);
    BasicLSTMCell c2 = new BasicLSTMCell(graph, 4);
    Output x = x0();
    LSTMStateTuple<Output> s = s0();
    c1.apply(x, s);
    c2.apply(x, s);
    assertEquals(List.of("basic_lstm_cell/kernel:0", "basic_lstm_cell/bias:0", "basic_lstm_cell_1/kernel:0",
        "basic_lstm_cell_1/bias:0"), names(tf.state.globalVariables()));
    assertEquals(List.of(Shape.of(7, 16), Shape.of(16), Shape.of(7, 16), Shape.of(16)), shapes());
    assertEquals("basic_lstm_cell_1", c1.name());
    assertEquals("basic_lstm_cell_2", c2.name());
  }

  @Test
  void example10CellReuseSharesByExactName() {
    BasicLSTMCell owner = new BasicLSTMCell(graph, 4);
    owner.apply(x0(), s0());
    BasicLSTMCell sharing = BasicLSTMCell.builder(graph, 4).reuse(true).build();
    sharing.apply(x0(), s0());
    assertEquals("basic_lstm_cell", sharing.scopeName());
    assertEquals(owner.trainableWeights(), sharing.trainableWeights());
    BasicLSTMCell auto = BasicLSTMCell.builder(graph, 4).reuse(Reuse.AUTO_REUSE).build();
    auto.apply(x0(), s0());
    assertEquals(owner.trainableWeights(), auto.trainableWeights());
    assertEquals(2, tf.state.globalVariables().size());
  }

  @Test
  void example11NamedCells() {
    BasicLSTMCell a = BasicLSTMCell.builder(graph, 4).name("c").build();
    BasicLSTMCell b = BasicLSTMCell.builder(graph, 4).name("c").build();
    a.apply(x0(), s0());
    b.apply(x0(), s0());
    assertEquals(List.of("c/kernel:0", "c/bias:0", "c_1/kernel:0", "c_1/bias:0"), names(tf.state.globalVariables()));
    assertEquals("c", a.name());
    assertEquals("c", b.name());
    BasicLSTMCell enc = BasicLSTMCell.builder(graph, 4).name("enc_cell").build();
    try (VariableScopeHandle rnn = vs.variableScope("rnn")) {
      enc.apply(x0(), s0());
    }
    assertEquals("rnn/enc_cell/kernel:0", names(tf.state.globalVariables()).get(4));
  }

  @Test
  void example12ScopeArgumentOnTheFirstCall() {
    BasicLSTMCell cell = new BasicLSTMCell(graph, 4);
    try (VariableScopeHandle root = vs.variableScope("root")) {
      cell.apply(x0(), s0(), "foo");
      cell.apply(x0(), s0(), "bar");
    }
    assertEquals(List.of("root/foo/kernel:0", "root/foo/bias:0"), names(tf.state.globalVariables()));
    assertEquals("root/foo", cell.scopeName());
    // a captured scope as the argument is absolute
    VariableScope captured;
    try (VariableScopeHandle a = vs.variableScope("a")) {
      captured = a.scope();
    }
    BasicLSTMCell other = new BasicLSTMCell(graph, 4);
    try (VariableScopeHandle b = vs.variableScope("b")) {
      other.apply(x0(), s0(), captured);
    }
    assertEquals(List.of("a/kernel:0", "a/bias:0"), names(tf.state.globalVariables()).subList(2, 4));
  }

  @Test
  void example14MultiCellCalledDirectly() {
    MultiRNNCell stack = new MultiRNNCell(List.of(new BasicLSTMCell(graph, 4), new BasicLSTMCell(graph, 4)));
    try (VariableScopeHandle root = vs.variableScope("root")) {
      stack.apply(x0(), List.of(s0(), s0()));
    }
    assertEquals(List.of("root/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0",
        "root/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0", "root/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0",
        "root/multi_rnn_cell/cell_1/basic_lstm_cell/bias:0"), names(tf.state.globalVariables()));
    MultiRNNCell named = new MultiRNNCell(List.of(new BasicLSTMCell(graph, 4), new BasicLSTMCell(graph, 4)));
    try (VariableScopeHandle root = vs.variableScope("root")) {
      named.apply(x0(), List.of(s0(), s0()), "stack");
    }
    assertEquals("root/stack/cell_0/basic_lstm_cell/kernel:0", names(tf.state.globalVariables()).get(4));
    // 12.13's stack of LSTMCells: the second layer's kernel takes the first layer's 4 outputs
    MultiRNNCell lstm = new MultiRNNCell(List.of(new LSTMCell(graph, 4), new LSTMCell(graph, 4)));
    try (VariableScopeHandle rnn = vs.variableScope("rnn")) {
      lstm.apply(x0(), List.of(s0(), s0()));
    }
    List<String> all = names(tf.state.globalVariables());
    assertEquals(List.of("rnn/multi_rnn_cell/cell_0/lstm_cell/kernel:0", "rnn/multi_rnn_cell/cell_0/lstm_cell/bias:0",
        "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel:0", "rnn/multi_rnn_cell/cell_1/lstm_cell/bias:0"),
        all.subList(8, 12));
    assertEquals(Shape.of(7, 16), tf.state.globalVariables().get(8).shape());
    assertEquals(Shape.of(8, 16), tf.state.globalVariables().get(10).shape());
  }

  @Test
  void example15LstmCellWithEverything() {
    LSTMCell cell = LSTMCell.builder(graph, 4).usePeepholes(true).numProj(2).build();
    cell.apply(x0(), LSTMStateTuple.of(tf.placeholder(DType.FLOAT32, Shape.of(-1, 4)),
        tf.placeholder(DType.FLOAT32, Shape.of(-1, 2))));
    assertEquals(List.of("lstm_cell/kernel:0", "lstm_cell/bias:0", "lstm_cell/w_f_diag:0", "lstm_cell/w_i_diag:0",
        "lstm_cell/w_o_diag:0", "lstm_cell/projection/kernel:0"), names(tf.state.globalVariables()));
    assertEquals(List.of(Shape.of(5, 16), Shape.of(16), Shape.of(4), Shape.of(4), Shape.of(4), Shape.of(4, 2)),
        shapes());
    LSTMCell sharded = LSTMCell.builder(graph, 4).usePeepholes(true).numProj(2).numUnitShards(2).build();
    sharded.apply(x0(), LSTMStateTuple.of(tf.placeholder(DType.FLOAT32, Shape.of(-1, 4)),
        tf.placeholder(DType.FLOAT32, Shape.of(-1, 2))));
    assertEquals(List.of("lstm_cell_1/kernel/part_0:0", "lstm_cell_1/kernel/part_1:0"),
        names(tf.state.globalVariables()).subList(6, 8));
    assertEquals(List.of(Shape.of(3, 16), Shape.of(2, 16)), shapes().subList(6, 8));
  }

  @Test
  void example17CellFirstCalledInsideANameScope() {
    BasicLSTMCell cell = new BasicLSTMCell(graph, 4);
    CellOutput out;
    try (NameScope ns = graph.nameScope("ns")) {
      out = cell.apply(x0(), s0());
    }
    assertEquals(List.of("basic_lstm_cell/kernel:0", "basic_lstm_cell/bias:0"), names(tf.state.globalVariables()));
    assertEquals("ns/basic_lstm_cell/LSTMBlockGates:6", out.output().name());
    assertTrue(graph.operation("ns/basic_lstm_cell/MatMul").isPresent());
  }

  @Test
  void example18DefaultNameAndNameScopeDiverge() {
    tf.withName("basic_lstm_cell").constant(0f);
    CellOutput out = new BasicLSTMCell(graph, 4).apply(x0(), s0());
    assertEquals(List.of("basic_lstm_cell/kernel:0", "basic_lstm_cell/bias:0"), names(tf.state.globalVariables()));
    assertEquals("basic_lstm_cell_1/LSTMBlockGates:6", out.output().name());
  }

  @Test
  void example19LayerNamesCountPerClassFromOne() {
    BasicLSTMCell a = new BasicLSTMCell(graph, 4);
    LSTMCell b = new LSTMCell(graph, 4);
    BasicLSTMCell c = new BasicLSTMCell(graph, 4);
    MultiRNNCell m = new MultiRNNCell(List.of(new LSTMCell(graph, 4)));
    assertEquals("basic_lstm_cell_1", a.name());
    assertEquals("lstm_cell_1", b.name());
    assertEquals("basic_lstm_cell_2", c.name());
    assertEquals("multi_rnn_cell_1", m.name());
    try (VariableScopeHandle rnn = vs.variableScope("rnn")) {
      a.apply(x0(), s0());
    }
    assertEquals("rnn/basic_lstm_cell", a.scopeName());
    assertEquals(2, graph.getCollection(GraphKeys.TRAINABLE_VARIABLES, "rnn").size());
  }
}
