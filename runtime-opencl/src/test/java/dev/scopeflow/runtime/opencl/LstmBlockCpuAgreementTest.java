package dev.scopeflow.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Gradients;
import dev.scopeflow.ops.LstmBlockGates;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The fused LSTM gate kernels of the OpenCL runtime against the CPU runtime's, on inputs larger than the conformance
 * cases (rows split over cores on the CPU, many work-groups on OpenCL), every gate count path (one, two, and more
 * inputs, which OpenCL pre-sums), peepholes and clip together, values and gradients: float32 within 1e-5 relative
 * (the devices' exp and tanh differ in the last bits), float64 within 1e-12. Run-time shape errors read the same.
 */
@RequiresOpenCl
class LstmBlockCpuAgreementTest extends CpuAgreementHarness {
  @Test
  void valuesAndGradientsAgree() {
    for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
      for (int n = 1; n <= 3; n++) {
        boolean peephole = n != 2;
        checkAgreement(dtype, 37, 129, n, peephole, n == 3 ? 1.5 : -1);
      }
      checkAgreement(dtype, 1, 3, 2, true, 0.5);
    }
  }

  private void checkAgreement(DType dtype, int batch, int cells, int n, boolean peephole, double clip) {
    List<Output> xs = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      xs.add(fedScaled(dtype, 1.5, batch, 4 * cells));
    }
    Output csPrev = fedScaled(dtype, 2, batch, cells);
    Output b = fedScaled(dtype, 0.5, 4 * cells);
    Output wci = fedScaled(dtype, 1, cells);
    Output wcf = fedScaled(dtype, 1, cells);
    Output wco = fedScaled(dtype, 1, cells);
    LstmBlockGates r = tf.nn.lstmBlockGates(xs, csPrev, b, wci, wcf, wco, 0.7, clip, peephole);
    fetches.addAll(List.of(r.i(), r.cs(), r.f(), r.o(), r.ci(), r.co(), r.h()));
    Output y = tf.array.concat(List.of(r.h(), r.cs()), 1);
    Output w = fedScaled(dtype, 1, batch, 2 * cells);
    List<Output> inputs = new ArrayList<>(xs);
    inputs.addAll(List.of(csPrev, b, wci, wcf, wco));
    for (Optional<Output> g : tf.gradients(List.of(y), inputs, Gradients.options().gradYs(List.of(w)))) {
      fetches.add(g.orElseThrow());
    }
    List<Tensor> expected;
    List<Tensor> actual;
    try (Session cpu = Session.open(graph, "cpu"); Session ocl = Session.open(graph, "opencl")) {
      expected = run(cpu);
      actual = run(ocl);
    }
    double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
    for (int i = 0; i < fetches.size(); i++) {
      assertClose(fetches.get(i), expected.get(i), actual.get(i), tol);
    }
    reset();
  }

  @Test
  void runTimeShapeErrorsReadTheSame() {
    Output g = fed(DType.FLOAT32, 2, 8);
    Output cs = fed(DType.FLOAT32, 3, 2);
    Output b = fed(DType.FLOAT32, 8);
    Output w = fed(DType.FLOAT32, 2);
    assertSameError(tf.nn.lstmBlockGates(List.of(g), cs, b, w, w, w).h(), "gates.dims(0) != batch_size: 2 vs. 3");
  }

  /** A fed placeholder of unknown shape holding Gaussians times {@code scale}. */
  private Output fedScaled(DType dtype, double scale, long... dims) {
    Output p = tf.placeholder(dtype);
    feeds.put(p, randomTensor(dtype, Shape.of(dims), scale, 0));
    return p;
  }

  private void assertClose(Output what, Tensor expected, Tensor actual, double tol) {
    assertEquals(expected.dtype(), actual.dtype());
    assertEquals(expected.shape(), actual.shape(), () -> what + " (seed " + seed + ")");
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.getDouble(i);
      double a = actual.getDouble(i);
      if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
        fail(what + " element " + i + ": CPU " + e + ", OpenCL " + a + " (seed " + seed + ")");
      }
    }
  }
}
