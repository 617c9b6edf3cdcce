package dev.scopeflow.samples.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.checkpoint.BundleEntry;
import dev.scopeflow.checkpoint.BundleReader;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.samples.Main;
import dev.scopeflow.samples.output.TrainingLog;
import dev.scopeflow.samples.testing.LauncherRun;
import dev.scopeflow.samples.testing.OutputChecks;
import dev.scopeflow.train.Saver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sequence-regression sample end to end with a short run on a small cell: the LSTM restored from its checkpoint
 * into a freshly built graph predicts fresh sequences better than persistence (computed here), the checkpoint holds
 * the peephole and projection variables with their shapes, and the pictures and the DOT file are there.
 */
class SequenceRegressionTest {
  private static final int STEPS = 150;
  private static final int UNITS = 16;
  private static final int NUM_PROJ = 8;
  private static final int LENGTH = 24;
  private static final Pattern RESULT = Pattern.compile("LSTM test MSE (\\S+) vs naive (\\S+) \\(");

  @TempDir
  Path dir;

  private final LauncherRun launcher = new LauncherRun();

  private int run(String... args) {
    return launcher.runSample("sequence-regression", args);
  }

  private String out() {
    return launcher.out();
  }

  @Test
  void theLstmBeatsPersistenceAndItsOutputsLoad() throws IOException {
    long seed = new Random().nextInt(1_000_000);
    double noise = 0.1;
    assertEquals(0, run("--steps", Integer.toString(STEPS), "--batch-size", "16", "--seq-length",
        Integer.toString(LENGTH), "--units", Integer.toString(UNITS), "--num-proj", Integer.toString(NUM_PROJ),
        "--noise", Double.toString(noise), "--out", dir.toString(), "--seed", Long.toString(seed)),
        () -> out() + launcher.err());
    Matcher printed = RESULT.matcher(out());
    assertTrue(printed.find(), out());
    assertTrue(Double.parseDouble(printed.group(1)) < Double.parseDouble(printed.group(2)), printed.group());

    // The checkpoint names the cell's variables with TF's names and shapes.
    String checkpoint = Saver.latestCheckpoint(dir.resolve("checkpoints").toString()).orElseThrow();
    String cell = "predictor/rnn/lstm_cell/";
    try (BundleReader reader = BundleReader.open(Path.of(checkpoint))) {
      Map<String, BundleEntry> entries = reader.entries();
      assertEquals(Shape.of(1 + NUM_PROJ, 4 * UNITS), entries.get(cell + "kernel").shape());
      assertEquals(Shape.of(4 * UNITS), entries.get(cell + "bias").shape());
      for (String peephole : List.of("w_f_diag", "w_i_diag", "w_o_diag")) {
        assertEquals(Shape.of(UNITS), entries.get(cell + peephole).shape(), peephole);
      }
      assertEquals(Shape.of(UNITS, NUM_PROJ), entries.get(cell + "projection/kernel").shape());
      assertEquals(Shape.of(NUM_PROJ, 1), entries.get("predictor/readout/w").shape());
      assertEquals(Tensor.scalar((long) STEPS), reader.read("global_step"));
    }

    // Restored into a freshly built graph, the model predicts fresh sequences better than persistence does.
    MultiSineSignal.Batch fresh = new MultiSineSignal(noise).batch(64, LENGTH, new Random(seed + 1000));
    Graph graph = new Graph();
    NextValueModel model = NextValueModel.build(graph, UNITS, NUM_PROJ);
    double lstmMse;
    try (Session session = Session.open(graph, "cpu")) {
      Saver.create(graph).restore(session, checkpoint);
      double[] predictions = session.runner().feed(model.inputs, Tensor.of(fresh.inputs())).fetch(model.predictions)
          .run().get(0).asDoubles();
      assertEquals(64 * LENGTH, predictions.length);
      double sum = 0;
      for (int i = 0; i < 64; i++) {
        for (int t = 0; t < LENGTH; t++) {
          double error = predictions[i * LENGTH + t] - fresh.noisy()[i][t + 1];
          sum += error * error;
        }
      }
      lstmMse = sum / (64 * LENGTH);
    }
    double persistence = 0;
    for (float[] row : fresh.noisy()) {
      for (int t = 1; t <= LENGTH; t++) {
        persistence += (row[t] - row[t - 1]) * (row[t] - row[t - 1]);
      }
    }
    persistence /= 64 * LENGTH;
    assertTrue(lstmMse < 0.7 * persistence, "LSTM MSE " + lstmMse + ", persistence " + persistence);
    assertTrue(lstmMse > 0.5 * noise * noise, "below the noise floor? LSTM MSE " + lstmMse);

    OutputChecks.assertPngNotBlank(dir.resolve("loss.png"));
    OutputChecks.assertPngNotBlank(dir.resolve("prediction.png"));
    OutputChecks.assertDotNamesOps(dir.resolve("model.dot"), List.of(cell + "kernel", cell + "w_f_diag",
        cell + "projection/kernel", "predictor/readout/w", "predictor/rnn/while", "mse"));
    assertEquals(STEPS, TrainingLog.readCsv(dir.resolve("loss.csv")).size());
  }

  @Test
  void wrongOptionsExitWithTheUsageCode() {
    assertEquals(Main.EXIT_USAGE, run("--seq-length", "1", "--out", dir.toString()));
    assertEquals(Main.EXIT_USAGE, run("--noise", "-0.5", "--out", dir.toString()));
    assertEquals(Main.EXIT_USAGE, run("--noise", "20", "--out", dir.toString()));
    assertEquals(Main.EXIT_USAGE, run("--num-proj", "0", "--out", dir.toString()));
    assertEquals(Main.EXIT_USAGE, run("--units", "x", "--out", dir.toString()));
    String errors = launcher.err();
    assertTrue(errors.contains("--seq-length must be at least 2, got 1"), errors);
    assertTrue(errors.contains("--noise must be from 0 to 10"), errors);
    assertTrue(errors.contains("--units expects an integer, got 'x'"), errors);
  }
}
