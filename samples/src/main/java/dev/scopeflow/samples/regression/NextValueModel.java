package dev.scopeflow.samples.regression;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.ops.init.Initializers;
import dev.scopeflow.rnn.LSTMCell;
import dev.scopeflow.rnn.Rnn;
import dev.scopeflow.scope.VariableScopes;

/**
 * The sequence-regression sample's graph: an {@link LSTMCell} with peephole connections, a cell clip and a
 * projection layer, run over the sequence by {@code dynamic_rnn}, and a linear readout of each step's projected
 * output to one number, the prediction of the next value. The loss is the mean squared error over every step.
 *
 * <pre>
 * cell = tf.nn.rnn_cell.LSTMCell(units, use_peepholes=True, cell_clip=CELL_CLIP, num_proj=num_proj)
 * with tf.variable_scope("predictor"):
 *     outputs, _ = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)     # [batch, time, num_proj]
 *     w = tf.get_variable("readout/w", [num_proj, 1]); b = tf.get_variable("readout/b", [1], initializer=zeros)
 * predictions = tf.squeeze(tf.reshape(tf.matmul(tf.reshape(outputs, [-1, num_proj]), w) + b, tf.shape(inputs)), 2)
 * loss = tf.reduce_mean(tf.squared_difference(predictions, targets))
 * </pre>
 */
final class NextValueModel {
  /** The cell state is clipped to [-CELL_CLIP, CELL_CLIP]: keeps a long run's state bounded. */
  static final double CELL_CLIP = 10.0;
  static final String SCOPE = "predictor";

  /** {@code [batch, time, 1]}: the observed values. */
  final Output inputs;
  /** {@code [batch, time]}: the next values. */
  final Output targets;
  /** {@code [batch, time]}: the predicted next values. */
  final Output predictions;
  final Output loss;

  private NextValueModel(Graph graph, int units, int numProj) {
    Ops tf = Ops.create(graph);
    VariableScopes vs = VariableScopes.of(graph);
    inputs = tf.withName("inputs").placeholder(DType.FLOAT32, Shape.of(-1, -1, 1));
    targets = tf.withName("targets").placeholder(DType.FLOAT32, Shape.of(-1, -1));
    LSTMCell cell = LSTMCell.builder(graph, units).usePeepholes(true).cellClip(CELL_CLIP).numProj(numProj).build();
    Output outputs;
    Variable w;
    Variable b;
    try (var s = vs.variableScope(SCOPE)) {
      outputs = Rnn.dynamicRnn(cell, inputs, Rnn.dynamicOptions().dtype(DType.FLOAT32)).output();
      try (var readout = vs.variableScope("readout")) {
        w = vs.getVariable("w", Shape.of(numProj, 1), DType.FLOAT32, Initializers.glorotUniform());
        b = vs.getVariable("b", Shape.of(1), DType.FLOAT32, Initializers.zeros());
      }
    }
    Output perStep = tf.math.add(tf.linalg.matmul(tf.array.reshape(outputs, tf.constant(new int[] {-1, numProj})), w),
        b);
    // [batch * time, 1] back to [batch, time, 1] (the inputs' shape, known at run time), then [batch, time]
    predictions = tf.withName("predictions").array.squeeze(tf.array.reshape(perStep, tf.array.shape(inputs)), 2);
    loss = tf.withName("mse").math.reduceMean(tf.math.squaredDifference(predictions, targets));
  }

  /** Builds the model in {@code graph} (whose seed, if set, fixes the initial weights). */
  static NextValueModel build(Graph graph, int units, int numProj) {
    return new NextValueModel(graph, units, numProj);
  }
}
