package dev.scopeflow.bench;

import dev.scopeflow.graph.Runtimes;
import dev.scopeflow.graph.Session;

/**
 * Prints what the benchmarks will run with, one {@code key: value} per line, for the comparison script's header:
 * the thread count, the CPU runtime's GEMM engine, and whether each runtime is available here.
 */
public final class Environment {
  private Environment() {}

  public static void main(String[] args) {
    BenchSupport.applyThreadLimit();
    System.out.println("threads: " + BenchSupport.threads());
    try (Session s = BenchSupport.cpuSessionForGemm()) {
      System.out.println("cpu.gemm: " + BenchSupport.engineName(BenchSupport.gemmOf(s)));
      System.out.println("cpu.gemm engine: " + BenchSupport.engineDescription(BenchSupport.gemmOf(s)));
    }
    for (String runtime : new String[] {"cpu", "opencl"}) {
      System.out.println("runtime " + runtime + ": "
          + Runtimes.get(runtime).unavailableReason().map(r -> "unavailable (" + r + ")").orElse("available"));
    }
  }
}
