package dev.scopeflow.train;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.ops.init.Initializers;
import dev.scopeflow.rnn.BasicLSTMCell;
import dev.scopeflow.rnn.Rnn;
import dev.scopeflow.scope.VariableScopes;
import java.util.List;
import java.util.Random;

/**
 * The Saver tests' model: a BasicLSTMCell(4) under dynamic_rnn, a softmax layer, Adam (slots, beta powers) and the
 * global step, built the same way in every new graph; {@link #trainStep} feeds a batch fixed by the step number.
 */
final class LstmAdamModel {
  final Graph g = new Graph();
  final Ops t = Ops.create(g);
  final Output x;
  final Output labels;
  final Output loss;
  final Operation train;
  final Operand globalStep;

  LstmAdamModel() {
    g.setSeed(3L);
    VariableScopes scopes = VariableScopes.of(g);
    x = t.placeholder(DType.FLOAT32, Shape.of(-1, -1, 2));
    labels = t.placeholder(DType.INT32, Shape.of(-1));
    Rnn.DynamicRnnResult rnn = Rnn.dynamicRnn(BasicLSTMCell.builder(g, 4).build(), x,
        Rnn.dynamicOptions().dtype(DType.FLOAT32));
    Variable w;
    Variable b;
    try (var s = scopes.variableScope("softmax")) {
      w = scopes.getVariable("w", Shape.of(4, 2), DType.FLOAT32, Initializers.glorotUniform());
      b = scopes.getVariable("b", Shape.of(2), DType.FLOAT32, Initializers.zeros());
    }
    Output logits = t.math.add(t.linalg.matmul(t.array.reshape(rnn.output(), t.constant(new int[] {-1, 4})), w), b);
    loss = t.math.reduceMean(t.nn.sparseSoftmaxCrossEntropyWithLogits(labels, logits));
    globalStep = TrainingUtil.getOrCreateGlobalStep(g);
    train = new AdamOptimizer(0.05).minimize(loss, globalStep);
  }

  /** Step {@code step}'s batch: fixed by the step number alone. */
  double trainStep(Session s, int step) {
    Random data = new Random(1000 + step);
    int batch = 3;
    int time = 5;
    double[] bits = new double[batch * time * 2];
    int[] echo = new int[batch * time];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = data.nextBoolean() ? 1 : 0;
    }
    for (int i = 0; i < echo.length; i++) {
      echo[i] = (int) bits[2 * i];
    }
    return s.runner().feed(x, Tensor.fromDoubles(DType.FLOAT32, Shape.of(batch, time, 2), bits))
        .feed(labels, Tensor.vector(echo)).fetch(loss).addTarget(train).run().get(0).getDouble(0);
  }

  List<Variable> variables() {
    return t.state.globalVariables();
  }
}
