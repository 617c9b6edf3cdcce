package dev.scopeflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.checkpoint.BundleReader;
import dev.scopeflow.checkpoint.TensorSlice;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.GraphKeys;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.scope.GetVariableOptions;
import dev.scopeflow.scope.PartitionedVariable;
import dev.scopeflow.scope.Partitioner;
import dev.scopeflow.scope.Partitioners;
import dev.scopeflow.scope.SaveSliceInfo;
import dev.scopeflow.scope.VariableScopes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Optimizer slots of a partitioned variable's shards in checkpoints, as TF 1.15's {@code slot_creator} makes them: the
 * slot {@code x/part_<i>/Adam} gets the save-slice info of its primary under the full name {@code x/Adam}, so the
 * default Saver writes ONE sliced tensor per slot name ({@code x/Adam}, {@code x/Adam_1}) and a model trained on
 * partitioned variables resumes from another partitioning, or from none, exactly as it would have gone on. Also
 * {@link VariableScopes#setSaveSliceInfo}, TF's {@code _set_save_slice_info}. Values are fresh random numbers (seed
 * in {@link #seed}).
 */
class SaverSlotSliceTest extends SaverTestBase {
  private static final Shape X_SHAPE = Shape.of(7, 3);
  private static final int BATCH = 5;

  private Tensor randomFloats(Shape shape) {
    return randomTensor(DType.FLOAT32, shape);
  }

  /** Rows {@code [from, to)} of a row-major float matrix of width {@code width}. */
  private static Tensor rows(Tensor t, int width, long from, long to) {
    float[] f = t.toFloatArray();
    return Tensor.create(Shape.of(to - from, width), Arrays.copyOfRange(f, Math.toIntExact(from * width),
        Math.toIntExact(to * width)));
  }

  /**
   * A linear model {@code mean((in · x + b - target)^2)} in its own graph, trained by {@code optimizer}: {@code x}
   * (7x3) partitioned by {@code partitioner} ({@code null}: a plain variable), {@code b} plain.
   */
  private final class Model {
    final Graph g = new Graph();
    final Ops t = Ops.create(g);
    final VariableScopes scopes = VariableScopes.of(g);
    final Optimizer optimizer;
    final List<Variable> shards;
    final Output in = t.placeholder(DType.FLOAT32, Shape.of(BATCH, 7));
    final Output target = t.placeholder(DType.FLOAT32, Shape.of(BATCH, 3));
    final Output x;
    final Output loss;
    final Operation train;
    final Session session;

    Model(Supplier<Optimizer> optimizer, Partitioner partitioner, Tensor x0, Tensor b0) {
      this.optimizer = optimizer.get();
      // TF: a partitioned variable needs the shape, a plain one refuses it beside a constant initializer
      if (partitioner != null) {
        PartitionedVariable pv = scopes.getPartitionedVariable("x", GetVariableOptions.shape(X_SHAPE)
            .initializer(x0).partitioner(partitioner));
        shards = pv.variables();
        x = pv.asOutput();
      } else {
        Variable plain = scopes.getVariable("x", GetVariableOptions.defaults().initializer(x0));
        shards = List.of(plain);
        x = plain.asOutput();
      }
      Variable b = scopes.getVariable("b", GetVariableOptions.defaults().initializer(b0));
      loss = t.math.reduceMean(t.math.square(t.math.sub(t.math.add(t.linalg.matmul(in, x), b), target)));
      train = this.optimizer.minimize(loss);
      session = open(g);
    }

    /** One training step on {@code batch}; returns the loss before the update. */
    float step(Tensor[] batch) {
      return session.runner().feed(in, batch[0]).feed(target, batch[1]).fetch(loss).addTarget(train).run().get(0)
          .toFloatArray()[0];
    }

    List<Float> steps(List<Tensor[]> batches) {
      List<Float> losses = new ArrayList<>();
      for (Tensor[] batch : batches) {
        losses.add(step(batch));
      }
      return losses;
    }

    /** The global variable whose op is named {@code opName}. */
    Variable variable(String opName) {
      return g.getCollection(GraphKeys.GLOBAL_VARIABLES, null, Variable.class).stream()
          .filter(v -> v.op().name().equals(opName)).findFirst().orElseThrow(() -> new AssertionError(opName));
    }
  }

  private List<Tensor[]> batches(int n) {
    List<Tensor[]> batches = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batches.add(new Tensor[] {randomFloats(Shape.of(BATCH, 7)), randomFloats(Shape.of(BATCH, 3))});
    }
    return batches;
  }

  /** Per optimizer: its slot variable names (after {@code <primary>/}), its non-slot variables, a 2nd partitioning. */
  static Stream<Arguments> optimizers() {
    return Stream.of(
        Arguments.of("Adam", (Supplier<Optimizer>) () -> new AdamOptimizer(0.05), List.of("Adam", "Adam_1"),
            List.of("beta1_power", "beta2_power"), Partitioners.fixedSizePartitioner(2)),
        Arguments.of("RMSProp", (Supplier<Optimizer>) () -> new RMSPropOptimizer(0.01),
            List.of("RMSProp", "RMSProp_1"), List.of(), Partitioners.fixedSizePartitioner(3, 1)),
        Arguments.of("Momentum", (Supplier<Optimizer>) () -> new MomentumOptimizer(0.05, 0.9), List.of("Momentum"),
            List.of(), Partitioners.fixedSizePartitioner(4)),
        Arguments.of("Adagrad", (Supplier<Optimizer>) () -> new AdagradOptimizer(0.1), List.of("Adagrad"),
            List.of(), Partitioners.fixedSizePartitioner(2, 1)));
  }

  // ---------------------------------------------------------------- checkpoints

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void slotsOfShardsAreSavedAsSlicesOfOneTensorAndTrainingResumesInAnyPartitioning(String name,
      Supplier<Optimizer> optimizer, List<String> slotNames, List<String> nonSlots, Partitioner other)
      throws IOException {
    Tensor x0 = randomFloats(X_SHAPE);
    Tensor b0 = randomFloats(Shape.of(3));
    List<Tensor[]> first = batches(3);
    List<Tensor[]> then = batches(3);
    Model trained = new Model(optimizer, Partitioners.fixedSizePartitioner(3), x0, b0);
    assertEquals(List.of("x/part_0", "x/part_1", "x/part_2"), trained.shards.stream().map(v -> v.op().name())
        .toList());
    trained.steps(first);

    Saver saver = Saver.create(trained.g);
    TreeSet<String> expectedKeys = new TreeSet<>(List.of("b", "x"));
    for (String slot : slotNames) {
      expectedKeys.add("b/" + slot);
      expectedKeys.add("x/" + slot);
    }
    expectedKeys.addAll(nonSlots);
    assertEquals(new ArrayList<>(expectedKeys), saver.keys());
    String path = saver.save(trained.session, dir.resolve(name).toString());
    try (BundleReader r = BundleReader.open(Path.of(path))) {
      assertEquals(new ArrayList<>(expectedKeys), new ArrayList<>(r.entries().keySet()));
      for (String slot : slotNames) {
        String key = "x/" + slot;
        assertEquals(X_SHAPE, r.entry(key).orElseThrow().shape(), key);
        // the shards' rows 0-2, 3-4, 5-6, as for x itself
        assertEquals(List.of("0,3:0,3", "3,2:0,3", "5,2:0,3"), r.slices(key).stream().map(Object::toString)
            .sorted().toList(), key);
        Tensor whole = r.read(key);
        for (Variable shard : trained.shards) {
          Variable slotVar = trained.variable(shard.op().name() + "/" + slot);
          SaveSliceInfo info = trained.scopes.saveSliceInfo(slotVar).orElseThrow();
          long from = info.varOffset()[0];
          Tensor value = trained.session.run(slotVar);
          assertEquals(value, rows(whole, 3, from, from + info.varShape()[0]), key + " at " + from + ", seed " + seed);
          assertEquals(value, r.readSlice(key, TensorSlice.parse(info.spec().substring(info.spec().lastIndexOf(' ')
              + 1))), key + " " + info.spec());
        }
        assertEquals(List.of(), r.slices("b/" + slot));
        assertEquals(trained.session.run(trained.variable("b/" + slot)), r.read("b/" + slot));
      }
      assertEquals(trained.session.run(trained.x), r.read("x"), "seed " + seed);
      for (String nonSlot : nonSlots) {
        assertEquals(trained.session.run(trained.variable(nonSlot)), r.read(nonSlot));
      }
    }
    List<Float> expected = trained.steps(then);
    Tensor expectedX = trained.session.run(trained.x);

    // another partitioning, and none: fresh random values, overwritten by the restore
    for (Partitioner partitioner : Arrays.asList(other, null)) {
      Model resumed = new Model(optimizer, partitioner, randomFloats(X_SHAPE), randomFloats(Shape.of(3)));
      Saver.create(resumed.g).restore(resumed.session, path);
      String what = name + (partitioner == null ? " unpartitioned" : " into " + resumed.shards.size() + " shards")
          + ", seed " + seed;
      // the same elementwise updates of the same values: the very same numbers
      assertEquals(expected, resumed.steps(then), what);
      assertEquals(expectedX, resumed.session.run(resumed.x), what);
    }
    // a run that was not restored goes elsewhere: the comparison can fail
    Model fresh = new Model(optimizer, other, x0, b0);
    assertNotEquals(expected, fresh.steps(then), "seed " + seed);
  }

  @Test
  void aSlotCheckpointWithoutPartitionsRestoresIntoShardedSlots() throws IOException {
    Tensor x0 = randomFloats(X_SHAPE);
    Tensor b0 = randomFloats(Shape.of(3));
    List<Tensor[]> first = batches(2);
    List<Tensor[]> then = batches(3);
    Model plain = new Model(AdamOptimizer::new, null, x0, b0);
    plain.steps(first);
    String path = Saver.create(plain.g).save(plain.session, dir.resolve("plain").toString());
    try (BundleReader r = BundleReader.open(Path.of(path))) {
      assertEquals(List.of(), r.slices("x/Adam"));
    }
    List<Float> expected = plain.steps(then);
    Model sharded = new Model(AdamOptimizer::new, Partitioners.fixedSizePartitioner(3), randomFloats(X_SHAPE),
        randomFloats(Shape.of(3)));
    Saver.create(sharded.g).restore(sharded.session, path);
    assertEquals(expected, sharded.steps(then), "seed " + seed);
  }

  // ---------------------------------------------------------------- the slots' save-slice info

  @Test
  void eachSlotOfAShardIsTheShardsSliceOfTheFullNamePlusTheSlotName() {
    PartitionedVariable pv = vs.getPartitionedVariable("emb", GetVariableOptions.shape(Shape.of(5, 2))
        .partitioner(Partitioners.fixedSizePartitioner(2)));
    Variable plain = vs.getVariable("w", Shape.of(2));
    AdamOptimizer adam = new AdamOptimizer();
    adam.minimize(tf.math.add(tf.math.reduceSum(pv), tf.math.reduceSum(plain)));
    for (Variable shard : pv.variables()) {
      SaveSliceInfo shardInfo = vs.saveSliceInfo(shard).orElseThrow();
      for (String[] slot : new String[][] {{"m", "emb/Adam"}, {"v", "emb/Adam_1"}}) {
        SaveSliceInfo info = vs.saveSliceInfo(adam.getSlot(shard, slot[0]).orElseThrow()).orElseThrow();
        assertEquals(new SaveSliceInfo(slot[1], shardInfo.fullShape(), shardInfo.varOffset(), shardInfo.varShape()),
            info);
      }
    }
    assertEquals("5 2 3,2:0,2", vs.saveSliceInfo(adam.getSlot(pv.variables().get(1), "v").orElseThrow())
        .orElseThrow().spec());
    assertEquals(Optional.empty(), vs.saveSliceInfo(adam.getSlot(plain, "m").orElseThrow()));
    Variable beta1 = adam.getNonSlotVariable("beta1_power", graph).orElseThrow();
    assertEquals(Optional.empty(), vs.saveSliceInfo(beta1));
  }

  @Test
  void theSlotNameIsCutFromTheSlotsNameByLengthAsInTensorFlow() {
    // TF: real_slot_name = slot.name[len(primary.op.name + "/"):-2]; made inside variable scope "train", the slot
    // of x/part_0 is train/x/part_0/Adam:0, so TF's name is "art_0/Adam" (cut 9 characters from the front)
    PartitionedVariable pv = vs.getPartitionedVariable("x", GetVariableOptions.shape(Shape.of(4, 2))
        .partitioner(Partitioners.fixedSizePartitioner(2)));
    AdamOptimizer adam = new AdamOptimizer();
    try (var scope = vs.variableScope("train")) {
      adam.minimize(tf.math.reduceSum(pv));
    }
    Variable slot = adam.getSlot(pv.variables().get(1), "m").orElseThrow();
    assertEquals("train/x/part_1/Adam:0", slot.name());
    assertEquals("x/art_1/Adam", vs.saveSliceInfo(slot).orElseThrow().fullName());
  }

  @Test
  void aSlotKeepsTheFirstDimensionsOfThePrimarysInfoAsItsRankAndAScalarSlotNone() {
    PartitionedVariable pv = vs.getPartitionedVariable("x", GetVariableOptions.shape(Shape.of(7, 2))
        .partitioner(Partitioners.fixedSizePartitioner(3)));
    Variable shard = pv.variables().get(1);
    // rank 1 of a rank-2 shard: TF's [:n]
    Variable rows = SlotCreator.createSlot(shard, tf.array.zeros(Shape.of(2), DType.FLOAT32), "rows");
    assertEquals("x/part_1/rows:0", rows.name());
    assertEquals(new SaveSliceInfo("x/rows", new long[] {7}, new long[] {3}, new long[] {2}),
        vs.saveSliceInfo(rows).orElseThrow());
    // rank 0: no info
    Variable scalar = SlotCreator.createSlot(shard, tf.constant(1f), "count");
    assertEquals(Optional.empty(), vs.saveSliceInfo(scalar));
    // unknown rank (TF's ndims None): the whole info
    Output unknown = tf.placeholder(DType.FLOAT32);
    Variable anyShape = SlotCreator.createSlot(shard, unknown, "any");
    assertTrue(!anyShape.shape().hasRank());
    assertEquals(new SaveSliceInfo("x/any", new long[] {7, 2}, new long[] {3, 0}, new long[] {2, 2}),
        vs.saveSliceInfo(anyShape).orElseThrow());
    // a slot that is not the primary's slice: TF would write a checkpoint SaveV2 rejects; ScopeFlow refuses it here
    assertError(IllegalArgumentException.class, "The slice shape (2, 2) of SaveSliceInfo(x/wrong, 7 2 3,2:0,2) "
        + "does not match the shape (3, 2) of <tf.Variable 'x/part_1/wrong:0'",
        () -> SlotCreator.createSlot(shard, tf.array.zeros(Shape.of(3, 2), DType.FLOAT32), "wrong"));
  }

  // ---------------------------------------------------------------- setSaveSliceInfo

  @Test
  void setSaveSliceInfoMakesPlainVariablesSlicesOfOneCheckpointTensor() throws IOException {
    Tensor top = randomFloats(Shape.of(2, 3));
    Tensor bottom = randomFloats(Shape.of(1, 3));
    Variable a = tf.state.variable(top, Variable.options().name("a"));
    Variable c = tf.state.variable(bottom, Variable.options().name("c"));
    vs.setSaveSliceInfo(a, new SaveSliceInfo("whole", new long[] {3, 3}, new long[] {0, 0}, new long[] {2, 3}));
    vs.setSaveSliceInfo(c, new SaveSliceInfo("other", new long[] {3, 3}, new long[] {2, 0}, new long[] {1, 3}));
    // the last info set wins
    SaveSliceInfo bottomInfo = new SaveSliceInfo("whole", new long[] {3, 3}, new long[] {2, 0}, new long[] {1, 3});
    vs.setSaveSliceInfo(c, bottomInfo);
    assertEquals(Optional.of(bottomInfo), vs.saveSliceInfo(c));
    Saver saver = Saver.create(graph);
    assertEquals(List.of("whole"), saver.keys());
    session().runTargets(tf.state.globalVariablesInitializer());
    String path = saver.save(session(), dir.resolve("set").toString());
    float[] expected = new float[9];
    System.arraycopy(top.toFloatArray(), 0, expected, 0, 6);
    System.arraycopy(bottom.toFloatArray(), 0, expected, 6, 3);
    try (BundleReader r = BundleReader.open(Path.of(path))) {
      assertEquals(Tensor.create(Shape.of(3, 3), expected), r.read("whole"), "seed " + seed);
    }
  }

  @Test
  void setSaveSliceInfoChecksTheVariableAndTheSliceShape() {
    Variable v = vs.getVariable("v", Shape.of(2, 3));
    assertError(IllegalArgumentException.class, "The slice shape (3, 3) of SaveSliceInfo(v, 4 3 0,3:0,3) does not "
        + "match the shape (2, 3) of <tf.Variable 'v:0'", () -> vs.setSaveSliceInfo(v,
        new SaveSliceInfo("v", new long[] {4, 3}, new long[] {0, 0}, new long[] {3, 3})));
    assertError(IllegalArgumentException.class, "The slice shape (2,) of ", () -> vs.setSaveSliceInfo(v,
        new SaveSliceInfo("v", new long[] {4}, new long[] {0}, new long[] {2})));
    Graph other = new Graph();
    assertError(IllegalArgumentException.class, "<tf.Variable 'v:0' shape=(2, 3) dtype=float32_ref> is not a "
        + "variable of this graph", () -> VariableScopes.of(other).setSaveSliceInfo(v,
        new SaveSliceInfo("v", new long[] {2, 3}, new long[] {0, 0}, new long[] {2, 3})));
    assertEquals(Optional.empty(), vs.saveSliceInfo(v));
    // a variable of unknown shape takes any info
    Variable loose = tf.state.variable(tf.placeholder(DType.FLOAT32),
        Variable.options().name("loose").validateShape(false));
    SaveSliceInfo info = new SaveSliceInfo("full", new long[] {5, 5}, new long[] {1, 1}, new long[] {3, 3});
    vs.setSaveSliceInfo(loose, info);
    assertEquals(Optional.of(info), vs.saveSliceInfo(loose));
  }
}
