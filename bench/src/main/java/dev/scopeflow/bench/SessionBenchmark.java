package dev.scopeflow.bench;

import dev.scopeflow.graph.Session;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How the benchmarks of one call (a GEMM, a MatMul session run, one LSTM step) measure, the same for each: average
 * time per call in milliseconds, 3 warm-up and 5 measured iterations of 1 s, one fork with a 4 GiB heap. Each holds
 * a session for the trial (JMH reads these annotations and the tear-down from the superclass).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public abstract class SessionBenchmark {
  /** The trial's session, opened by the subclass's set-up. */
  Session session;

  @TearDown(Level.Trial)
  public void tearDown() {
    session.close();
  }
}
