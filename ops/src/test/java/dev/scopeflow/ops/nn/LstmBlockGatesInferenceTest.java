package dev.scopeflow.ops.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.ops.LstmBlockGates;
import dev.scopeflow.ops.OpBuilder;
import dev.scopeflow.ops.OpRegistry;
import dev.scopeflow.ops.OpsTestSupport;
import dev.scopeflow.ops.defs.NnDefs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Construction of {@code LSTMBlockGates} / {@code LSTMBlockGatesGrad}: shapes, attributes, names and every error. */
class LstmBlockGatesInferenceTest extends OpsTestSupport {
  private static final String SHAPES_OK = " for 'LSTMBlockGates' (op: 'LSTMBlockGates') with input shapes: ";

  private LstmBlockGates gates(List<Output> gates, Output csPrev, Output b, Output wci, Output wcf, Output wco) {
    return tf.nn.lstmBlockGates(gates, csPrev, b, wci, wcf, wco);
  }

  // ---------------------------------------------------------------- outputs, attributes, names

  @Test
  void sevenStateShapedOutputsWithTfNamesAndAttributes() {
    LstmBlockGates r = tf.nn.lstmBlockGates(List.of(ph(2, 12), ph(2, 12)), ph(2, 3), ph(12), ph(3), ph(3), ph(3),
        0.5, 2.5, true);
    Operation op = r.op();
    assertEquals("LSTMBlockGates", op.type());
    assertEquals("LSTMBlockGates", op.name());
    assertEquals(7, op.numOutputs());
    List<Output> outputs = List.of(r.i(), r.cs(), r.f(), r.o(), r.ci(), r.co(), r.h());
    for (int k = 0; k < 7; k++) {
      assertEquals(op.output(k), outputs.get(k));
      assertShape(outputs.get(k), 2, 3);
      assertEquals(DType.FLOAT32, outputs.get(k).dtype());
    }
    assertEquals(DType.FLOAT32, op.attrType("T"));
    assertEquals(2, op.attrLong("N"));
    assertEquals(0.5, op.attrDouble("forget_bias"));
    assertEquals(2.5, op.attrDouble("cell_clip"));
    assertTrue(op.attrBool("use_peephole"));
    assertEquals("LSTMBlockGates_1", gates(List.of(ph(2, 12)), ph(2, 3), ph(12), ph(3), ph(3), ph(3)).op().name());
    assertEquals("step", tf.withName("step").nn.lstmBlockGates(List.of(ph(2, 12)), ph(2, 3), ph(12), ph(3), ph(3),
        ph(3)).op().name());
  }

  @Test
  void defaultsAreTfs() {
    Operation op = gates(List.of(ph(DType.FLOAT64, 1, 4)), ph(DType.FLOAT64, 1, 1), ph(DType.FLOAT64, 4),
        ph(DType.FLOAT64, 1), ph(DType.FLOAT64, 1), ph(DType.FLOAT64, 1)).op();
    assertEquals(DType.FLOAT64, op.output(6).dtype());
    assertEquals(1.0, op.attrDouble("forget_bias"));
    assertEquals(-1.0, op.attrDouble("cell_clip"));
    assertFalse(op.attrBool("use_peephole"));
    Operation withOptions = tf.nn.lstmBlockGates(List.of(ph(1, 4)), ph(1, 1), ph(4), ph(1), ph(1), ph(1),
        LstmBlockGates.options().usePeephole(true).cellClip(3).forgetBias(0)).op();
    assertEquals(0.0, withOptions.attrDouble("forget_bias"));
    assertEquals(3.0, withOptions.attrDouble("cell_clip"));
    assertTrue(withOptions.attrBool("use_peephole"));
  }

  @Test
  void unknownDimsAreTakenFromWhereverTheyAreKnown() {
    // H from b's 4H.
    assertShape(gates(List.of(ph(-1, -1)), ph(-1, -1), ph(12), ph(-1), ph(-1), ph(-1)).h(), -1, 3);
    // B from the gates, H from a peephole weight.
    assertShape(gates(List.of(ph(5, -1)), ph(-1, -1), unknown(), ph(-1), unknown(), ph(3)).cs(), 5, 3);
    // B from cs_prev, H from the gate width.
    assertShape(gates(List.of(ph(-1, 8), ph(-1, -1)), ph(4, -1), ph(-1), ph(-1), ph(-1), ph(-1)).i(), 4, 2);
    assertShape(gates(List.of(unknown()), unknown(), unknown(), unknown(), unknown(), unknown()).co(), -1, -1);
  }

