package dev.scopeflow.samples.siamese;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.checkpoint.BundleEntry;
import dev.scopeflow.checkpoint.BundleReader;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.samples.Main;
import dev.scopeflow.samples.output.TrainingLog;
import dev.scopeflow.samples.testing.LauncherRun;
import dev.scopeflow.samples.testing.OutputChecks;
import dev.scopeflow.train.Saver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weight-sharing sample end to end with a short run: one set of tower variables (printed, in the graph and in the
 * checkpoint), towers that agree on the same input, a checkpoint whose weights compute the embedding the session
 * computes, and a model that tells pairs of unseen clusters apart better than chance.
 */
class WeightSharingTest {
  private static final int STEPS = 300;
  private static final List<String> TOWER_VARIABLES = List.of("tower/hidden/kernel", "tower/hidden/bias",
      "tower/embedding/kernel", "tower/embedding/bias");

  @TempDir
  Path dir;

  private final LauncherRun launcher = new LauncherRun();

  private int run(String... args) {
    return launcher.runSample("weight-sharing", args);
  }

  private String out() {
    return launcher.out();
  }

  @Test
  void trainsOneSetOfSharedWeightsAndWritesItsOutputs() throws IOException {
    long seed = new Random().nextInt(1_000_000);
    assertEquals(0, run("--steps", Integer.toString(STEPS), "--out", dir.toString(), "--seed", Long.toString(seed)),
        () -> out() + launcher.err());

    // The printed variables are the graph's trainable variables: one set, every tower variable under tower/ once.
    Graph graph = new Graph();
    SiameseModel model = SiameseModel.build(graph, ClusterPairs.INPUT_DIM, WeightSharing.HIDDEN_UNITS,
        WeightSharing.EMBEDDING_DIM);
    List<Variable> trainable = Ops.create(graph).state.trainableVariables();
    assertEquals(trainable.stream().map(Variable::name).toList(), printedVariables());
    List<String> opNames = trainable.stream().map(v -> v.op().name()).toList();
    assertEquals(TOWER_VARIABLES, opNames.stream().filter(n -> n.startsWith("tower")).toList());
    assertEquals(List.of("head/kernel", "head/bias"), opNames.stream().filter(n -> n.startsWith("head")).toList());
    for (String towerScope : SiameseModel.TOWER_NAME_SCOPES) {
      assertTrue(graph.operations().stream().anyMatch(op -> op.name().startsWith(towerScope + "hidden/MatMul")),
          "no ops of the tower under " + towerScope);
    }

    // The checkpoint: the shared variables once, with their shapes, and no copy under another tower's scope.
    String checkpoint = Saver.latestCheckpoint(dir.resolve("checkpoints").toString()).orElseThrow();
    assertTrue(checkpoint.endsWith("model.ckpt-" + STEPS), checkpoint);
    Map<String, Tensor> weights;
    try (BundleReader reader = BundleReader.open(Path.of(checkpoint))) {
      Map<String, BundleEntry> entries = reader.entries();
      assertEquals(Shape.of(ClusterPairs.INPUT_DIM, WeightSharing.HIDDEN_UNITS),
          entries.get("tower/hidden/kernel").shape());
      assertEquals(Shape.of(WeightSharing.HIDDEN_UNITS, WeightSharing.EMBEDDING_DIM),
          entries.get("tower/embedding/kernel").shape());
      assertEquals(Shape.of(WeightSharing.EMBEDDING_DIM, 1), entries.get("head/kernel").shape());
      assertTrue(entries.keySet().stream().noneMatch(k -> k.startsWith("tower_")), entries.keySet().toString());
      assertEquals(TOWER_VARIABLES, entries.keySet().stream()
          .filter(k -> k.startsWith("tower/") && !k.contains("/Adam")).sorted(this::inCreationOrder).toList());
      weights = Map.of("w1", reader.read("tower/hidden/kernel"), "b1", reader.read("tower/hidden/bias"),
          "w2", reader.read("tower/embedding/kernel"), "b2", reader.read("tower/embedding/bias"));
    }

    // Restored into a freshly built graph: the three towers embed fresh inputs identically, and as the checkpoint's
    // weights do when the tower is computed here in Java; pairs of unseen clusters are told apart above chance.
    Random random = new Random(seed + 100);
    ClusterPairs data = new ClusterPairs(new Random(seed), WeightSharing.TRAINING_CLUSTERS,
        WeightSharing.HELD_OUT_CLUSTERS);
    try (Session session = Session.open(graph, "cpu")) {
      Saver.create(graph).restore(session, checkpoint);
      float[][] points = new float[8][];
      for (int i = 0; i < points.length; i++) {
        points[i] = data.point(random.nextInt(WeightSharing.TRAINING_CLUSTERS + WeightSharing.HELD_OUT_CLUSTERS),
            random);
      }
      assertEquals(0.0, WeightSharing.largestTowerDifference(session, model, data, random), 0.0);
      double[] embedded = session.runner().feed(model.query, Tensor.of(points)).fetch(model.queryEmbedding).run()
          .get(0).asDoubles();
      double[] expected = towerInJava(points, weights);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], embedded[i], 1e-4 * (1 + Math.abs(expected[i])), "embedding value " + i);
      }
      double accuracy = WeightSharing.accuracy(session, model, data.heldOutPairs(1000, random));
      assertTrue(accuracy > 0.7, "accuracy on pairs of unseen clusters " + accuracy + " (chance 0.5)");
    }

    // Pictures and the loss log.
    OutputChecks.assertPngNotBlank(dir.resolve("loss.png"));
    OutputChecks.assertDotNamesOps(dir.resolve("model.dot"), List.of("tower/hidden/kernel", "tower/embedding/kernel",
        "head/kernel", "tower/hidden/MatMul", "tower_1/hidden/MatMul", "tower_2/hidden/MatMul", "loss"));
    TrainingLog log = TrainingLog.readCsv(dir.resolve("loss.csv"));
    assertEquals(STEPS, log.size());
    assertTrue(log.recentMean(50) < Math.log(2), "training loss " + log.recentMean(50) + " not below ln 2");
    assertTrue(out().contains("Outputs in "), out());
  }

  @Test
  void wrongOptionsExitWithTheUsageCode() {
    assertEquals(Main.EXIT_USAGE, run("--steps", "0", "--out", dir.toString()));
    assertEquals(Main.EXIT_USAGE, run("--batch-size", "many", "--out", dir.toString()));
    assertEquals(Main.EXIT_USAGE, run("--learning-rate", "-1", "--out", dir.toString()));
    assertEquals(Main.EXIT_USAGE, run("--units", "4", "--out", dir.toString()));
    String errors = launcher.err();
    assertTrue(errors.contains("--steps must be at least 1, got 0"), errors);
    assertTrue(errors.contains("--batch-size expects an integer, got 'many'"), errors);
    assertTrue(errors.contains("unknown option --units"), errors);
  }

  /** The names between "Trainable variables" and the next unindented line of the sample's output. */
  private List<String> printedVariables() {
    List<String> lines = Arrays.asList(out().split("\n"));
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("Trainable variables")) {
        start = i + 1;
        break;
      }
    }
    assertTrue(start > 0, out());
    List<String> names = new ArrayList<>();
    for (int i = start; i < lines.size() && lines.get(i).startsWith("  "); i++) {
      names.add(lines.get(i).trim().split("\\s+")[0]);
    }
    return names;
  }

  private int inCreationOrder(String a, String b) {
    return Integer.compare(TOWER_VARIABLES.indexOf(a), TOWER_VARIABLES.indexOf(b));
  }

  /** {@code tanh(x w1 + b1) w2 + b2} for each point, flattened row by row. */
  private static double[] towerInJava(float[][] points, Map<String, Tensor> weights) {
    double[] w1 = weights.get("w1").asDoubles();
    double[] b1 = weights.get("b1").asDoubles();
    double[] w2 = weights.get("w2").asDoubles();
    double[] b2 = weights.get("b2").asDoubles();
    int hidden = b1.length;
    int embedding = b2.length;
    double[] result = new double[points.length * embedding];
    for (int p = 0; p < points.length; p++) {
      double[] h = new double[hidden];
      for (int j = 0; j < hidden; j++) {
        double sum = b1[j];
        for (int i = 0; i < points[p].length; i++) {
          sum += points[p][i] * w1[i * hidden + j];
        }
        h[j] = Math.tanh(sum);
      }
      for (int k = 0; k < embedding; k++) {
        double sum = b2[k];
        for (int j = 0; j < hidden; j++) {
          sum += h[j] * w2[j * embedding + k];
        }
        result[p * embedding + k] = sum;
      }
    }
    return result;
  }
}
