package dev.scopeflow.bench;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.rnn.BasicLSTMCell;
import dev.scopeflow.rnn.Rnn;
import dev.scopeflow.train.AdamOptimizer;
import java.util.SplittableRandom;

/**
 * The benchmarked model, the same as {@code bench/pytorch/lstm_bench.py}'s: one layer, {@code BasicLSTMCell(512)}
 * under {@code dynamic_rnn} over input [batch, 50, 256], zero initial state; for training the loss is the mean of the
 * squared outputs, minimised by Adam (learning rate 1e-3), forward + backward + update in one {@code Session.run}.
 */
final class LstmModel {
  static final int INPUT = 256;
  static final int HIDDEN = 512;
  static final int STEPS = 50;

  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final Output x;
  final Output outputs;
  final Output loss;
  final Operation train;
  final Session session;
  private final Tensor[] inputs;
  private int next;

  private LstmModel(String runtime, int batch, boolean training) {
    graph.setSeed(1L);
    x = tf.placeholder(DType.FLOAT32, Shape.of(batch, STEPS, INPUT));
    outputs = Rnn.dynamicRnn(new BasicLSTMCell(graph, HIDDEN), x, DType.FLOAT32).output();
    if (training) {
      loss = tf.math.reduceMean(tf.math.square(outputs));
      train = new AdamOptimizer(1e-3).minimize(loss);
    } else {
      loss = null;
      train = null;
    }
    inputs = BenchSupport.randomTensors(new SplittableRandom(batch), Shape.of(batch, STEPS, INPUT));
    session = BenchSupport.openInitialized(graph, runtime);
  }

  static LstmModel forward(String runtime, int batch) {
    return new LstmModel(runtime, batch, false);
  }

  static LstmModel training(String runtime, int batch) {
    return new LstmModel(runtime, batch, true);
  }

  /** The next of the pre-generated random inputs. */
  Tensor nextInput() {
    Tensor in = inputs[next];
    next = (next + 1) % inputs.length;
    return in;
  }

  /** Runs the loop and fetches all outputs [batch, 50, 512]. */
  Tensor runForward() {
    return session.runner().feed(x, nextInput()).fetch(outputs).run().get(0);
  }

  /** One Adam step on fresh input; fetches the loss (a scalar), as PyTorch's loop reads {@code loss.item()}. */
  Tensor runTrainingStep() {
    return session.runner().feed(x, nextInput()).fetch(loss).addTarget(train).run().get(0);
  }
}
