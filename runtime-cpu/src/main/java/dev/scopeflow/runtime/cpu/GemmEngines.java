package dev.scopeflow.runtime.cpu;

import dev.scopeflow.graph.SessionOptions;
import dev.scopeflow.runtime.cpu.kernels.EjmlGemm;
import dev.scopeflow.runtime.cpu.kernels.gemm.JavaGemm;
import dev.scopeflow.runtime.cpu.kernels.gemm.OpenBlasGemm;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses a session's GEMM engine. By default the fastest available, decided once per JVM and logged once: native
 * OpenBLAS when it loads (see {@link OpenBlasGemm} for how the library is found), else the pure-Java engine. Forced
 * by the session option {@code cpu.gemm} or, for every session, the system property {@code scopeflow.cpu.gemm}
 * (the option wins): {@code openblas}, {@code java}, {@code ejml} or {@code auto}. A forced engine that cannot load
 * is an error, never a silent fallback.
 */
final class GemmEngines {
  /** System property that forces the engine of every session without a {@code cpu.gemm} option. */
  static final String PROPERTY = "scopeflow.cpu.gemm";

  static final String OPTION = "cpu.gemm";

  private static final System.Logger LOG = System.getLogger(GemmEngines.class.getName());

  private static volatile Gemm automatic;

  /** Forced engines already logged: each is logged once per JVM, not once per session. */
  private static final Set<String> LOGGED_FORCED = ConcurrentHashMap.newKeySet();

  private GemmEngines() {}

  static Gemm select(SessionOptions options) {
    Optional<String> forced = options.get(OPTION);
    String key = OPTION;
    if (forced.isEmpty()) {
      forced = Optional.ofNullable(System.getProperty(PROPERTY));
      key = PROPERTY;
    }
    if (forced.isEmpty()) {
      return automatic();
    }
    Gemm g = named(forced.get().trim(), key);
    if (LOGGED_FORCED.add(g.toString())) {
      LOG.log(Level.INFO, "ScopeFlow CPU GEMM engine: {0}, forced by {1}", g, key);
    }
    return g;
  }

  /** The engine {@code name} given under {@code key} (the option or the property, for messages). */
  private static Gemm named(String name, String key) {
    switch (name) {
      case "auto":
        return automatic();
      case "openblas": {
        OpenBlasGemm.Loaded loaded = OpenBlasGemm.load();
        return loaded.engine().orElseThrow(() -> new IllegalStateException(
            key + "=openblas, but OpenBLAS is not available: " + loaded.detail()));
      }
      case "java":
        return JavaGemm.INSTANCE;
      case "ejml":
        return EjmlGemm.INSTANCE;
      default:
        throw new IllegalArgumentException("Unknown " + key + " engine '" + name
            + "'; available: [auto, openblas, java, ejml]");
    }
  }

  /** OpenBLAS if it loads, else the pure-Java engine; decided and logged once per JVM. */
  private static Gemm automatic() {
    Gemm g = automatic;
    if (g == null) {
      synchronized (GemmEngines.class) {
        g = automatic;
        if (g == null) {
          OpenBlasGemm.Loaded loaded = OpenBlasGemm.load();
          if (loaded.engine().isPresent()) {
            g = loaded.engine().get();
            LOG.log(Level.INFO, "ScopeFlow CPU GEMM engine: native OpenBLAS from {0}", loaded.detail());
          } else {
            g = JavaGemm.INSTANCE;
            LOG.log(Level.INFO, "ScopeFlow CPU GEMM engine: {0}, because OpenBLAS is not available: {1}", g,
                loaded.detail());
          }
          automatic = g;
        }
      }
    }
    return g;
  }
}
