package dev.scopeflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.checkpoint.BundleEntry;
import dev.scopeflow.checkpoint.BundleReader;
import dev.scopeflow.checkpoint.CheckpointFormatException;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.RunException;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.graph.TfTypeError;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.scope.GetVariableOptions;
import dev.scopeflow.scope.PartitionedVariable;
import dev.scopeflow.scope.Partitioners;
import dev.scopeflow.scope.VariableScopes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link Saver}: round trips of every dtype into a NEW graph and session, name maps and subsets, global-step
 * suffixes, {@code max_to_keep} and the state file, {@code latest_checkpoint}, TF's construction and restore errors
 * with no variable changed by a failed restore, corrupt files, failed saves that keep the previous checkpoint, and
 * the graph ops TF's Saver builds. Values are fresh random numbers (seed in {@link #seed}).
 */
class SaverTest extends SaverTestBase {
  private static final String RESTORE_NOT_FOUND = "Restoring from checkpoint failed. This is most likely due to a "
      + "Variable name or other graph key that is missing from the checkpoint. Please ensure that you have not "
      + "altered the graph expected based on the checkpoint. Original error:\n\n";
  private static final String RESTORE_MISMATCH = "Restoring from checkpoint failed. This is most likely due to a "
      + "mismatch between the current graph and the graph from the checkpoint. Please ensure that you have not "
      + "altered the graph expected based on the checkpoint. Original error:\n\n";

  // ---------------------------------------------------------------- round trips

