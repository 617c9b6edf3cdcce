package dev.scopeflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scopeflow.checkpoint.TfInterop;
import dev.scopeflow.conformance.RandomTensors;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.scope.GetVariableOptions;
import dev.scopeflow.scope.PartitionedVariable;
import dev.scopeflow.scope.Partitioners;
import dev.scopeflow.scope.VariableScopes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Saver against real TensorFlow (TF Java runs TF's own {@code SaveV2}/{@code RestoreV2} kernels; only the
 * tf-interop profile compiles this): a checkpoint TF writes under an LSTM model's variable names (BasicLSTMCell under
 * dynamic_rnn, Adam slots, global_step) restores into the ScopeFlow graph and training continues exactly as it would
 * have; a partitioned variable TF saved in slices restores into another partitioning and into a plain variable, and
 * TF reads the Saver's slices back whole, also those the default Saver writes for a partitioned variable's shards
 * and their Adam slots. (checkpoint.SaverLstmInteropTest checks the LSTM's outputs after a restore and TF reading a
 * Saver checkpoint key by key.)
 */
class SaverInteropTest extends SaverTestBase {
  @Test
  void aCheckpointTensorFlowWroteRestoresAndTrainingContinuesIdentically() {
    LstmAdamModel trained = new LstmAdamModel();
    Session s = open(trained.g);
    for (int i = 0; i < 3; i++) {
      trained.trainStep(s, i);
    }
    // TF writes the trained values under the graph names, as a Python tf.compat.v1.train.Saver would.
    Map<String, Tensor> values = new LinkedHashMap<>();
    for (Variable v : trained.variables()) {
      values.put(v.op().name(), s.run(v));
    }
    Path prefix = dir.resolve("tf/model.ckpt-3");
    TfInterop.save(prefix, values);

    LstmAdamModel restored = new LstmAdamModel();
    Session s2 = open(restored.g);
    Saver.create(restored.g).restore(s2, prefix.toString());
    for (Variable v : restored.variables()) {
      assertEquals(values.get(v.op().name()), s2.run(v), v.name());
    }
    for (int i = 3; i < 6; i++) {
      assertEquals(trained.trainStep(s, i), restored.trainStep(s2, i), "step " + i);
    }
  }

  /** As Python's Saver saves a partitioned variable: one tensor name, one SaveV2 slice per shard. */
  @Test
  void aPartitionedVariableTensorFlowSavedInSlicesRestoresIntoOtherPartitionings() {
    float[] values = RandomTensors.gaussianFloats(random, 7 * 3);
    Tensor full = Tensor.create(Shape.of(7, 3), values);
    Path prefix = dir.resolve("tf/partitioned");
    TfInterop.save(prefix, List.of(
        new TfInterop.SaveItem("emb", "7 3 0,4:0,3", Tensor.create(Shape.of(4, 3),
            java.util.Arrays.copyOfRange(values, 0, 12))),
        new TfInterop.SaveItem("emb", "7 3 4,3:0,3", Tensor.create(Shape.of(3, 3),
            java.util.Arrays.copyOfRange(values, 12, 21)))));

    Graph g = new Graph();
    PartitionedVariable three = VariableScopes.of(g).getPartitionedVariable("emb", GetVariableOptions.shape(
        Shape.of(7, 3)).partitioner(Partitioners.fixedSizePartitioner(3)));
    try (Session s = Session.open(g, "cpu")) {
      Saver saver = Saver.builder(g).varList(List.of(three)).build();
      saver.restore(s, prefix.toString());
      assertEquals(full, s.run(three), "seed " + seed);
      // what the Saver writes as three slices, TF's RestoreV2 reads whole
      String ours = saver.save(s, dir.resolve("sf/partitioned").toString());
      assertEquals(full, tfRestoreWhole(Path.of(ours), "emb", DType.FLOAT32), "seed " + seed);
    }
    Graph plain = new Graph();
    Variable v = Ops.create(plain).state.variable(Tensor.zeros(DType.FLOAT32, Shape.of(7, 3)),
        Variable.options().name("emb"));
    try (Session s = Session.open(plain, "cpu")) {
      Saver.create(plain).restore(s, prefix.toString());
      assertEquals(full, s.run(v), "seed " + seed);
    }
  }

