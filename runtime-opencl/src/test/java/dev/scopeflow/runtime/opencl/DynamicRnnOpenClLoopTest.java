package dev.scopeflow.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.rnn.BasicLSTMCell;
import dev.scopeflow.rnn.Rnn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The loops the issue is about, end to end: dynamicRnn over an LSTM cell, its output and the gradients of a loss
 * (the forward loop, and the gradient's backward loop counting down) run on OpenCL with no host read per time step
 * (both loops are counted, every list index is known on the host; the few reads left happen once per run), and
 * agree with the CPU runtime on the same graph and weights at two run-time sequence lengths.
 */
@RequiresOpenCl
class DynamicRnnOpenClLoopTest {
  @Test
  void lstmForwardAndGradientReadNothingPerTimeStepAndAgreeWithTheCpuRuntime() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int batch = 2;
    int depth = 3;
    Graph graph = new Graph();
    Ops tf = Ops.create(graph);
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(batch, -1, depth));
    BasicLSTMCell cell = BasicLSTMCell.builder(graph, 4).build();
    Rnn.DynamicRnnResult r = Rnn.dynamicRnn(cell, x, DType.FLOAT32);
    Output output = r.output();
    Output loss = tf.math.reduceSum(tf.math.mul(output, output));
    List<Output> wrt = new ArrayList<>();
    wrt.add(x);
    List<Operand> ws = cell.trainableWeights();
    for (Operand w : ws) {
      wrt.add(w.asOutput());
    }
    List<Output> fetches = new ArrayList<>();
    fetches.add(output);
    tf.gradients(List.of(loss), wrt).forEach(g -> fetches.add(g.orElseThrow()));
    try (Session cpu = Session.open(graph, "cpu");
        OpenClSession ocl = (OpenClSession) Session.open(graph, "opencl")) {
      cpu.runTargets(tf.state.globalVariablesInitializer());
      List<Tensor> weights = cpu.run(ws.toArray(new Operand[0]));
      long[] syncs = new long[2];
      int[] lengths = {3, 8};
      for (int run = 0; run < 2; run++) {
        int steps = lengths[run];
        float[] xv = new float[batch * steps * depth];
        for (int i = 0; i < xv.length; i++) {
          xv[i] = random.nextFloat() * 2 - 1;
        }
        Tensor xt = Tensor.create(Shape.of(batch, steps, depth), xv);
        var cpuRunner = cpu.runner().feed(x, xt);
        fetches.forEach(cpuRunner::fetch);
        List<Tensor> expected = cpuRunner.run();
        // the CPU session's initial weights, fed as the variables' reads
        var runner = ocl.runner().feed(x, xt);
        for (int i = 0; i < ws.size(); i++) {
          runner.feed(ws.get(i).asOutput(), weights.get(i));
        }
        fetches.forEach(runner::fetch);
        long before = ocl.hostSyncCount();
        List<Tensor> got = runner.run();
        syncs[run] = ocl.hostSyncCount() - before;
        for (int f = 0; f < fetches.size(); f++) {
          double[] e = expected.get(f).asDoubles();
          double[] g = got.get(f).asDoubles();
          assertEquals(e.length, g.length);
          for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], g[i], 1e-4 * Math.max(1, Math.abs(e[i])),
                fetches.get(f) + "[" + i + "], T = " + steps + ", seed " + seed);
          }
        }
      }
      // The few reads there are (shapes computed on the device, the loop bound read once) do not grow with T.
      assertEquals(syncs[0], syncs[1], "host reads at T = 3 and T = 8");
    }
  }
}
