package dev.scopeflow.bench;

import dev.scopeflow.graph.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A one-layer LSTM over a sequence ({@link LstmModel}: BasicLSTMCell(512) under dynamic_rnn, input [B, 50, 256]):
 * {@link #forward} fetches the outputs of a graph without gradients, {@link #train} runs forward, backward through
 * the loop and the Adam update in one {@code Session.run}. One call is one whole sequence.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class LstmSequenceBenchmark {

  /** What both states share: the parameters, the model built and run once per trial, closed after it. */
  @State(Scope.Benchmark)
  public abstract static class ModelState {
    @Param({"cpu"})
    public String runtime;

    @Param({"1", "32", "64"})
    public int batch;

    LstmModel model;

    /** This state's model for {@link #runtime} and {@link #batch}. */
    abstract LstmModel build();

    /** One call of what this state's benchmark measures. */
    abstract Tensor run();

    @Setup(Level.Trial)
    public void setUp() {
      BenchSupport.startTrial(runtime);
      model = build();
      run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      model.session.close();
    }
  }

  /** A forward-only graph (no gradient accumulators in the loop). */
  @State(Scope.Benchmark)
  public static class Forward extends ModelState {
    @Override
    LstmModel build() {
      return LstmModel.forward(runtime, batch);
    }

    @Override
    Tensor run() {
      return model.runForward();
    }
  }

  /** The training graph: loss, gradients through the loop, Adam. */
  @State(Scope.Benchmark)
  public static class Training extends ModelState {
    @Override
    LstmModel build() {
      return LstmModel.training(runtime, batch);
    }

    @Override
    Tensor run() {
      return model.runTrainingStep();
    }
  }

  @Benchmark
  public Tensor forward(Forward state) {
    return state.run();
  }

  @Benchmark
  public Tensor train(Training state) {
    return state.run();
  }
}