  /**
   * The default Saver (GLOBAL_VARIABLES: the shards, with their save-slice info) writes a partitioned variable as
   * Python's does: TF's RestoreV2 reads it whole under the full name, and each shard's slice with the shard's {@code
   * SaveSliceInfo.spec} as the {@code shape_and_slices} string.
   */
  @Test
  void tensorFlowReadsTheDefaultSaversPartitionedTensorWholeAndBySliceSpec() {
    float[] values = RandomTensors.gaussianFloats(random, 9 * 2);
    Tensor full = Tensor.create(Shape.of(9, 2), values);
    Graph g = new Graph();
    VariableScopes vs = VariableScopes.of(g);
    PartitionedVariable pv;
    try (var scope = vs.variableScope(dev.scopeflow.scope.VariableScopeArgs.named("model")
        .partitioner(Partitioners.fixedSizePartitioner(4)))) {
      pv = vs.getVariableResult("emb", GetVariableOptions.shape(Shape.of(9, 2)).initializer(full)).partitioned();
    }
    try (Session s = Session.open(g, "cpu")) {
      s.runTargets(Ops.create(g).state.globalVariablesInitializer());
      Saver saver = Saver.create(g);
      assertEquals(List.of("model/emb"), saver.keys());
      Path ours = Path.of(saver.save(s, dir.resolve("sf/default").toString()));
      assertEquals(full, tfRestore(ours, "model/emb", "", DType.FLOAT32), "seed " + seed);
      for (Variable shard : pv.variables()) {
        String spec = vs.saveSliceInfo(shard).orElseThrow().spec();
        assertEquals(s.run(shard), tfRestore(ours, "model/emb", spec, DType.FLOAT32), spec + ", seed " + seed);
      }
    }
  }

  /**
   * Adam's slots of a partitioned variable's shards ({@code model/emb/part_<i>/Adam}) are saved as Python's Saver
   * saves them: TF's RestoreV2 reads {@code model/emb/Adam} and {@code model/emb/Adam_1} whole, each shard's slot
   * value at the shard's place.
   */
  @Test
  void tensorFlowReadsAdamSlotsOfShardsWholeUnderTheFullName() {
    float[] values = RandomTensors.gaussianFloats(random, 9 * 2);
    float[] input = RandomTensors.gaussianFloats(random, 4 * 9);
    Graph g = new Graph();
    VariableScopes vs = VariableScopes.of(g);
    Ops t = Ops.create(g);
    PartitionedVariable pv;
    try (var scope = vs.variableScope(dev.scopeflow.scope.VariableScopeArgs.named("model")
        .partitioner(Partitioners.fixedSizePartitioner(4)))) {
      pv = vs.getVariableResult("emb", GetVariableOptions.shape(Shape.of(9, 2))
          .initializer(Tensor.create(Shape.of(9, 2), values))).partitioned();
    }
    AdamOptimizer adam = new AdamOptimizer(0.1);
    dev.scopeflow.graph.Output loss = t.math.reduceSum(t.math.square(t.linalg.matmul(
        t.constant(Tensor.create(Shape.of(4, 9), input)), pv)));
    dev.scopeflow.graph.Operation train = adam.minimize(loss);
    try (Session s = Session.open(g, "cpu")) {
      s.runTargets(t.state.globalVariablesInitializer());
      for (int i = 0; i < 2; i++) {
        s.runTargets(train);
      }
      Saver saver = Saver.create(g);
      assertEquals(List.of("beta1_power", "beta2_power", "model/emb", "model/emb/Adam", "model/emb/Adam_1"),
          saver.keys());
      Path ours = Path.of(saver.save(s, dir.resolve("sf/adam").toString()));
      for (String[] slot : new String[][] {{"m", "model/emb/Adam"}, {"v", "model/emb/Adam_1"}}) {
        float[] expected = new float[9 * 2];
        int at = 0;
        for (Variable shard : pv.variables()) {
          float[] part = s.run(adam.getSlot(shard, slot[0]).orElseThrow()).toFloatArray();
          System.arraycopy(part, 0, expected, at, part.length);
          at += part.length;
        }
        assertEquals(Tensor.create(Shape.of(9, 2), expected), tfRestoreWhole(ours, slot[1], DType.FLOAT32),
            slot[1] + ", seed " + seed);
      }
    }
  }

  // ---------------------------------------------------------------- TF Java (checkpoint.TfInterop)

  /** TF's RestoreV2 of one whole tensor. */
  private static Tensor tfRestoreWhole(Path prefix, String name, DType dtype) {
    return tfRestore(prefix, name, "", dtype);
  }

  /** TF's RestoreV2 of one tensor or, given a {@code shape_and_slices} spec, of one slice of it. */
  private static Tensor tfRestore(Path prefix, String name, String spec, DType dtype) {
    return TfInterop.restoreSlices(prefix, Map.of(name, dtype), Map.of(name, spec)).get(name);
  }
}
