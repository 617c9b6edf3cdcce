package dev.scopeflow.samples.training;

import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.GraphKeys;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.ops.MathOps;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.train.AdamOptimizer;
import dev.scopeflow.train.GradAndVar;
import java.util.ArrayList;
import java.util.List;

/**
 * The training step the samples share, written as in TF1: {@code AdamOptimizer.compute_gradients(loss)}, {@code
 * tf.clip_by_global_norm(grads, clip_norm)}, {@code apply_gradients(..., global_step)}, after the layers' UPDATE_OPS.
 */
public final class ClippedAdam {
  private ClippedAdam() {}

  /**
   * The train op: one Adam update of every trainable variable, with the gradients rescaled together when their global
   * norm exceeds {@code clipNorm}; it increments {@code globalStep}.
   */
  public static Operation minimize(Graph graph, Operand loss, double learningRate, double clipNorm,
      Operand globalStep) {
    Ops tf = Ops.create(graph);
    AdamOptimizer adam = new AdamOptimizer(learningRate);
    List<GradAndVar> grads = adam.computeGradients(loss);
    MathOps.GlobalNormClip clipped = tf.math.clipByGlobalNorm(
        grads.stream().map(g -> g.gradient().orElseThrow()).toList(), clipNorm);
    List<GradAndVar> clippedGrads = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      clippedGrads.add(GradAndVar.of(clipped.clipped().get(i), grads.get(i).variable()));
    }
    try (var deps = graph.controlDependencies(graph.getCollection(GraphKeys.UPDATE_OPS))) {
      return adam.applyGradients(clippedGrads, globalStep);
    }
  }
}
