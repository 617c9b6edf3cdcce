package dev.scopeflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.checkpoint.BundleReader;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.RunException;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.scope.GetVariableOptions;
import dev.scopeflow.scope.PartitionedVariable;
import dev.scopeflow.scope.Partitioner;
import dev.scopeflow.scope.Partitioners;
import dev.scopeflow.scope.SaveSliceInfo;
import dev.scopeflow.scope.VariableScopeArgs;
import dev.scopeflow.scope.VariableScopeHandle;
import dev.scopeflow.scope.VariableScopes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@link Saver} over partitioned variables as TF's {@code op_list_to_dict} sees them: the shards ({@code
 * x/part_<i>}) carry {@link SaveSliceInfo}, and the default variable list (GLOBAL_VARIABLES, which holds the shards,
 * not the partitioned variable) saves them as ONE checkpoint tensor in slices, restorable into other partitionings
 * and into a plain variable; TF's errors for mixed or foreign slices. Values are fresh random numbers (seed in
 * {@link #seed}), compared exactly.
 */
class SaverPartitionedTest extends SaverTestBase {
  private Tensor randomFloats(Shape shape) {
    return randomTensor(DType.FLOAT32, shape);
  }

  /** {@code get_variable(name, shape)} under a variable scope {@code scope} whose partitioner is {@code p}. */
  private static PartitionedVariable partitionedInScope(Graph g, String scope, String name, Shape shape,
      Partitioner p, Optional<Tensor> initial) {
    VariableScopes scopes = VariableScopes.of(g);
    try (VariableScopeHandle h = scopes.variableScope(VariableScopeArgs.named(scope).partitioner(p))) {
      GetVariableOptions o = GetVariableOptions.shape(shape);
      return scopes.getVariableResult(name, initial.map(o::initializer).orElse(o)).partitioned();
    }
  }

  /** Rows {@code [from, to)} of a row-major float tensor of width {@code width}. */
  private static Tensor rows(Tensor t, int width, int from, int to) {
    float[] f = t.toFloatArray();
    return Tensor.create(Shape.of(to - from, width), java.util.Arrays.copyOfRange(f, from * width, to * width));
  }

  private static String asString(long[] v) {
    return java.util.Arrays.toString(v);
  }

  // ---------------------------------------------------------------- save-slice info

  @Test
  void shardsCarryTheirSaveSliceInfoWithTensorFlowsSpec() {
    PartitionedVariable pv = vs.getPartitionedVariable("emb", GetVariableOptions.shape(Shape.of(7, 2))
        .partitioner(Partitioners.fixedSizePartitioner(3)));
    List<String> specs = new ArrayList<>();
    for (Variable shard : pv.variables()) {
      SaveSliceInfo info = vs.saveSliceInfo(shard).orElseThrow();
      assertEquals("emb", info.fullName());
      assertEquals("[7, 2]", asString(info.fullShape()));
      specs.add(info.spec());
    }
    // TF: rows 0-2, 3-4, 5-6 (the first shards take the remainder), every dimension explicit
    assertEquals(List.of("7 2 0,3:0,2", "7 2 3,2:0,2", "7 2 5,2:0,2"), specs);
    SaveSliceInfo second = vs.saveSliceInfo(pv.variables().get(1)).orElseThrow();
    assertEquals("[3, 0]", asString(second.varOffset()));
    assertEquals("[2, 2]", asString(second.varShape()));
    assertEquals(new SaveSliceInfo("emb", new long[] {7, 2}, new long[] {3, 0}, new long[] {2, 2}), second);

    // along an inner axis
    PartitionedVariable cols = vs.getPartitionedVariable("w", GetVariableOptions.shape(Shape.of(3, 5))
        .partitioner(Partitioners.fixedSizePartitioner(2, 1)));
    assertEquals("3 5 0,3:0,3", vs.saveSliceInfo(cols.variables().get(0)).orElseThrow().spec());
    assertEquals("3 5 0,3:3,2", vs.saveSliceInfo(cols.variables().get(1)).orElseThrow().spec());

    // reuse gives the same shards with the same info; plain variables have none
    try (VariableScopeHandle h = vs.variableScope("", dev.scopeflow.scope.Reuse.REUSE)) {
      assertEquals(pv.variables(), vs.getPartitionedVariable("emb", GetVariableOptions.shape(Shape.of(7, 2))
          .partitioner(Partitioners.fixedSizePartitioner(3))).variables());
    }
    assertEquals("7 2 0,3:0,2", vs.saveSliceInfo(pv.variables().get(0)).orElseThrow().spec());
    assertEquals(Optional.empty(), vs.saveSliceInfo(vs.getVariable("plain", Shape.of(2))));
    assertEquals(Optional.empty(), vs.saveSliceInfo(tf.state.variable(Tensor.create(Shape.of(1), new float[] {1}),
        Variable.options().name("raw"))));
    // another graph's store knows nothing of these shards
    assertEquals(Optional.empty(), VariableScopes.of(new Graph()).saveSliceInfo(pv.variables().get(0)));
  }

  @Test
  void saveSliceInfoChecksItsArguments() {
    assertThrows(IllegalArgumentException.class, () -> new SaveSliceInfo("x", new long[] {4}, new long[] {3},
        new long[] {2}));
    assertThrows(IllegalArgumentException.class, () -> new SaveSliceInfo("x", new long[] {4, 2}, new long[] {0},
        new long[] {2}));
    long[] offset = {1, 0};
    SaveSliceInfo info = new SaveSliceInfo("x", new long[] {4, 2}, offset, new long[] {2, 2});
    offset[0] = 2;
    info.varOffset()[0] = 3;
    assertEquals("4 2 1,2:0,2", info.spec());
  }

  // ---------------------------------------------------------------- the default list

  @Test
  void theDefaultSaverWritesOneSlicedKeyPerPartitionedVariableAndRestoresIntoAnyPartitioning() throws IOException {
    Tensor full = randomFloats(Shape.of(7, 2));
    Tensor bias = randomFloats(Shape.of(2));
    PartitionedVariable pv = partitionedInScope(graph, "model", "emb", Shape.of(7, 2),
        Partitioners.fixedSizePartitioner(3), Optional.of(full));
    Variable plain = vs.getVariable("bias", GetVariableOptions.defaults().initializer(bias));
    Saver saver = Saver.create(graph);
    assertEquals(List.of("bias", "model/emb"), saver.keys());
    session().runTargets(tf.state.globalVariablesInitializer());
    String path = saver.save(session(), dir.resolve("default").toString());
    try (BundleReader r = BundleReader.open(Path.of(path))) {
      assertEquals(List.of("bias", "model/emb"), new ArrayList<>(r.entries().keySet()));
      assertEquals(Shape.of(7, 2), r.entry("model/emb").orElseThrow().shape());
      assertEquals(List.of("0,3:0,2", "3,2:0,2", "5,2:0,2"), r.slices("model/emb").stream().map(Object::toString)
          .sorted().toList(), "seed " + seed);
      assertEquals(full, r.read("model/emb"), "seed " + seed);
      assertEquals(bias, r.read("bias"), "seed " + seed);
    }
    // the same file as the explicit partitioned variable gives
    String explicit = Saver.builder(graph).varList(List.of(pv, plain)).name("explicit").build().save(session(),
        dir.resolve("explicit").toString());
    try (BundleReader a = BundleReader.open(Path.of(path)); BundleReader b = BundleReader.open(Path.of(explicit))) {
      assertEquals(a.entries().keySet(), b.entries().keySet());
      assertEquals(a.slices("model/emb"), b.slices("model/emb"));
      assertEquals(full, b.read("model/emb"));
    }

    // into two shards along axis 0, by the default Saver of the new graph
    Graph g2 = new Graph();
    PartitionedVariable two = partitionedInScope(g2, "model", "emb", Shape.of(7, 2),
        Partitioners.fixedSizePartitioner(2), Optional.empty());
    Variable bias2 = VariableScopes.of(g2).getVariable("bias", Shape.of(2));
    Session s2 = open(g2);
    Saver.create(g2).restore(s2, path);
    assertEquals(full, s2.run(two), "seed " + seed);
    assertEquals(rows(full, 2, 0, 4), s2.run(two.variables().get(0)));
    assertEquals(rows(full, 2, 4, 7), s2.run(two.variables().get(1)));
    assertEquals(bias, s2.run(bias2));

    // into two shards along axis 1
    Graph g3 = new Graph();
    PartitionedVariable cols = partitionedInScope(g3, "model", "emb", Shape.of(7, 2),
        Partitioners.fixedSizePartitioner(2, 1), Optional.empty());
    Session s3 = open(g3);
    Saver.builder(g3).varList(cols.variables()).build().restore(s3, path);
    assertEquals(full, s3.run(cols), "seed " + seed);
    float[] f = full.toFloatArray();
    float[] firstColumn = new float[7];
    for (int i = 0; i < 7; i++) {
      firstColumn[i] = f[2 * i];
    }
    assertEquals(Tensor.create(Shape.of(7, 1), firstColumn), s3.run(cols.variables().get(0)));

    // into a plain variable
    Graph g4 = new Graph();
    Variable whole = Ops.create(g4).state.variable(Tensor.zeros(DType.FLOAT32, Shape.of(7, 2)),
        Variable.options().name("model/emb"));
    Session s4 = open(g4);
    Saver.builder(g4).varList(List.of(whole)).build().restore(s4, path);
    assertEquals(full, s4.run(whole), "seed " + seed);

    // and a plain variable's checkpoint into the shards, by the default Saver
    String plainPath = Saver.create(g4).save(s4, dir.resolve("plain").toString());
    Graph g5 = new Graph();
    PartitionedVariable five = partitionedInScope(g5, "model", "emb", Shape.of(7, 2),
        Partitioners.fixedSizePartitioner(5), Optional.empty());
    Session s5 = open(g5);
    Saver.create(g5).restore(s5, plainPath);
    assertEquals(full, s5.run(five), "seed " + seed);
  }

  @Test
  void aSingleShardIsSavedAsTheWholeTensorUnderTheFullName() throws IOException {
    Tensor full = randomFloats(Shape.of(3, 4));
    PartitionedVariable one = partitionedInScope(graph, "s", "w", Shape.of(3, 4),
        Partitioners.fixedSizePartitioner(1), Optional.of(full));
    assertEquals(List.of("s/w/part_0"), one.variables().stream().map(v -> v.op().name()).toList());
    assertEquals("3 4 0,3:0,4", vs.saveSliceInfo(one.variables().get(0)).orElseThrow().spec());
    Saver saver = Saver.create(graph);
    assertEquals(List.of("s/w"), saver.keys());
    session().runTargets(tf.state.globalVariablesInitializer());
    String path = saver.save(session(), dir.resolve("one").toString());
    try (BundleReader r = BundleReader.open(Path.of(path))) {
      assertEquals(List.of("s/w"), new ArrayList<>(r.entries().keySet()));
      assertEquals(full, r.read("s/w"), "seed " + seed);
    }
  }

  @Test
  void theDefaultSaverFindsNoKeyOfAShardsOwnName() throws IOException {
    // a checkpoint keyed by shard names (as this Saver wrote before shards carried save-slice info) does not restore
    Graph g = new Graph();
    Ops t = Ops.create(g);
    Variable part0 = t.state.variable(randomFloats(Shape.of(2, 2)), Variable.options().name("emb/part_0"));
    Session s = open(g);
    String path = Saver.create(g).save(s, dir.resolve("shardnames").toString());
    vs.getPartitionedVariable("emb", GetVariableOptions.shape(Shape.of(2, 2))
        .partitioner(Partitioners.fixedSizePartitioner(1)));
    RunException e = assertThrows(RunException.class, () -> Saver.create(graph).restore(session(), path));
    assertEquals(RunException.Code.NOT_FOUND, e.code());
    assertTrue(e.getMessage().endsWith("Key emb not found in checkpoint"), e.getMessage());
    assertEquals(Shape.of(2, 2), part0.shape());
  }

  @Test
  void aFullShapeMismatchIsTensorFlowsShapeAndSliceError() {
    partitionedInScope(graph, "m", "emb", Shape.of(6, 2), Partitioners.fixedSizePartitioner(2), Optional.empty());
    session().runTargets(tf.state.globalVariablesInitializer());
    String path = Saver.create(graph).save(session(), dir.resolve("six").toString());
    Graph g2 = new Graph();
    PartitionedVariable seven = partitionedInScope(g2, "m", "emb", Shape.of(7, 2),
        Partitioners.fixedSizePartitioner(2), Optional.empty());
    Session s2 = open(g2);
    Tensor before = s2.run(seven);
    RunException e = assertThrows(RunException.class, () -> Saver.create(g2).restore(s2, path));
    assertTrue(e.getMessage().endsWith("tensor_name = m/emb; shape in shape_and_slice spec [7,2] does not match the "
        + "shape stored in checkpoint: [6,2]"), e.getMessage());
    assertEquals(before, s2.run(seven));
  }

  // ---------------------------------------------------------------- list and map forms

  @Test
  void listedShardsAreGroupedAndAMapMayNameTheirList() throws IOException {
    Tensor full = randomFloats(Shape.of(5, 3));
    PartitionedVariable pv = vs.getPartitionedVariable("emb", GetVariableOptions.shape(Shape.of(5, 3))
        .partitioner(Partitioners.fixedSizePartitioner(2)).initializer(full));
    List<Variable> reversed = List.of(pv.variables().get(1), pv.variables().get(0));
    Saver listed = Saver.builder(graph).varList(reversed).build();
    assertEquals(List.of("emb"), listed.keys());
    // TF sorts by name: the restore ops follow part_0, part_1
    assertEquals(List.of("save/Assign", "save/Assign_1"), listed.restoreOp().controlInputs().stream()
        .map(o -> o.name()).toList());
    assertEquals("emb/part_0", listed.restoreOp().controlInputs().get(0).inputs().get(0).op().name());
    session().runTargets(tf.state.globalVariablesInitializer());
    String path = listed.save(session(), dir.resolve("listed").toString());

    Map<String, Object> map = new LinkedHashMap<>();
    map.put("renamed", pv.variables());
    String renamed = Saver.builder(graph).varMap(map).name("map").build().save(session(),
        dir.resolve("renamed").toString());
    try (BundleReader r = BundleReader.open(Path.of(path)); BundleReader m = BundleReader.open(Path.of(renamed))) {
      assertEquals(full, r.read("emb"), "seed " + seed);
      assertEquals(List.of("renamed"), new ArrayList<>(m.entries().keySet()));
      assertEquals(List.of("0,3:0,3", "3,2:0,3"), m.slices("renamed").stream().map(Object::toString).sorted()
          .toList());
      assertEquals(full, m.read("renamed"), "seed " + seed);
    }
    Graph g2 = new Graph();
    Variable plain = Ops.create(g2).state.variable(Tensor.zeros(DType.FLOAT32, Shape.of(5, 3)),
        Variable.options().name("other"));
    Session s2 = open(g2);
    Map<String, Object> back = new LinkedHashMap<>();
    back.put("renamed", plain);
    Saver.builder(g2).varMap(back).build().restore(s2, renamed);
    assertEquals(full, s2.run(plain), "seed " + seed);
  }

  // ---------------------------------------------------------------- TF's errors

  @Test
  void aPlainVariableOfAPartitionedVariablesNameIsRefused() {
    vs.getPartitionedVariable("emb", GetVariableOptions.shape(Shape.of(4, 2))
        .partitioner(Partitioners.fixedSizePartitioner(2)));
    // not made by get_variable, so the store does not see the clash; TF's Saver does
    tf.state.variable(Tensor.zeros(DType.FLOAT32, Shape.of(4, 2)), Variable.options().name("emb"));
    TfValueError e = assertThrows(TfValueError.class, () -> Saver.create(graph));
    // "emb/part_0:0" sorts before "emb:0": the shards come first
    assertEquals("At least two variables have the same name: emb", e.getMessage());
  }

  @Test
  void aPartitionedVariableListedWithItsShardsIsMixing() {
    PartitionedVariable pv = vs.getPartitionedVariable("emb", GetVariableOptions.shape(Shape.of(4, 2))
        .partitioner(Partitioners.fixedSizePartitioner(2)));
    TfValueError e = assertThrows(TfValueError.class, () -> Saver.builder(graph).varList(List.of(pv,
        pv.variables().get(1))).build());
    assertEquals("Mixing slices and non-slices with the same name: emb", e.getMessage());
  }

  @Test
  void slicesMustBeVariablesWithSaveSliceInfoOfOneTensor() {
    PartitionedVariable a = vs.getPartitionedVariable("a", GetVariableOptions.shape(Shape.of(4, 2))
        .partitioner(Partitioners.fixedSizePartitioner(2)));
    PartitionedVariable b = vs.getPartitionedVariable("b", GetVariableOptions.shape(Shape.of(4, 2))
        .partitioner(Partitioners.fixedSizePartitioner(2)));
    Variable plain = vs.getVariable("plain", Shape.of(2, 2));
    assertError(TfValueError.class, "Slices must all be from the same tensor: a != b",
        () -> Saver.builder(graph).varMap(Map.of("x", List.of(a.variables().get(0), b.variables().get(1)))).build());
    assertError(TfValueError.class, "Slices must all be slices: <tf.Variable 'plain:0'",
        () -> Saver.builder(graph).varMap(Map.of("x", List.of(a.variables().get(0), plain))).build());
    assertError(TfValueError.class, "Slices must all be Variables: ",
        () -> Saver.builder(graph).varMap(Map.of("x", List.of(tf.constant(1f)))).build());
    Map<String, Object> twice = new LinkedHashMap<>();
    twice.put("a", a);
    twice.put("b", List.of(a.variables().get(1)));
    assertError(TfValueError.class, "The same saveable will be restored with two names: b",
        () -> Saver.builder(graph).varMap(twice).build());
    // a slice list with one shard only is fine (TF saves what it is given)
    assertEquals(List.of("x"), Saver.builder(graph).varMap(Map.of("x", List.of(a.variables().get(1)))).build()
        .keys());
    assertNotEquals(Optional.empty(), vs.saveSliceInfo(b.variables().get(0)));
  }
}