  // ---------------------------------------------------------------- errors

  @Test
  void rankErrorsUseTfsWords() {
    assertValueError("Shape must be rank 2 but is rank 1" + SHAPES_OK + "[12], [2,3], [12], [3], [3], [3].",
        () -> gates(List.of(ph(12)), ph(2, 3), ph(12), ph(3), ph(3), ph(3)));
    expectValueError("Shape must be rank 2 but is rank 3", () -> gates(List.of(ph(2, 12)), ph(2, 3, 1), ph(12),
        ph(3), ph(3), ph(3)));
    expectValueError("Shape must be rank 1 but is rank 2", () -> gates(List.of(ph(2, 12)), ph(2, 3), ph(1, 12),
        ph(3), ph(3), ph(3)));
    expectValueError("Shape must be rank 1 but is rank 0", () -> gates(List.of(ph(2, 12)), ph(2, 3), ph(12),
        ph(3), ph(), ph(3)));
  }

  @Test
  void sizeErrorsNameTheDisagreeingDimensions() {
    assertValueError("Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2,12] and [3,12].\n\t"
        + "From merging shape 0 with other shapes." + SHAPES_OK + "[2,12], [3,12], [2,3], [12], [3], [3], [3].",
        () -> gates(List.of(ph(2, 12), ph(3, 12)), ph(2, 3), ph(12), ph(3), ph(3), ph(3)));
    expectValueError("Dimensions must be equal, but are 2 and 3" + SHAPES_OK, () -> gates(List.of(ph(2, 12)),
        ph(3, 3), ph(12), ph(3), ph(3), ph(3)));
    expectValueError("Dimensions must be equal, but are 12 and 16", () -> gates(List.of(ph(2, 12)), ph(2, 3),
        ph(16), ph(3), ph(3), ph(3)));
    expectValueError("Dimension size must be evenly divisible by 4 but is 10", () -> gates(List.of(ph(2, 10)),
        ph(2, -1), ph(-1), ph(-1), ph(-1), ph(-1)));
    expectValueError("Dimensions must be equal, but are 4 and 3", () -> gates(List.of(ph(2, 12)), ph(2, 4), ph(12),
        ph(-1), ph(-1), ph(-1)));
    expectValueError("Dimensions must be equal, but are 3 and 4", () -> gates(List.of(ph(2, 12)), ph(2, 3), ph(12),
        ph(3), ph(3), ph(4)));
  }

  @Test
  void dtypeErrorsUseTfsWords() {
    assertTypeError("Value passed to parameter 'gates' has DataType int32 not in list of allowed values: float32, "
        + "float64", () -> gates(List.of(ph(DType.INT32, 2, 12)), ph(DType.INT32, 2, 3), ph(DType.INT32, 12),
        ph(DType.INT32, 3), ph(DType.INT32, 3), ph(DType.INT32, 3)));
    assertTypeError("Tensors in list passed to 'gates' of 'LSTMBlockGates' Op have types [float32, float64] that "
        + "don't all match.", () -> gates(List.of(ph(2, 12), ph(DType.FLOAT64, 2, 12)), ph(2, 3), ph(12), ph(3),
        ph(3), ph(3)));
    assertTypeError("Input 'cs_prev' of 'LSTMBlockGates' Op has type float64 that does not match type float32 of "
        + "argument 'gates'.", () -> gates(List.of(ph(2, 12)), ph(DType.FLOAT64, 2, 3), ph(12), ph(3), ph(3),
        ph(3)));
    assertTypeError("Input 'wcf' of 'LSTMBlockGates' Op has type float64 that does not match type float32 of "
        + "argument 'gates'.", () -> gates(List.of(ph(2, 12)), ph(2, 3), ph(12), ph(3), ph(DType.FLOAT64, 3),
        ph(3)));
  }

  @Test
  void gateListMustNotBeEmptyAndMustMatchN() {
    assertValueError("Attr 'N' of 'LSTMBlockGates' Op passed 0 less than minimum 1.",
        () -> gates(List.of(), ph(2, 3), ph(12), ph(3), ph(3), ph(3)));
    OpBuilder b = builder(NnDefs.LSTM_BLOCK_GATES).input(ph(2, 12)).input(ph(2, 3)).input(ph(12)).input(ph(3))
        .input(ph(3)).input(ph(3)).attr("N", 2L).attr("forget_bias", 1.0).attr("cell_clip", -1.0)
        .attr("use_peephole", false);
    expectValueError("Attr N is 2 but the op has 1 gate inputs", b::build);
  }

