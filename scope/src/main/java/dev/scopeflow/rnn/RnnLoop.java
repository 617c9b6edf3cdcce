package dev.scopeflow.rnn;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.NameScope;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.ControlFlowOps;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.scope.layers.Nest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * TF's {@code _dynamic_rnn_loop}: one functional while loop over time-major inputs. The inputs become tensor lists
 * read at {@code time} inside the body; each flattened output is written into a list reserved for {@code time_steps}
 * elements, carried as a loop variable and stacked after the loop (elements never written, past the longest
 * sequence, stack as zeros). The cell is called once, while the body is built, so the graph does not depend on the
 * number of time steps. An LSTM cell on the fused path gets its input projection for all steps from one product
 * before the loop ({@link InputProjection}).
 */
final class RnnLoop {
  private RnnLoop() {}

  /** What the loop returns: outputs {@code [T, B, ...]} in the structure of the cell's output size, final state. */
  record Result(Object outputs, Object finalState) {}

  /**
   * Builds the loop.
   *
   * @param inputs the time-major inputs in the caller's structure
   * @param flatInput the same inputs, flattened
   * @param sequenceLength the checked int32 lengths ({@code CheckSeqLen}), or null
   * @param dtype the explicit dtype, or null
   * @throws TfValueError TF's texts for inputs of rank below 3, an unknown depth, and time or batch dimensions that
   *     differ between the inputs
   */
  static Result build(Ops tf, RNNCell cell, Object inputs, List<Output> flatInput, Object initialState,
      int parallelIterations, Output sequenceLength, DType dtype) {
    Graph graph = tf.graph();
    Object state = initialState;
    Object outputSize = cell.outputSize();
    List<Object> flatOutputSize = Nest.flatten(outputSize);

    Output inputShape = tf.array.shape(flatInput.get(0));
    Output timeSteps = tf.withName("strided_slice").array.stridedSlice(inputShape, new int[] {0}, new int[] {1},
        new int[] {1}, dev.scopeflow.ops.ArrayOps.StridedSliceOptions.defaults().shrinkAxisMask(1));
    Object batchSize = RnnStep.bestEffortInputBatchSize(tf, flatInput);

    List<Shape> gotShapes = new ArrayList<>();
    for (Output input : flatInput) {
      gotShapes.add(RnnStep.withRankAtLeast(input.shape(), 3));
    }
    Shape first = gotShapes.get(0);
    if (!first.hasRank()) {
      throw new TfValueError("as_list() is not defined on an unknown TensorShape.");
    }
    long constTimeSteps = first.size(0);
    long constBatchSize = first.size(1);
    for (Shape shape : gotShapes) {
      if (!shape.hasRank() || !shape.subShape(2, shape.rank()).isFullyDefined()) {
        throw new TfValueError("Input size (depth of inputs) must be accessible via shape inference, but saw value "
            + "None.");
      }
      if (constTimeSteps != shape.size(0)) {
        throw new TfValueError("Time steps is not the same for all the elements in the input in a batch.");
      }
      if (constBatchSize != shape.size(1)) {
        throw new TfValueError("Batch_size is not the same for all the elements in the input.");
      }
    }

    // TF's _create_zero_arrays: zeros([batch] ++ size) per flattened output size, in the state's dtype.
    List<Output> flatZeroOutput = new ArrayList<>();
    for (Object size : flatOutputSize) {
      Output shape = ShapeConcat.dynamic(tf, batchSize, size);
      flatZeroOutput.add(tf.array.zeros(shape, RnnStep.inferStateDtype(dtype, state)));
    }
    Object zeroOutput = Nest.packSequenceAs(outputSize, flatZeroOutput);

    Output maxSequenceLength;
    if (sequenceLength != null) {
      // TF also computes the minimum for _rnn_step, which ignores it once conditionals are skipped: an unused op.
      tf.math.reduceMin(sequenceLength);
      maxSequenceLength = tf.math.reduceMax(sequenceLength);
    } else {
      maxSequenceLength = timeSteps;
    }
    Output time = tf.withName("time").constant(0);
    // TF opens this scope only to name its TensorArrays; opening it keeps the graph's name table in step.
    try (NameScope unused = graph.nameScope("dynamic_rnn")) {
      // nothing is created here
    }

    DType outputDtype = flatOutputSize.isEmpty() ? null : RnnStep.inferStateDtype(dtype, state);
    List<Shape> outputElementShapes = new ArrayList<>();
    List<Output> outputLists = new ArrayList<>();
    for (Object size : flatOutputSize) {
      Shape element = Shape.of(constBatchSize).concatenate(RnnStep.sizeShape(size));
      outputElementShapes.add(element);
      try (NameScope s = graph.nameScope("TensorArrayV2")) {
        outputLists.add(tf.withName(s.name()).tensorList.reserve(element, timeSteps, outputDtype));
      }
    }
    List<Output> inputLists = new ArrayList<>();
    for (Output input : flatInput) {
      try (NameScope s = graph.nameScope("TensorArrayUnstack")) {
        inputLists.add(Ops.create(graph).withName("TensorListFromTensor").tensorList.fromTensor(input));
      }
    }

    Output loopBound = loopBound(tf, timeSteps, maxSequenceLength);
    InputProjection projection = InputProjection.forDynamicRnn(graph, cell, inputs, flatInput, constTimeSteps,
        constBatchSize);

    int numOutputs = outputLists.size();
    List<Object> flatState = Nest.flatten(state);
    List<Operand> loopVars = new ArrayList<>();
    loopVars.add(time);
    loopVars.addAll(outputLists);
    for (Object s : flatState) {
      loopVars.add(RnnStep.tensor(s));
    }
    final Object stateStructure = state;
    List<Output> results = tf.control.whileLoop(
        vars -> tf.withName("Less").math.less(vars.get(0), loopBound),
        vars -> {
          Output t = vars.get(0);
          Object loopState = Nest.packSequenceAs(stateStructure, vars.subList(1 + numOutputs, vars.size()));
          List<Output> inputT = new ArrayList<>();
          for (int i = 0; i < inputLists.size(); i++) {
            Shape element = gotShapes.get(i).subShape(1, gotShapes.get(i).rank());
            try (NameScope s = graph.nameScope("TensorArrayV2Read")) {
              inputT.add(Ops.create(graph).withName("TensorListGetItem").tensorList.getItem(inputLists.get(i), t,
                  element, flatInput.get(i).dtype()));
            }
          }
          Object input = Nest.packSequenceAs(inputs, inputT);
          Supplier<CellOutput> callCell = projection == null ? () -> cell.apply(input, loopState)
              : () -> projection.call(t, input, () -> cell.apply(input, loopState));
          CellOutput step;
          if (sequenceLength != null) {
            Output copyCond = tf.withName("GreaterEqual").math.greaterEqual(t, sequenceLength);
            step = RnnStep.copySomeThrough(tf, copyCond, zeroOutput, loopState, callCell);
          } else {
            step = callCell.get();
          }
          List<Object> output = Nest.flatten(step.outputStructure());
          if (output.size() != numOutputs) {
            // The while loop's nest.assert_same_structure on the output lists.
            Nest.assertSameStructure(zeroOutput, step.outputStructure());
          }
          List<Output> written = new ArrayList<>();
          for (int i = 0; i < numOutputs; i++) {
            try (NameScope s = graph.nameScope("TensorArrayV2Write")) {
              written.add(Ops.create(graph).withName("TensorListSetItem").tensorList.setItem(
                  vars.get(1 + i), t, RnnStep.tensor(output.get(i)), outputElementShapes.get(i)));
            }
          }
          // TF builds `time + 1` last, when it returns (time + 1, output_ta_t, new_state).
          List<Output> next = new ArrayList<>();
          next.add(RnnStep.binaryWithNumber(tf, "add", t, 1, (named, one) -> named.math.add(t, one)));
          next.addAll(written);
          // tf.while_loop checks that the body returns the loop variables' structure.
          Nest.assertSameStructure(loopState, step.state());
          for (Object s : Nest.flatten(step.state())) {
            next.add(RnnStep.tensor(s));
          }
          return next;
        },
        loopVars,
        ControlFlowOps.whileOptions().parallelIterations(parallelIterations).maximumIterations(timeSteps));

    List<Output> finalOutputs = new ArrayList<>();
    for (int i = 0; i < numOutputs; i++) {
      Output stacked;
      try (NameScope s = graph.nameScope("TensorArrayV2Stack")) {
        stacked = Ops.create(graph).withName("TensorListStack").tensorList.stack(results.get(1 + i),
            outputElementShapes.get(i), outputDtype, constTimeSteps);
      }
      stacked.setShape(Shape.of(constTimeSteps, constBatchSize)
          .concatenate(RnnStep.sizeShape(flatOutputSize.get(i))));
      finalOutputs.add(stacked);
    }
    Object outputs = Nest.packSequenceAs(outputSize, finalOutputs);
    Object finalState = Nest.packSequenceAs(stateStructure, results.subList(1 + numOutputs, results.size()));
    return new Result(outputs, finalState);
  }

  /** TF's {@code minimum(time_steps, maximum(1, max_sequence_length))}: run at least once, at most T times. */
  private static Output loopBound(Ops tf, Output timeSteps, Output maxSequenceLength) {
    Output atLeastOne = RnnStep.numberLeftOf(tf, "Maximum", 1, maxSequenceLength,
        (named, one) -> named.math.maximum(one, maxSequenceLength));
    return tf.withName("Minimum").math.minimum(timeSteps, atLeastOne);
  }
}
