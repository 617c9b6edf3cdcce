package dev.scopeflow.bench;

import dev.scopeflow.runtime.cpu.Gemm;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * float32 GEMM through the CPU runtime's engine, called directly on {@code float[]}, at the LSTM shapes: the forward
 * gate product for B = 64, 32, 1 ({@code B x (I+H) x 4H} with I+H = 1024, 4H = 2048) and the two backward products
 * (input gradient with B transposed, weight gradient with A transposed). The engine is the one a CPU session picks
 * ({@code -Dscopeflow.cpu.gemm=<name>} forces one).
 */
public class GemmEngineBenchmark extends SessionBenchmark {
  @Param({"64x1024x2048", "32x1024x2048", "1x1024x2048", "64x2048x1024_nt", "1024x64x2048_tn"})
  public String shape;

  private Gemm gemm;
  private GemmShape s;
  private float[][] a;
  private float[] b;
  private float[] c;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    BenchSupport.applyThreadLimit();
    session = BenchSupport.cpuSessionForGemm();
    gemm = BenchSupport.gemmOf(session);
    s = GemmShape.parse(shape);
    SplittableRandom random = new SplittableRandom(shape.hashCode());
    a = new float[BenchSupport.POOL][];
    for (int i = 0; i < a.length; i++) {
      a[i] = BenchSupport.randomFloats(random, s.m() * s.k());
    }
    b = BenchSupport.randomFloats(random, s.k() * s.n());
    c = new float[s.m() * s.n()];
    System.out.println("# ScopeFlow GEMM engine: " + BenchSupport.engineDescription(gemm) + ", threads "
        + BenchSupport.threads());
  }

  @Benchmark
  public float[] sgemm() {
    float[] left = a[next];
    next = (next + 1) % a.length;
    gemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, left, 0, s.lda(), b, 0, s.ldb(), 0f, c, 0, s.n());
    return c;
  }
}
