package dev.scopeflow.bench;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Runtimes;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.SessionOptions;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.runtime.cpu.Gemm;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What every benchmark shares: the thread count, the session options of a runtime, the GEMM engine the CPU runtime
 * picks, and pools of random inputs (each benchmark feeds a different one per call, so that no run sees the same
 * values twice in a row, while generating them stays out of the measured time).
 */
final class BenchSupport {
  /**
   * Threads ScopeFlow may use. The script passes the same count to the runtime's own settings: the system property
   * {@code scopeflow.cpu.threads} (the pure-Java GEMM's pool) and OPENBLAS_NUM_THREADS; this harness caps EJML's pool
   * and passes the session option {@code cpu.threads}.
   */
  static final String THREADS_PROPERTY = "scopeflow.bench.threads";

  /** The CPU runtime's engine choice, as the runtime reads it (system property; also passed as session option). */
  static final String GEMM_PROPERTY = "scopeflow.cpu.gemm";

  /** How many different random inputs each benchmark cycles through. */
  static final int POOL = 4;

  private BenchSupport() {}

  static int threads() {
    return Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Caps the threads of the libraries the CPU runtime uses. EJML's concurrent kernels run on their own pool (one
   * thread per core by default); OpenBLAS reads OPENBLAS_NUM_THREADS, which the script sets for the forked JVMs.
   * EJML is reached by name so that the harness still runs if the CPU runtime stops using it.
   */
  static void applyThreadLimit() {
    try {
      Class<?> ejml = Class.forName("org.ejml.concurrency.EjmlConcurrency");
      ejml.getMethod("setMaxThreads", int.class).invoke(null, threads());
    } catch (ReflectiveOperationException e) {
      // no EJML on the class path: nothing to cap
    }
  }

  /** Options for a session on {@code runtime}, carrying the thread count and a forced GEMM engine if one is set. */
  static SessionOptions sessionOptions(String runtime) {
    SessionOptions.Builder b = SessionOptions.builder().runtime(runtime).set("cpu.threads",
        Integer.toString(threads()));
    String gemm = System.getProperty(GEMM_PROPERTY);
    if (gemm != null && !gemm.isBlank()) {
      b.set("cpu.gemm", gemm.trim());
    }
    return b.build();
  }

  /** Fails the trial with the runtime's own reason when it cannot run here (e.g. no OpenCL platform). */
  static void requireRuntime(String runtime) {
    Optional<String> unavailable = Runtimes.get(runtime).unavailableReason();
    if (unavailable.isPresent()) {
      throw new IllegalStateException("runtime '" + runtime + "' is unavailable: " + unavailable.get());
    }
  }

  /** The start of a trial on {@code runtime}: caps the libraries' threads, fails if the runtime cannot run here. */
  static void startTrial(String runtime) {
    applyThreadLimit();
    requireRuntime(runtime);
  }

  /** A session on {@code runtime} for {@code graph} (these options), every global variable initialized. */
  static Session openInitialized(Graph graph, String runtime) {
    Session session = Session.open(graph, sessionOptions(runtime));
    session.runTargets(Ops.create(graph).state.globalVariablesInitializer());
    return session;
  }

  /** Opens a CPU session on an empty graph; its GEMM engine is the one every CPU session with these options uses. */
  static Session cpuSessionForGemm() {
    return Session.open(new Graph(), sessionOptions("cpu"));
  }

  /**
   * The GEMM engine of a CPU session. The runtime picks its engine per session ({@code cpu.gemm}) and keeps the
   * chooser package-private, so the session's accessor is read reflectively: the benchmark then measures exactly
   * the engine a session would run.
   */
  static Gemm gemmOf(Session cpuSession) {
    try {
      Method m = cpuSession.getClass().getDeclaredMethod("gemm");
      m.setAccessible(true);
      return (Gemm) m.invoke(cpuSession);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the GEMM engine of " + cpuSession.getClass().getName(), e);
    }
  }

  /** How the engine describes itself, e.g. {@code openblas (/usr/lib/...)}, {@code java (2 threads)}, {@code ejml}. */
  static String engineDescription(Gemm gemm) {
    return gemm.toString();
  }

  /** The engine's short name: the first word of its description ({@code openblas}, {@code java}, {@code ejml}). */
  static String engineName(Gemm gemm) {
    return engineDescription(gemm).split("[\\s(]", 2)[0];
  }

  static float[] randomFloats(SplittableRandom random, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return a;
  }

  /** {@link #POOL} float32 tensors of {@code shape}, uniform in [-1, 1). */
  static Tensor[] randomTensors(SplittableRandom random, Shape shape) {
    Tensor[] pool = new Tensor[POOL];
    for (int i = 0; i < POOL; i++) {
      pool[i] = Tensor.unsafeWrap(DType.FLOAT32, shape, randomFloats(random, Math.toIntExact(shape.size())));
    }
    return pool;
  }
}
