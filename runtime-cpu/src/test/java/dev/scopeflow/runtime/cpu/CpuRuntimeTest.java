package dev.scopeflow.runtime.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.RunException;
import dev.scopeflow.graph.Runtimes;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.SessionOptions;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is specific to the CPU runtime: discovery, its options, ops it has no kernel for. */
class CpuRuntimeTest {
  @Test
  void foundByServiceLoaderAsTheDefault() {
    assertEquals(List.of("cpu"), Runtimes.available());
    try (Session s = Session.open(new Graph())) {
      assertEquals("cpu", s.runtimeName());
    }
    try (Session s = Session.open(new Graph(), "CPU")) {
      assertEquals("cpu", s.runtimeName());
    }
  }

  @Test
  void unknownGemmEngineIsRejected() {
    SessionOptions o = SessionOptions.builder().runtime("cpu").set("cpu.gemm", "mkl").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Session.open(new Graph(), o));
    assertEquals("Unknown cpu.gemm engine 'mkl'; available: [auto, openblas, java, ejml]", e.getMessage());
  }

  @Test
  void anOpWithoutAKernelFailsAtPlanTimeNamingIt() {
    Graph g = new Graph();
    Output mystery = g.opBuilder("Mystery", "m").addOutput(DType.FLOAT32, Shape.scalar()).build().output(0);
    try (Session s = Session.open(g)) {
      RunException e = assertThrows(RunException.class, () -> s.run(mystery));
      assertEquals(RunException.Code.UNIMPLEMENTED, e.code());
      assertTrue(e.getMessage().startsWith("No CPU kernel for op type 'Mystery'"), e.getMessage());
      assertTrue(e.getMessage().contains("[[node m (Mystery)]]"), e.getMessage());
    }
  }

  @Test
  void plansAreCompiledOncePerSignature() {
    Graph g = new Graph();
    Ops tf = Ops.create(g);
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(2));
    Output y = tf.math.mul(x, x);
    try (Session s = Session.open(g)) {
      for (int i = 0; i < 5; i++) {
        s.runner().feed(x, Tensor.vector(i, 1f)).fetch(y).run();
      }
      s.runner().feed(x, Tensor.vector(1f, 1f)).fetch(x).run();
      assertEquals(2, s.metrics().planCompilations());
      assertEquals(4, s.metrics().planCacheHits());
      assertEquals(6, s.metrics().runs());
      assertEquals(5, s.metrics().kernelsExecuted(), "only Mul runs; the fed placeholder is cut off");
    }
  }
}
