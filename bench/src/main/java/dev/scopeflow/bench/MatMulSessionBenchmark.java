package dev.scopeflow.bench;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The GEMM shapes of {@link GemmEngineBenchmark} as a one-op {@code MatMul} graph run through a session: A is fed
 * (an activation), B is a variable (a weight that stays in the session, on the device), the product is fetched. The
 * difference to the engine's time is the session path: plan lookup, feeding, kernel dispatch, and on OpenCL the
 * transfers.
 */
public class MatMulSessionBenchmark extends SessionBenchmark {
  @Param({"cpu"})
  public String runtime;

  @Param({"64x1024x2048", "32x1024x2048", "1x1024x2048", "64x2048x1024_nt", "1024x64x2048_tn"})
  public String shape;

  private Output a;
  private Output product;
  private Tensor[] inputs;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    BenchSupport.startTrial(runtime);
    GemmShape s = GemmShape.parse(shape);
    SplittableRandom random = new SplittableRandom(shape.hashCode());
    Graph graph = new Graph();
    Ops tf = Ops.create(graph);
    a = tf.placeholder(DType.FLOAT32, Shape.of(s.aStored()[0], s.aStored()[1]));
    Shape bShape = Shape.of(s.bStored()[0], s.bStored()[1]);
    Variable b = tf.state.variable(Tensor.unsafeWrap(DType.FLOAT32, bShape,
        BenchSupport.randomFloats(random, Math.toIntExact(bShape.size()))));
    product = tf.linalg.matmul(a, b, s.transA(), s.transB());
    inputs = BenchSupport.randomTensors(random, Shape.of(s.aStored()[0], s.aStored()[1]));
    session = BenchSupport.openInitialized(graph, runtime);
    session.runner().feed(a, inputs[0]).fetch(product).run();
  }

  @Benchmark
  public Tensor matmul() {
    Tensor in = inputs[next];
    next = (next + 1) % inputs.length;
    return session.runner().feed(a, in).fetch(product).run().get(0);
  }
}
