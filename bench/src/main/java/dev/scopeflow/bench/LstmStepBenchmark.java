package dev.scopeflow.bench;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.rnn.BasicLSTMCell;
import dev.scopeflow.rnn.CellOutput;
import dev.scopeflow.rnn.LSTMStateTuple;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One LSTM step forward: a {@code BasicLSTMCell(512)} called once on input [B, 256] and state (c, h) [B, 512], all
 * three fed fresh each run; fetches the new h and c. PyTorch's counterpart is one {@code nn.LSTMCell(256, 512)} call.
 */
public class LstmStepBenchmark extends SessionBenchmark {
  @Param({"cpu"})
  public String runtime;

  @Param({"1", "32", "64"})
  public int batch;

  private Output x;
  private Output c;
  private Output h;
  private Output newC;
  private Output newH;
  private Tensor[] xs;
  private Tensor[] cs;
  private Tensor[] hs;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    BenchSupport.startTrial(runtime);
    Graph graph = new Graph();
    graph.setSeed(1L);
    Ops tf = Ops.create(graph);
    x = tf.placeholder(DType.FLOAT32, Shape.of(batch, LstmModel.INPUT));
    c = tf.placeholder(DType.FLOAT32, Shape.of(batch, LstmModel.HIDDEN));
    h = tf.placeholder(DType.FLOAT32, Shape.of(batch, LstmModel.HIDDEN));
    CellOutput out = new BasicLSTMCell(graph, LstmModel.HIDDEN).apply(x, LSTMStateTuple.of(c, h));
    LSTMStateTuple<Output> state = out.lstmState();
    newC = state.c();
    newH = state.h();
    SplittableRandom random = new SplittableRandom(batch);
    xs = BenchSupport.randomTensors(random, Shape.of(batch, LstmModel.INPUT));
    cs = BenchSupport.randomTensors(random, Shape.of(batch, LstmModel.HIDDEN));
    hs = BenchSupport.randomTensors(random, Shape.of(batch, LstmModel.HIDDEN));
    session = BenchSupport.openInitialized(graph, runtime);
    step();
  }

  @Benchmark
  public List<Tensor> step() {
    int i = next;
    next = (next + 1) % xs.length;
    return session.runner().feed(x, xs[i]).feed(c, cs[i]).feed(h, hs[i]).fetch(newH).fetch(newC).run();
  }
}