  @Test
  void optionsRejectNaN() {
    assertThrows(IllegalArgumentException.class, () -> LstmBlockGates.options().cellClip(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> LstmBlockGates.options().forgetBias(Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> LstmBlockGates.options().forgetBias(Double.POSITIVE_INFINITY));
  }

  // ---------------------------------------------------------------- the gradient op

  private OpBuilder gradBuilder(Output state, Output w, Output hGrad) {
    return builder(NnDefs.LSTM_BLOCK_GATES_GRAD).input(state).input(w).input(w).input(w).input(state).input(state)
        .input(state).input(state).input(state).input(state).input(state).input(hGrad)
        .attr("T", state.dtype()).attr("use_peephole", true).attr("cell_clip", -1.0);
  }

  @Test
  void gradientOpShapes() {
    Operation g = gradBuilder(ph(2, 3), ph(-1), ph(2, 3)).build();
    assertShape(g.output(0), 2, 3);
    assertShape(g.output(1), 2, 12);
    for (int k = 2; k < 5; k++) {
      assertShape(g.output(k), 3);
    }
    Operation unknownH = gradBuilder(ph(-1, -1), unknown(), ph(4, -1)).build();
    assertShape(unknownH.output(1), 4, -1);
    assertShape(unknownH.output(4), -1);
  }

  @Test
  void gradientOpErrors() {
    expectValueError("Dimension 1 in both shapes must be equal, but are 3 and 4", () -> gradBuilder(ph(2, 3), ph(3),
        ph(2, 4)).build());
    expectValueError("Dimensions must be equal, but are 3 and 5", () -> gradBuilder(ph(2, 3), ph(5), ph(2, 3))
        .build());
    expectValueError("Shape must be rank 2 but is rank 1", () -> gradBuilder(ph(2, 3), ph(3), ph(6)).build());
    assertTypeError("Input 'h_grad' of 'LSTMBlockGatesGrad' Op has type float64 that does not match type float32 of "
        + "argument 'cs_prev'.", () -> gradBuilder(ph(2, 3), ph(3), ph(DType.FLOAT64, 2, 3)).build());
    assertTypeError("Value passed to parameter 'cs_prev' has DataType int64 not in list of allowed values: "
        + "float32, float64", () -> gradBuilder(ph(DType.INT64, 2, 3), ph(DType.INT64, 3), ph(DType.INT64, 2, 3))
        .build());
    expectValueError("Expected 12 inputs, got 1", () -> builder(NnDefs.LSTM_BLOCK_GATES_GRAD).input(ph(2, 3))
        .attr("use_peephole", false).attr("cell_clip", -1.0).build());
  }

  // ---------------------------------------------------------------- registration and gradient

  @Test
  void registeredWithTheirGradientContract() {
    assertTrue(OpRegistry.lookup("LSTMBlockGates").get().gradient().isPresent());
    assertFalse(OpRegistry.lookup("LSTMBlockGates").get().isNotDifferentiable());
    assertTrue(OpRegistry.lookup("LSTMBlockGatesGrad").get().isNotDifferentiable());
  }

  @Test
  void gradientBuildsOneBackwardOpAndSumsTheBias() {
    Output g0 = ph(-1, 8);
    Output g1 = ph(-1, 8);
    Output cs = ph(-1, 2);
    Output b = ph(8);
    Output w = ph(2);
    LstmBlockGates r = tf.nn.lstmBlockGates(List.of(g0, g1), cs, b, w, w, w, 1.0, 3.0, true);
    List<Optional<Output>> grads = tf.gradients(List.of(r.h(), r.cs()), List.of(g0, g1, cs, b, w));
    Output dGates = grads.get(0).orElseThrow();
    assertEquals("LSTMBlockGatesGrad", dGates.op().type());
    assertEquals(grads.get(0), grads.get(1), "every gate input gets dicfo");
    assertShape(dGates, -1, 8);
    assertShape(grads.get(2).orElseThrow(), -1, 2);
    assertEquals("Sum", grads.get(3).orElseThrow().op().type());
    assertShape(grads.get(3).orElseThrow(), 8);
    // w is wci, wcf and wco: its gradient sums the three.
    assertShape(grads.get(4).orElseThrow(), 2);
    Operation backward = dGates.op();
    assertTrue(backward.name().startsWith("gradients/LSTMBlockGates_grad/LSTMBlockGatesGrad"), backward.name());
    assertEquals(3.0, backward.attrDouble("cell_clip"));
    assertTrue(backward.attrBool("use_peephole"));
  }
}