  /** One variable per dtype (and a scalar and an empty tensor), built in {@code g} with the given values. */
  private static List<Variable> everyDtype(Graph g, List<Tensor> values) {
    Ops t = Ops.create(g);
    String[] names = {"f32", "f64", "i32", "i64", "flag", "scalar", "empty"};
    List<Variable> vars = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      vars.add(t.state.variable(values.get(i), Variable.options().name("vars/" + names[i])));
    }
    return vars;
  }

  private List<Tensor> randomValuesOfEveryDtype() {
    return List.of(randomTensor(DType.FLOAT32, Shape.of(2, 3)), randomTensor(DType.FLOAT64, Shape.of(4)),
        randomTensor(DType.INT32, Shape.of(3, 2)), randomTensor(DType.INT64, Shape.of(2, 2, 2)),
        randomTensor(DType.BOOL, Shape.of(5)), randomTensor(DType.FLOAT32, Shape.scalar()),
        randomTensor(DType.FLOAT64, Shape.of(0, 3)));
  }

  @Test
  void everyDtypeRoundTripsIntoANewGraphAndSession() throws IOException {
    List<Tensor> values = randomValuesOfEveryDtype();
    List<Variable> vars = everyDtype(graph, values);
    Saver saver = Saver.create(graph);
    assertEquals(List.of("vars/empty", "vars/f32", "vars/f64", "vars/flag", "vars/i32", "vars/i64", "vars/scalar"),
        saver.keys());
    session().runTargets(tf.state.globalVariablesInitializer());
    String path = saver.save(session(), prefix("model.ckpt"));
    assertEquals(prefix("model.ckpt"), path);

    // What the files hold, read independently of the Saver.
    try (BundleReader r = BundleReader.open(Path.of(path))) {
      assertEquals(saver.keys(), new ArrayList<>(r.entries().keySet()));
      for (int i = 0; i < vars.size(); i++) {
        String key = vars.get(i).op().name();
        BundleEntry e = r.entry(key).orElseThrow();
        assertEquals(Optional.of(values.get(i).dtype()), e.dtype(), key);
        assertEquals(values.get(i).shape(), e.shape(), key);
        assertEquals(values.get(i), r.read(key), key + " (seed " + seed + ")");
      }
    }

    Graph g2 = new Graph();
    List<Tensor> zeros = values.stream().map(v -> Tensor.zeros(v.dtype(), v.shape())).toList();
    List<Variable> vars2 = everyDtype(g2, zeros);
    Saver saver2 = Saver.create(g2);
    Session s2 = open(g2);
    saver2.restore(s2, path);
    for (int i = 0; i < vars2.size(); i++) {
      assertEquals(values.get(i), s2.run(vars2.get(i)), vars2.get(i).name() + " (seed " + seed + ")");
    }
  }

  @Test
  void restoreInitializesVariablesWithoutTheirInitializers() {
    List<Tensor> values = randomValuesOfEveryDtype();
    everyDtype(graph, values);
    session().runTargets(tf.state.globalVariablesInitializer());
    String path = Saver.create(graph).save(session(), prefix("init"));

    Graph g2 = new Graph();
    List<Variable> vars2 = everyDtype(g2, values.stream().map(v -> Tensor.zeros(v.dtype(), v.shape())).toList());
    Saver saver2 = Saver.create(g2);
    try (Session s2 = Session.open(g2, "cpu")) {
      saver2.restore(s2, path); // as in TF, a restore replaces running the initializers
      for (int i = 0; i < vars2.size(); i++) {
        assertEquals(values.get(i), s2.run(vars2.get(i)), vars2.get(i).name() + " (seed " + seed + ")");
      }
    }
  }

  @Test
  void aLargeTensorRoundTrips() {
    Tensor big = randomTensor(DType.FLOAT32, Shape.of(1 << 12, 1 << 12)); // 64 MiB
    Variable v = tf.state.variable(big, Variable.options().name("big"));
    Saver saver = Saver.create(graph);
    session().runTargets(tf.state.globalVariablesInitializer());
    String path = saver.save(session(), prefix("big"));
    session().runTargets(tf.state.assign(v, tf.constant(0f, DType.FLOAT32, big.shape())).op());
    saver.restore(session(), path);
    assertEquals(big, session().run(v));
  }

  @Test
  void anLstmWithAdamSlotsAndGlobalStepRestoresIntoANewGraph() {
    LstmAdamModel m = new LstmAdamModel();
    Session s = open(m.g);
    for (int i = 0; i < 3; i++) {
      m.trainStep(s, i);
    }
    Saver saver = Saver.create(m.g);
    String path = saver.save(s, prefix("lstm/model.ckpt"), m.globalStep);
    assertEquals(prefix("lstm/model.ckpt-3"), path);
    assertEquals(List.of("beta1_power", "beta2_power", "global_step", "rnn/basic_lstm_cell/bias",
        "rnn/basic_lstm_cell/bias/Adam", "rnn/basic_lstm_cell/bias/Adam_1", "rnn/basic_lstm_cell/kernel",
        "rnn/basic_lstm_cell/kernel/Adam", "rnn/basic_lstm_cell/kernel/Adam_1", "softmax/b", "softmax/b/Adam",
        "softmax/b/Adam_1", "softmax/w", "softmax/w/Adam", "softmax/w/Adam_1"), saver.keys());

    LstmAdamModel m2 = new LstmAdamModel();
    Session s2 = open(m2.g);
    Saver.create(m2.g).restore(s2, Saver.latestCheckpoint(prefix("lstm")).orElseThrow());
    List<Variable> before = m.variables();
    List<Variable> after = m2.variables();
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertEquals(before.get(i).name(), after.get(i).name());
      assertEquals(s.run(before.get(i)), s2.run(after.get(i)), before.get(i).name());
    }
    assertEquals(Tensor.scalar(3L), s2.run(m2.globalStep));
  }

  @Test
  void trainingContinuesAfterARestoreExactlyAsAnUninterruptedRun() {
    LstmAdamModel straight = new LstmAdamModel();
    Session s = open(straight.g);
    List<Double> uninterrupted = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      uninterrupted.add(straight.trainStep(s, i));
    }

    LstmAdamModel first = new LstmAdamModel();
    Session s1 = open(first.g);
    for (int i = 0; i < 4; i++) {
      assertEquals(uninterrupted.get(i), first.trainStep(s1, i), "step " + i);
    }
    String path = Saver.create(first.g).save(s1, prefix("resume/model.ckpt"), first.globalStep);

    LstmAdamModel resumed = new LstmAdamModel();
    Session s2 = open(resumed.g);
    Saver.create(resumed.g).restore(s2, path);
    List<Double> continued = new ArrayList<>();
    for (int i = 4; i < 8; i++) {
      continued.add(resumed.trainStep(s2, i));
    }
    assertEquals(uninterrupted.subList(4, 8), continued);
    assertEquals(Tensor.scalar(8L), s2.run(resumed.globalStep));
  }

  // ---------------------------------------------------------------- names, subsets, suffixes

  @Test
  void aNameMapSavesUnderTheGivenNamesAndRestoresIntoOtherVariables() throws IOException {
    Tensor va = randomTensor(DType.FLOAT32, Shape.of(3));
    Tensor vb = randomTensor(DType.INT64, Shape.of(2));
    Variable a = tf.state.variable(va, Variable.options().name("a"));
    Variable b = tf.state.variable(vb, Variable.options().name("b"));
    Map<String, Object> names = new LinkedHashMap<>();
    names.put("layer/weights", a);
    names.put("counter", b.ref());
    Saver saver = Saver.builder(graph).varMap(names).build();
    assertEquals(List.of("counter", "layer/weights"), saver.keys());
    session().runTargets(tf.state.globalVariablesInitializer());
    String path = saver.save(session(), prefix("named"));
    try (BundleReader r = BundleReader.open(Path.of(path))) {
      assertEquals(List.of("counter", "layer/weights"), new ArrayList<>(r.entries().keySet()));
    }

    Graph g2 = new Graph();
    Ops t2 = Ops.create(g2);
    Variable x = t2.state.variable(Tensor.zeros(DType.FLOAT32, Shape.of(3)), Variable.options().name("x"));
    Variable y = t2.state.variable(Tensor.zeros(DType.INT64, Shape.of(2)), Variable.options().name("y"));
    Session s2 = open(g2);
    Saver.builder(g2).varMap(Map.of("layer/weights", x, "counter", y)).build().restore(s2, path);
    assertEquals(va, s2.run(x));
    assertEquals(vb, s2.run(y));
  }

  @Test
  void aChosenSubsetIsAllThatIsSavedAndRestored() throws IOException {
    Variable a = tf.state.variable(randomTensor(DType.FLOAT32, Shape.of(2)), Variable.options().name("a"));
    Variable b = tf.state.variable(randomTensor(DType.FLOAT32, Shape.of(2)), Variable.options().name("b"));
    Saver subset = Saver.builder(graph).varList(List.of(b)).build();
    session().runTargets(tf.state.globalVariablesInitializer());
    Tensor savedB = session().run(b);
    String path = subset.save(session(), prefix("subset"));
    try (BundleReader r = BundleReader.open(Path.of(path))) {
      assertEquals(List.of("b"), new ArrayList<>(r.entries().keySet()));
    }
    Tensor newA = randomTensor(DType.FLOAT32, Shape.of(2));
    session().runTargets(tf.state.assign(a, tf.constant(newA)).op(),
        tf.state.assign(b, tf.constant(randomTensor(DType.FLOAT32, Shape.of(2)))).op());
    subset.restore(session(), path);
    assertEquals(savedB, session().run(b));
    assertEquals(newA, session().run(a), "a is not in the subset");
  }

  @Test
  void globalStepSuffixes() {
    Variable step = tf.state.variable(Tensor.scalar(7), Variable.options().name("step"));
    tf.state.variable(randomTensor(DType.FLOAT32, Shape.of(2)), Variable.options().name("w"));
    session().runTargets(tf.state.globalVariablesInitializer());
    Saver saver = Saver.builder(graph).maxToKeep(0).build();
    assertEquals(prefix("model.ckpt-1000"), saver.save(session(), prefix("model.ckpt"), 1000));
    assertEquals(prefix("model.ckpt-7"), saver.save(session(), prefix("model.ckpt"), step));
    Saver padded = Saver.builder(graph).padStepNumber(true).build();
    assertEquals(prefix("model.ckpt-00000042"), padded.save(session(), prefix("model.ckpt"), 42));
    for (String p : List.of("model.ckpt-1000", "model.ckpt-7", "model.ckpt-00000042")) {
      assertTrue(Files.exists(dir.resolve(p + ".index")), p);
      assertTrue(Files.exists(dir.resolve(p + ".data-00000-of-00001")), p);
    }
  }

  @Test
  void theSavePathMayNotBeTheStateFile() {
    tf.state.variable(Tensor.scalar(1f), Variable.options().name("w"));
    session().runTargets(tf.state.globalVariablesInitializer());
    TfValueError e = assertThrows(TfValueError.class,
        () -> Saver.create(graph).save(session(), prefix("checkpoint")));
    assertEquals("'latest_filename' collides with 'save_path': 'checkpoint' and '" + prefix("checkpoint") + "'",
        e.getMessage());
  }

  // ---------------------------------------------------------------- max_to_keep and the state file

  @Test
  void maxToKeepDeletesTheOldestAndTheStateFileListsTheRest() throws IOException {
    tf.state.variable(randomTensor(DType.FLOAT32, Shape.of(2)), Variable.options().name("w"));
    session().runTargets(tf.state.globalVariablesInitializer());
    Saver saver = Saver.builder(graph).maxToKeep(2).build();
    for (int step = 1; step <= 4; step++) {
      saver.save(session(), prefix("model.ckpt"), step);
    }
    assertEquals(List.of("checkpoint", "model.ckpt-3.data-00000-of-00001", "model.ckpt-3.index",
        "model.ckpt-4.data-00000-of-00001", "model.ckpt-4.index"), listing(dir));
    assertEquals("model_checkpoint_path: \"model.ckpt-4\"\n"
        + "all_model_checkpoint_paths: \"model.ckpt-3\"\n"
        + "all_model_checkpoint_paths: \"model.ckpt-4\"\n", Files.readString(dir.resolve("checkpoint")));
    assertEquals(List.of(prefix("model.ckpt-3"), prefix("model.ckpt-4")), saver.lastCheckpoints());
    assertEquals(Optional.of(prefix("model.ckpt-4")), Saver.latestCheckpoint(dir.toString()));
    CheckpointState state = CheckpointState.get(dir.toString()).orElseThrow();
    assertEquals(List.of(prefix("model.ckpt-3"), prefix("model.ckpt-4")), state.allModelCheckpointPaths());

    // Saving the same prefix again moves it to the end instead of listing it twice.
    saver.save(session(), prefix("model.ckpt"), 3);
    assertEquals(List.of(prefix("model.ckpt-4"), prefix("model.ckpt-3")), saver.lastCheckpoints());
  }

  @Test
  void maxToKeepZeroKeepsEveryFileAndListsOnlyTheLatest() throws IOException {
    tf.state.variable(randomTensor(DType.FLOAT32, Shape.of(2)), Variable.options().name("w"));
    session().runTargets(tf.state.globalVariablesInitializer());
    Saver saver = Saver.builder(graph).maxToKeep(0).build();
    for (int step = 1; step <= 7; step++) {
      saver.save(session(), prefix("m"), step);
    }
    assertEquals(15, listing(dir).size());
    assertEquals("model_checkpoint_path: \"m-7\"\nall_model_checkpoint_paths: \"m-7\"\n",
        Files.readString(dir.resolve("checkpoint")));
    assertEquals(List.of(), saver.lastCheckpoints());
  }

  @Test
  void keepCheckpointEveryNHoursPreservesCheckpointsPastTheInterval() throws IOException {
    tf.state.variable(randomTensor(DType.FLOAT32, Shape.of(2)), Variable.options().name("w"));
    session().runTargets(tf.state.globalVariablesInitializer());
    // An interval far below a save's duration: every checkpoint leaving the list is past it, so none is deleted.
    Saver saver = Saver.builder(graph).maxToKeep(1).keepCheckpointEveryNHours(1e-12).build();
    for (int step = 1; step <= 3; step++) {
      sleepAMillisecond();
      saver.save(session(), prefix("m"), step);
    }
    assertEquals(7, listing(dir).size());
    assertEquals(List.of(prefix("m-3")), saver.lastCheckpoints());
  }

  private static void sleepAMillisecond() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void recoveredCheckpointsAreDeletedByLaterSaves() throws IOException {
    tf.state.variable(randomTensor(DType.FLOAT32, Shape.of(2)), Variable.options().name("w"));
    session().runTargets(tf.state.globalVariablesInitializer());
    Saver first = Saver.builder(graph).maxToKeep(2).build();
    first.save(session(), prefix("m"), 1);
    first.save(session(), prefix("m"), 2);

    Saver second = Saver.builder(graph).maxToKeep(2).build();
    List<String> previous = CheckpointState.get(dir.toString()).orElseThrow().allModelCheckpointPaths();
    second.recoverLastCheckpoints(new ArrayList<>(List.of(previous.get(0), previous.get(1), prefix("gone"))));
    assertEquals(List.of(prefix("m-1"), prefix("m-2")), second.lastCheckpoints());
    second.save(session(), prefix("m"), 3);
    assertFalse(Files.exists(dir.resolve("m-1.index")));
    assertTrue(Files.exists(dir.resolve("m-2.index")));
    assertEquals("model_checkpoint_path: \"m-3\"\nall_model_checkpoint_paths: \"m-2\"\n"
        + "all_model_checkpoint_paths: \"m-3\"\n", Files.readString(dir.resolve("checkpoint")));
  }

  @Test
  void latestCheckpointFollowsTheStateFileAndItsName() throws IOException {
    assertEquals(Optional.empty(), Saver.latestCheckpoint(dir.toString()));
    tf.state.variable(randomTensor(DType.FLOAT32, Shape.of(2)), Variable.options().name("w"));
    session().runTargets(tf.state.globalVariablesInitializer());
    Saver saver = Saver.builder(graph).latestFilename("latest").build();
    saver.save(session(), prefix("m"), 5);
    assertFalse(Files.exists(dir.resolve("checkpoint")));
    assertEquals(Optional.empty(), Saver.latestCheckpoint(dir.toString()));
    assertEquals(Optional.of(prefix("m-5")), Saver.latestCheckpoint(dir.toString(), "latest"));
    // A state file naming a checkpoint whose files are gone: TF's None.
    Files.delete(dir.resolve("m-5.index"));
    assertEquals(Optional.empty(), Saver.latestCheckpoint(dir.toString(), "latest"));
  }

  @Test
  void saveCreatesMissingDirectoriesAndWritesNoTemporaryFiles() throws IOException {
    tf.state.variable(randomTensor(DType.FLOAT32, Shape.of(2)), Variable.options().name("w"));
    session().runTargets(tf.state.globalVariablesInitializer());
    Saver saver = Saver.create(graph);
    saver.save(session(), dir.resolve("a/b/model").toString(), 1);
    saver.save(session(), dir.resolve("a/b/model").toString(), 2);
    assertEquals(List.of("checkpoint", "model-1.data-00000-of-00001", "model-1.index",
        "model-2.data-00000-of-00001", "model-2.index"), listing(dir.resolve("a/b")));
  }

  // ---------------------------------------------------------------- construction errors

  @Test
  void constructionErrorsAreTfs() {
    assertError(TfValueError.class, "No variables to save", () -> Saver.create(graph));
    assertError(TfValueError.class, "No variables to save", () -> Saver.builder(graph).varList(List.of()).build());
    Variable x = tf.state.variable(Tensor.scalar(1f), Variable.options().name("x"));
    assertError(TfValueError.class, "At least two variables have the same name: x",
        () -> Saver.builder(graph).varList(List.of(x, x.ref())).build());
    assertError(TfTypeError.class, "Variable to save is not a Variable: Tensor(\"Const:0\", shape=(), dtype=float32)",
        () -> Saver.builder(graph).varList(List.of(x, tf.constant(1f))).build());
    assertError(TfTypeError.class, "Variable to save is not a Variable: Tensor(\"x/read:0\", shape=(), "
        + "dtype=float32)", () -> Saver.builder(graph).varList(List.of(x.value())).build());
    assertError(TfTypeError.class, "names_to_saveables must be a dict mapping string names to Tensors/Variables. "
        + "Not a variable: Tensor(\"Const_1:0\"", () -> Saver.builder(graph).varMap(Map.of("c", tf.constant(2f)))
            .build());
    Map<String, Object> twice = new LinkedHashMap<>();
    twice.put("a", x);
    twice.put("b", x);
    assertError(TfValueError.class, "The same saveable will be restored with two names: b",
        () -> Saver.builder(graph).varMap(twice).build());
    assertError(TfValueError.class, "'latest_filename' must not contain path components",
        () -> Saver.builder(graph).latestFilename("a/b"));
    assertThrows(IllegalArgumentException.class, () -> Saver.builder(graph).maxToKeep(-1));
  }

  @Test
  void theGraphGetsTfsRestoreOpsUnderSave() {
    tf.state.variable(Tensor.scalar(1f), Variable.options().name("b"));
    tf.state.variable(Tensor.vector(1, 2), Variable.options().name("a"));
    Saver saver = Saver.create(graph);
    assertEquals("save/restore_all", saver.restoreOp().name());
    assertEquals("NoOp", saver.restoreOp().type());
    // sorted by checkpoint name: a first
    assertEquals("a", graph.operation("save/Assign").orElseThrow().input(0).op().name());
    assertEquals("b", graph.operation("save/Assign_1").orElseThrow().input(0).op().name());
    assertEquals("Placeholder", graph.operation("save/restored_value").orElseThrow().type());
    assertEquals("Placeholder", graph.operation("save/restored_value_1").orElseThrow().type());
    Saver second = Saver.create(graph);
    assertEquals("save_1/restore_all", second.restoreOp().name());
  }

  // ---------------------------------------------------------------- restore errors change nothing

  /** Variables a (float32 {@code aShape}), b ({@code bType} [4]), c (int32 scalar) in {@code g}, random values. */
  private List<Variable> threeVariables(Graph g, Shape aShape, DType bType) {
    Ops t = Ops.create(g);
    return List.of(
        t.state.variable(randomTensor(DType.FLOAT32, aShape), Variable.options().name("a")),
        t.state.variable(randomTensor(bType, Shape.of(4)), Variable.options().name("b")),
        t.state.variable(randomTensor(DType.INT32, Shape.scalar()), Variable.options().name("c")));
  }

  /** The checkpoint of a (float32 [2,3]), b (float64 [4]), c (int32 scalar). */
  private String savedThree() {
    Graph g = new Graph();
    threeVariables(g, Shape.of(2, 3), DType.FLOAT64);
    return Saver.create(g).save(open(g), prefix("three"));
  }

  private void assertUnchanged(Session s, List<Variable> vars, List<Tensor> before) {
    for (int i = 0; i < vars.size(); i++) {
      assertEquals(before.get(i), s.run(vars.get(i)), vars.get(i).name() + " changed (seed " + seed + ")");
    }
  }

  /**
   * Restoring {@code path} into {@code g}'s variables {@code vars}, initialized in {@code s}, fails with {@code type}
   * and changes none of them; returns the failure.
   */
  private <T extends Throwable> T assertRestoreFailsAndChangesNothing(Class<T> type, Graph g, Session s,
      List<Variable> vars, String path) {
    List<Tensor> before = s.run(vars.toArray(new Variable[0]));
    T e = assertThrows(type, () -> Saver.create(g).restore(s, path));
    assertUnchanged(s, vars, before);
    return e;
  }

  @Test
  void aMissingKeyIsTfsNotFoundAndChangesNothing() {
    String path = savedThree();
    Graph g = new Graph();
    List<Variable> vars = new ArrayList<>(threeVariables(g, Shape.of(2, 3), DType.FLOAT64));
    vars.add(Ops.create(g).state.variable(Tensor.scalar(5f), Variable.options().name("d")));
    RunException e = assertRestoreFailsAndChangesNothing(RunException.class, g, open(g), vars, path);
    assertEquals(RunException.Code.NOT_FOUND, e.code());
    assertEquals(RESTORE_NOT_FOUND + "Key d not found in checkpoint", e.getMessage());
  }

  @Test
  void aWrongShapeIsTfsAssignErrorAndChangesNothing() {
    String path = savedThree();
    Graph g = new Graph();
    List<Variable> vars = threeVariables(g, Shape.of(3, 3), DType.FLOAT64);
    RunException e = assertRestoreFailsAndChangesNothing(RunException.class, g, open(g), vars, path);
    assertEquals(RunException.Code.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().startsWith(RESTORE_MISMATCH + "Assign requires shapes of both tensors to match. "
        + "lhs shape= [3,3] rhs shape= [2,3]"), e.getMessage());
    assertEquals("save/Assign", e.op().orElseThrow().name());
  }

  @Test
  void aWrongDtypeIsTfsRestoreErrorAndChangesNothing() {
    String path = savedThree();
    Graph g = new Graph();
    List<Variable> vars = threeVariables(g, Shape.of(2, 3), DType.FLOAT32);
    RunException e = assertRestoreFailsAndChangesNothing(RunException.class, g, open(g), vars, path);
    assertEquals(RunException.Code.INVALID_ARGUMENT, e.code());
    assertEquals(RESTORE_MISMATCH + "tensor_name = b; expected dtype float does not equal restored dtype double",
        e.getMessage());
  }

  @Test
  void aMissingCheckpointIsTfsValueError() {
    tf.state.variable(Tensor.scalar(1f), Variable.options().name("w"));
    Saver saver = Saver.create(graph);
    assertError(TfValueError.class, "The passed save_path is not a valid checkpoint: " + prefix("nothing"),
        () -> saver.restore(session(), prefix("nothing")));
  }

  @Test
  void aCorruptDataFileIsAClearErrorAndChangesNothing() throws IOException {
    String path = savedThree();
    Path data = Path.of(path + ".data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(data, bytes);
    Graph g = new Graph();
    List<Variable> vars = threeVariables(g, Shape.of(2, 3), DType.FLOAT64);
    Session s = open(g);
    UncheckedIOException e = assertRestoreFailsAndChangesNothing(UncheckedIOException.class, g, s, vars, path);
    assertInstanceOf(CheckpointFormatException.class, e.getCause());
    assertTrue(e.getMessage().contains(data.getFileName().toString()), e.getMessage());

    Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    e = assertRestoreFailsAndChangesNothing(UncheckedIOException.class, g, s, vars, path);
    assertInstanceOf(CheckpointFormatException.class, e.getCause());
  }

  // ---------------------------------------------------------------- failed saves

  /** {@code w} (float32 [3], random values) in the default graph saved once as {@code m-1}, and what that left. */
  private record FirstSave(Variable w, Saver saver, Tensor saved, String path, String state) {}

  private FirstSave saveOnce() throws IOException {
    Variable w = tf.state.variable(randomTensor(DType.FLOAT32, Shape.of(3)), Variable.options().name("w"));
    Saver saver = Saver.create(graph);
    session().runTargets(tf.state.globalVariablesInitializer());
    Tensor saved = session().run(w);
    String path = saver.save(session(), prefix("m"), 1);
    return new FirstSave(w, saver, saved, path, Files.readString(dir.resolve("checkpoint")));
  }

  /**
   * After a failed save: the state file, the Saver's list and the latest checkpoint are still the first save's, and
   * it restores {@code w} over other values.
   */
  private void assertFirstSaveKept(FirstSave first) throws IOException {
    assertEquals(first.state(), Files.readString(dir.resolve("checkpoint")));
    assertEquals(List.of(first.path()), first.saver().lastCheckpoints());
    assertEquals(Optional.of(first.path()), Saver.latestCheckpoint(dir.toString()));
    session().runTargets(tf.state.assign(first.w(), tf.constant(randomTensor(DType.FLOAT32, Shape.of(3)))).op());
    first.saver().restore(session(), first.path());
    assertEquals(first.saved(), session().run(first.w()));
  }

  @Test
  void aSaveThatFailsReadingAVariableKeepsThePreviousCheckpoint() throws IOException {
    FirstSave first = saveOnce();
    List<String> files = listing(dir);

    // A new session has w uninitialized: the one run that reads the variables fails.
    try (Session fresh = Session.open(graph, "cpu")) {
      assertThrows(RunException.class, () -> first.saver().save(fresh, prefix("m"), 2));
    }
    assertEquals(files, listing(dir));
    assertFirstSaveKept(first);
  }

  @Test
  void aSaveThatFailsWritingKeepsThePreviousCheckpointAndStateFile() throws IOException {
    FirstSave first = saveOnce();

    // A non-empty directory where the new index must go: the final rename fails after the data is written.
    Files.createDirectories(dir.resolve("m-2.index/blocker"));
    session().runTargets(tf.state.assign(first.w(), tf.constant(randomTensor(DType.FLOAT32, Shape.of(3)))).op());
    assertThrows(UncheckedIOException.class, () -> first.saver().save(session(), prefix("m"), 2));
    assertTrue(listing(dir).stream().noneMatch(f -> f.contains("tempstate") || f.contains(".tmp")), listing(dir)
        .toString());
    assertFirstSaveKept(first);
  }

  @Test
  void aStateFileThatCannotBeWrittenLeavesNoTemporaryFileAndKeepsTheList() throws IOException {
    tf.state.variable(randomTensor(DType.FLOAT32, Shape.of(3)), Variable.options().name("w"));
    session().runTargets(tf.state.globalVariablesInitializer());
    Saver saver = Saver.builder(graph).latestFilename("state").maxToKeep(1).build();
    String first = saver.save(session(), prefix("m"), 1);
    Files.delete(dir.resolve("state"));
    Files.createDirectories(dir.resolve("state/blocker"));
    assertThrows(UncheckedIOException.class, () -> saver.save(session(), prefix("m"), 2));
    assertTrue(listing(dir).stream().noneMatch(f -> f.startsWith("state.tmp")), listing(dir).toString());
    // The bookkeeping did not move on: the first checkpoint is still kept, not deleted.
    assertEquals(List.of(first), saver.lastCheckpoints());
    assertTrue(Files.exists(dir.resolve("m-1.index")));
  }

  // ---------------------------------------------------------------- partitioned variables

  @Test
  void aPartitionedVariableIsSavedAsOneFullTensorAndRestoresIntoAnyPartitioning() throws IOException {
    Tensor full = randomTensor(DType.FLOAT32, Shape.of(7, 2));
    PartitionedVariable pv = vs.getPartitionedVariable("emb", GetVariableOptions.shape(Shape.of(7, 2))
        .partitioner(Partitioners.fixedSizePartitioner(3)).initializer(full));
    assertEquals(3, pv.numShards());
    Saver saver = Saver.builder(graph).varList(List.of(pv)).build();
    assertEquals(List.of("emb"), saver.keys());
    session().runTargets(tf.state.globalVariablesInitializer());
    String path = saver.save(session(), prefix("pv"));
    try (BundleReader r = BundleReader.open(Path.of(path))) {
      assertEquals(List.of("emb"), new ArrayList<>(r.entries().keySet()));
      assertEquals(Shape.of(7, 2), r.entry("emb").orElseThrow().shape());
      // TF's SaveSliceInfo specs: rows 0-2, 3-4, 5-6 with every extent explicit
      assertEquals(List.of("0,3:0,2", "3,2:0,2", "5,2:0,2"), r.slices("emb").stream().map(Object::toString)
          .sorted().toList());
      assertEquals(full, r.read("emb"));
    }

    Graph g2 = new Graph();
    PartitionedVariable two = VariableScopes.of(g2).getPartitionedVariable("emb", GetVariableOptions.shape(
        Shape.of(7, 2)).partitioner(Partitioners.fixedSizePartitioner(2)));
    Session s2 = open(g2);
    Saver.builder(g2).varList(List.of(two)).build().restore(s2, path);
    assertEquals(full, s2.run(two));

    Graph g3 = new Graph();
    Variable plain = Ops.create(g3).state.variable(Tensor.zeros(DType.FLOAT32, Shape.of(7, 2)),
        Variable.options().name("emb"));
    Session s3 = open(g3);
    Saver.create(g3).restore(s3, path);
    assertEquals(full, s3.run(plain));

    Graph g4 = new Graph();
    PartitionedVariable wrong = VariableScopes.of(g4).getPartitionedVariable("emb", GetVariableOptions.shape(
        Shape.of(6, 2)).partitioner(Partitioners.fixedSizePartitioner(2)));
    Session s4 = open(g4);
    RunException e = assertThrows(RunException.class,
        () -> Saver.builder(g4).varList(List.of(wrong)).build().restore(s4, path));
    assertEquals(RESTORE_MISMATCH + "tensor_name = emb; shape in shape_and_slice spec [6,2] does not match the "
        + "shape stored in checkpoint: [7,2]", e.getMessage());
    assertNotEquals(full, s4.run(wrong));
  }

  @Test
  void aWholeTensorRestoresIntoAPartitionedVariableSplitAlongAnInnerAxis() {
    Tensor full = randomTensor(DType.FLOAT64, Shape.of(2, 5));
    Variable plain = tf.state.variable(full, Variable.options().name("w"));
    session().runTargets(plain.initializer());
    String path = Saver.create(graph).save(session(), prefix("whole"));

    Graph g2 = new Graph();
    PartitionedVariable cols = VariableScopes.of(g2).getPartitionedVariable("w", GetVariableOptions.shape(
        Shape.of(2, 5)).dtype(DType.FLOAT64).partitioner(Partitioners.fixedSizePartitioner(2, 1)));
    assertEquals(1, cols.partitionAxis());
    Session s2 = open(g2);
    Saver saver2 = Saver.builder(g2).varList(List.of(cols)).build();
    saver2.restore(s2, path);
    assertEquals(full, s2.run(cols));
    double[] f = full.asDoubles();
    assertEquals(Tensor.fromDoubles(DType.FLOAT64, Shape.of(2, 3), new double[] {f[0], f[1], f[2], f[5], f[6], f[7]}),
        s2.run(cols.variables().get(0)));

    // and back: saved as slices along axis 1, restored whole
    String sliced = saver2.save(s2, prefix("sliced"));
    Session s3 = open(graph);
    s3.runTargets(tf.state.assign(plain, tf.constant(Tensor.zeros(DType.FLOAT64, Shape.of(2, 5)))).op());
    Saver.create(graph).restore(s3, sliced);
    assertEquals(full, s3.run(plain));
  }

  private static List<String> listing(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
