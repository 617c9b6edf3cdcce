package dev.scopeflow.train;

import dev.scopeflow.conformance.RandomTensors;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.scope.ScopeTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Saver tests share: a temporary directory for the checkpoints, initialized CPU sessions on the other graphs
 * a checkpoint is restored into (closed after the test), and fresh random values (seed in {@link #seed}).
 */
abstract class SaverTestBase extends ScopeTestBase {
  @TempDir
  Path dir;

  private final List<Session> extraSessions = new ArrayList<>();

  @AfterEach
  void closeExtraSessions() {
    extraSessions.forEach(Session::close);
  }

  /** A CPU session on {@code g} with every global variable initialized; closed after the test. */
  protected Session open(Graph g) {
    Session s = Session.open(g, "cpu");
    extraSessions.add(s);
    s.runTargets(Ops.create(g).state.globalVariablesInitializer());
    return s;
  }

  /** The checkpoint prefix {@code name} in {@link #dir}. */
  protected String prefix(String name) {
    return dir.resolve(name).toString();
  }

  /** Standard-normal floats and doubles; ints, longs and booleans over their whole range. */
  protected Tensor randomTensor(DType dtype, Shape shape) {
    return RandomTensors.gaussian(random, dtype, shape);
  }
}
