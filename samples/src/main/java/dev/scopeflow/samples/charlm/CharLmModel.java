package dev.scopeflow.samples.charlm;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.ops.init.Initializers;
import dev.scopeflow.rnn.BasicLSTMCell;
import dev.scopeflow.rnn.LSTMStateTuple;
import dev.scopeflow.rnn.MultiRNNCell;
import dev.scopeflow.rnn.RNNCell;
import dev.scopeflow.rnn.Rnn;
import dev.scopeflow.scope.VariableScopes;
import java.util.ArrayList;
import java.util.List;

/**
 * The char-lm network, written as one would in TF1: under variable scope {@code char_lm} a character embedding, a
 * {@code MultiRNNCell} of {@code BasicLSTMCell}s run by {@code dynamic_rnn}, and a softmax layer, giving the loss
 * (mean cross-entropy in nats per character) of predicting each next character.
 *
 * <p>{@link #buildSampler()} adds a second path through the same variables (variable scope {@code char_lm} reopened
 * with {@code reuse=True}) that advances the network by one character with its state fed in and fetched, for
 * generating text one character at a time.
 */
final class CharLmModel {
  /** The variable scope everything lives in. */
  static final String SCOPE = "char_lm";

  final Graph graph;
  final int vocabularySize;
  final int layers;
  final int hidden;
  final int embedding;

  private final Ops tf;
  private final VariableScopes vs;
  private final MultiRNNCell cell;

  /** {@code [batch, time]} character ids. */
  final Output inputs;
  /** {@code [batch, time]} the next character of each input. */
  final Output targets;
  /** Mean cross-entropy over every position of the batch, in nats per character. */
  final Output loss;

  private CharLmModel(Graph graph, int vocabularySize, int layers, int hidden, int embedding) {
    this.graph = graph;
    this.vocabularySize = vocabularySize;
    this.layers = layers;
    this.hidden = hidden;
    this.embedding = embedding;
    this.tf = Ops.create(graph);
    this.vs = VariableScopes.of(graph);
    List<RNNCell> cells = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      cells.add(new BasicLSTMCell(graph, hidden));
    }
    this.cell = new MultiRNNCell(cells);
    inputs = tf.withName("inputs").placeholder(DType.INT32, Shape.of(-1, -1));
    targets = tf.withName("targets").placeholder(DType.INT32, Shape.of(-1, -1));
    try (var s = vs.variableScope(SCOPE)) {
      Output logits = logits(inputs, null).logits();
      Output labels = tf.array.reshape(targets, -1);
      loss = tf.withName("loss").identity(
          tf.math.reduceMean(tf.nn.sparseSoftmaxCrossEntropyWithLogits(labels, logits)));
    }
  }

  /** Builds the training path of the model into {@code graph}. */
  static CharLmModel build(Graph graph, int vocabularySize, int layers, int hidden, int embedding) {
    return new CharLmModel(graph, vocabularySize, layers, hidden, embedding);
  }

  private record Step(Output logits, Object finalState) {}

  /**
   * Embedding, LSTM stack and softmax layer on {@code ids} {@code [batch, time]}: logits {@code [batch * time,
   * vocabulary]}. Creates the variables in the current variable scope, or reuses them when it reuses.
   */
  private Step logits(Operand ids, Object initialState) {
    Variable table = vs.getVariable("embedding", Shape.of(vocabularySize, embedding), DType.FLOAT32);
    Output embedded = tf.array.gather(table, ids); // [batch, time, embedding]
    Rnn.DynamicRnnOptions options = Rnn.dynamicOptions().dtype(DType.FLOAT32);
    if (initialState != null) {
      options.initialState(initialState);
    }
    Rnn.DynamicRnnResult rnn = Rnn.dynamicRnn(cell, embedded, options);
    Output flat = tf.array.reshape(rnn.output(), -1, hidden);
    Output logits;
    try (var s = vs.variableScope("softmax")) {
      Variable w = vs.getVariable("w", Shape.of(hidden, vocabularySize), DType.FLOAT32);
      Variable b = vs.getVariable("b", Shape.of(vocabularySize), DType.FLOAT32, Initializers.zeros());
      logits = tf.math.add(tf.linalg.matmul(flat, w), b);
    }
    return new Step(logits, rnn.finalState());
  }

  /** The trainable variables' element count. */
  long parameterCount() {
    long n = 0;
    for (Variable v : tf.state.trainableVariables()) {
      n += v.shape().size();
    }
    return n;
  }

  /**
   * The one-character step for generation: feed {@link Sampler#input} ({@code [1, 1]}) and each layer's {@code c}
   * and {@code h} ({@code [1, hidden]}, zeros at the start), fetch the logits of the next character and the new
   * states.
   */
  Sampler buildSampler() {
    List<LSTMStateTuple<Output>> stateIn = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      stateIn.add(LSTMStateTuple.of(
          tf.withName("sample_c" + i).placeholder(DType.FLOAT32, Shape.of(-1, hidden)),
          tf.withName("sample_h" + i).placeholder(DType.FLOAT32, Shape.of(-1, hidden))));
    }
    Output input = tf.withName("sample_input").placeholder(DType.INT32, Shape.of(-1, 1));
    Step step;
    try (var s = vs.variableScope(SCOPE, true)) {
      step = logits(input, List.copyOf(stateIn));
    }
    List<LSTMStateTuple<Output>> stateOut = new ArrayList<>();
    for (Object layerState : (List<?>) step.finalState()) {
      stateOut.add(LSTMStateTuple.ofTensors(layerState));
    }
    return new Sampler(input, stateIn, step.logits(), stateOut);
  }

  /** The generation path's placeholders and fetches. */
  record Sampler(Output input, List<LSTMStateTuple<Output>> stateIn, Output logits,
      List<LSTMStateTuple<Output>> stateOut) {}
}
