package dev.scopeflow.samples.siamese;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.scope.Reuse;
import dev.scopeflow.scope.VariableScope;
import dev.scopeflow.scope.VariableScopes;
import dev.scopeflow.scope.layers.Dense;

/**
 * The weight-sharing sample's graph: a siamese similarity model. One tower (two dense layers) embeds a point; it is
 * built three times in the graph, always on the same variables:
 *
 * <pre>
 * with tf.variable_scope("tower", reuse=tf.AUTO_REUSE) as tower_scope:  # left tower: creates tower/hidden/kernel, ...
 *     left_embedding = tower(left)
 * with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):                 # right tower: ops under tower_1/, same weights
 *     right_embedding = tower(right)
 * with tf.variable_scope(tower_scope, reuse=True):                      # query tower: ops under tower_2/, same weights
 *     query_embedding = tower(query)
 * </pre>
 *
 * <p>The head scores a pair from {@code |left_embedding - right_embedding|} (one dense unit, a logit); the loss is
 * the logistic loss against the label "same cluster". The query tower embeds single points, for a one-shot
 * classification at the end of the sample.
 */
final class SiameseModel {
  /** The variable scope of the towers and the name scopes of their ops, in the order they are built. */
  static final String TOWER_SCOPE = "tower";
  static final String[] TOWER_NAME_SCOPES = {"tower/", "tower_1/", "tower_2/"};

  final Output left;
  final Output right;
  final Output same;
  final Output query;
  final Output leftEmbedding;
  final Output rightEmbedding;
  final Output queryEmbedding;
  /** One logit per pair: above 0 means "same cluster". */
  final Output logits;
  final Output loss;
  /** The scope captured from the left tower and re-entered for the query tower. */
  final VariableScope towerScope;

  private SiameseModel(Graph graph, int inputDim, int hiddenUnits, int embeddingDim) {
    Ops tf = Ops.create(graph);
    VariableScopes vs = VariableScopes.of(graph);
    left = tf.withName("left").placeholder(DType.FLOAT32, Shape.of(-1, inputDim));
    right = tf.withName("right").placeholder(DType.FLOAT32, Shape.of(-1, inputDim));
    same = tf.withName("same").placeholder(DType.FLOAT32, Shape.of(-1));
    query = tf.withName("query").placeholder(DType.FLOAT32, Shape.of(-1, inputDim));

    try (var s = vs.variableScope(TOWER_SCOPE, Reuse.AUTO_REUSE)) {
      towerScope = s.scope();
      leftEmbedding = tower(left, hiddenUnits, embeddingDim);
    }
    try (var s = vs.variableScope(TOWER_SCOPE, Reuse.AUTO_REUSE)) {
      rightEmbedding = tower(right, hiddenUnits, embeddingDim);
    }
    // reuse=True rather than AUTO_REUSE: a tower that asked for a variable the left tower did not create would fail
    // here instead of silently training a second set of weights.
    try (var s = vs.variableScope(towerScope, Reuse.REUSE)) {
      queryEmbedding = tower(query, hiddenUnits, embeddingDim);
    }

    Output difference = tf.math.abs(tf.math.sub(leftEmbedding, rightEmbedding));
    Output score = Dense.dense(difference, Dense.builder(1).name("head"));
    logits = tf.withName("logits").array.reshape(score, tf.constant(new int[] {-1}));
    loss = tf.withName("loss").math.reduceMean(sigmoidCrossEntropyWithLogits(tf, same, logits));
  }

  /** Builds the graph's model in {@code graph} (whose seed, if set, fixes the initial weights). */
  static SiameseModel build(Graph graph, int inputDim, int hiddenUnits, int embeddingDim) {
    return new SiameseModel(graph, inputDim, hiddenUnits, embeddingDim);
  }

  /** {@code tf.layers.dense} twice, by name, so the variables are found again when the enclosing scope reuses. */
  private static Output tower(Output input, int hiddenUnits, int embeddingDim) {
    Output hidden = Dense.dense(input, Dense.builder(hiddenUnits).activation("tanh").name("hidden"));
    return Dense.dense(hidden, Dense.builder(embeddingDim).name("embedding"));
  }

  /**
   * TF's {@code sigmoid_cross_entropy_with_logits} in its overflow-free form {@code max(z, 0) - z * y + log(1 +
   * exp(-|z|))}, per pair.
   */
  private static Output sigmoidCrossEntropyWithLogits(Ops tf, Output labels, Output logits) {
    try (var scope = tf.graph().nameScope("logistic_loss")) {
      Output positivePart = tf.nn.relu(logits);
      Output logOnePlusExp = tf.nn.softplus(tf.math.neg(tf.math.abs(logits)));
      return tf.math.add(tf.math.sub(positivePart, tf.math.mul(logits, labels)), logOnePlusExp);
    }
  }
}
