package dev.scopeflow.samples.charlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.checkpoint.BundleEntry;
import dev.scopeflow.checkpoint.BundleReader;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.samples.Main;
import dev.scopeflow.samples.testing.LauncherRun;
import dev.scopeflow.samples.testing.OutputChecks;
import dev.scopeflow.train.Saver;
import dev.scopeflow.train.TrainingUtil;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * char-lm end to end through the launcher with tiny configurations: the files it writes (checkpoint with TF's variable
 * names and shapes, loss PNG and CSV, DOT picture of the model, generated text of the requested length), resuming
 * and its refusals, repeatability under a seed, that it learns, and its usage errors.
 */
class CharLmTest {
  @TempDir
  Path dir;

  private final LauncherRun launcher = new LauncherRun();

  private int run(String... args) {
    launcher.reset();
    return launcher.runSample("char-lm", args);
  }

  private String out() {
    return launcher.out();
  }

  private String err() {
    return launcher.err();
  }

  /** Words of a small language, in random order: a text whose next character is mostly predictable. */
  private static String wordSoup(Random random, int words, String... vocabulary) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      sb.append(vocabulary[random.nextInt(vocabulary.length)]).append(i % 12 == 11 ? '\n' : ' ');
    }
    return sb.toString();
  }

  private Path writeText(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static double unigramEntropyNats(String text) {
    Map<Integer, Integer> counts = new HashMap<>();
    text.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
    long n = text.codePoints().count();
    double h = 0;
    for (int c : counts.values()) {
      h -= (double) c / n * Math.log((double) c / n);
    }
    return h;
  }

  private static List<String> csvRows(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    return lines.subList(1, lines.size());
  }

  private static String latestCheckpoint(Path outDir) {
    return Saver.latestCheckpoint(outDir.resolve("checkpoints").toString()).orElseThrow();
  }

  private static long globalStep(String prefix) throws IOException {
    try (BundleReader reader = BundleReader.open(Path.of(prefix))) {
      return reader.read("global_step").longValue();
    }
  }

  @Test
  void theDefaultTextTrainsAndEveryOutputChecksOut() throws IOException {
    Path runDir = dir.resolve("run");
    int hidden = 8;
    int embedding = 4;
    int generate = 37;
    int rc = run("--steps", "8", "--checkpoint-every", "2", "--hidden", "" + hidden, "--embedding", "" + embedding,
        "--batch-size", "4", "--seq-length", "8", "--generate", "" + generate, "--prime", "class ", "--out",
        runDir.toString());
    assertEquals(0, rc, out() + err());

    // The default text is the packaged resource; its statistics, computed here, are what the run reports.
    String text;
    try (InputStream in = CharLmTest.class.getResourceAsStream(TrainingText.DEFAULT_RESOURCE)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int vocabulary = (int) text.codePoints().distinct().count();
    assertTrue(text.length() > 100_000, "the default text has " + text.length() + " characters");
    assertTrue(out().contains("Vocabulary:  " + vocabulary + " distinct characters"), out());
    assertTrue(out().contains(String.format(java.util.Locale.ROOT, "unigram entropy %.3f nats/char",
        unigramEntropyNats(text))), out());
    assertEquals(vocabulary, Files.readAllLines(runDir.resolve("vocab.txt")).size());

    // Checkpoint: TF's names and shapes (BasicLSTMCell kernel [input + units, 4 * units]); maxToKeep 3 of 2, 4, 6, 8.
    String prefix = latestCheckpoint(runDir);
    assertTrue(prefix.endsWith("model.ckpt-8"), prefix);
    Map<String, Shape> expected = Map.of(
        "char_lm/embedding", Shape.of(vocabulary, embedding),
        "char_lm/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel", Shape.of(embedding + hidden, 4 * hidden),
        "char_lm/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias", Shape.of(4 * hidden),
        "char_lm/rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel", Shape.of(2 * hidden, 4 * hidden),
        "char_lm/rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias", Shape.of(4 * hidden),
        "char_lm/softmax/w", Shape.of(hidden, vocabulary),
        "char_lm/softmax/b", Shape.of(vocabulary),
        "char_lm/softmax/w/Adam", Shape.of(hidden, vocabulary));
    Tensor savedEmbedding;
    try (BundleReader reader = BundleReader.open(Path.of(prefix))) {
      for (var e : expected.entrySet()) {
        BundleEntry entry = reader.entry(e.getKey()).orElseThrow(() -> new AssertionError("checkpoint lacks "
            + e.getKey() + "; has " + reader.entries().keySet()));
        assertEquals(e.getValue(), entry.shape(), e.getKey());
      }
      assertEquals(8L, reader.read("global_step").longValue());
      savedEmbedding = reader.read("char_lm/embedding");
    }
    try (Stream<Path> files = Files.list(runDir.resolve("checkpoints"))) {
      assertEquals(List.of("model.ckpt-4.index", "model.ckpt-6.index", "model.ckpt-8.index"),
          files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".index")).sorted().toList());
    }
    // It restores into a freshly built model (no optimizer): the same names, the trained values.
    Graph graph = new Graph();
    CharLmModel fresh = CharLmModel.build(graph, vocabulary, 2, hidden, embedding);
    TrainingUtil.getOrCreateGlobalStep(graph);
    try (Session session = Session.open(graph, "cpu")) {
      Saver.create(graph).restore(session, prefix);
      assertEquals(savedEmbedding, session.run(graph.output("char_lm/embedding")));
      assertTrue(fresh.parameterCount() > 0);
    }

    // Pictures and logs.
    OutputChecks.assertPngNotBlank(runDir.resolve("loss.png"));
    OutputChecks.assertDotNamesOps(runDir.resolve("model.dot"), List.of("char_lm/embedding",
        "char_lm/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel",
        "char_lm/rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias", "char_lm/softmax/w", "char_lm/loss", "inputs"));
    assertFalse(Files.readString(runDir.resolve("model.dot")).contains("Adam"),
        "the model picture is drawn before the optimizer is added");
    List<String> rows = csvRows(runDir.resolve("loss.csv"));
    assertEquals(8, rows.size());
    assertTrue(rows.get(7).startsWith("8,"), rows.get(7));

    // Generated text: exactly the requested number of characters, printed after the prime.
    String generated = Files.readString(runDir.resolve("generated.txt"), StandardCharsets.UTF_8);
    assertEquals(generate, generated.codePointCount(0, generated.length()));
    assertTrue(generated.codePoints().allMatch(c -> text.indexOf(Character.toString(c)) >= 0));
    assertTrue(out().contains("class " + generated), out());
    assertTrue(out().contains("Outputs in "), out());
  }

  @Test
  void resumeContinuesTheRunAndRefusesAnotherTextOrModelSize() throws IOException {
    Random random = new Random();
    Path text = writeText("words.txt", wordSoup(random, 400, "alpha", "beta", "gamma", "delta"));
    Path runDir = dir.resolve("run");
    List<String> tiny = List.of("--checkpoint-every", "2", "--hidden", "6", "--embedding", "3", "--batch-size", "3", "--seq-length", "6",
        "--generate", "5", "--prime", "a", "--text", text.toString(), "--out", runDir.toString());
    List<String> first = new ArrayList<>(tiny);
    first.addAll(List.of("--steps", "3"));
    assertEquals(0, run(first.toArray(String[]::new)), err());
    assertEquals(3, globalStep(latestCheckpoint(runDir)));
    List<String> firstRows = csvRows(runDir.resolve("loss.csv"));

    List<String> resumed = new ArrayList<>(tiny);
    resumed.addAll(List.of("--resume", "--steps", "5"));
    assertEquals(0, run(resumed.toArray(String[]::new)), err());
    assertTrue(out().contains("at step 3"), out());
    assertEquals(5, globalStep(latestCheckpoint(runDir)));
    List<String> rows = csvRows(runDir.resolve("loss.csv"));
    assertEquals(5, rows.size());
    assertEquals(firstRows, rows.subList(0, 3), "the resumed run keeps the first run's losses");
    assertEquals(List.of("1", "2", "3", "4", "5"), rows.stream().map(r -> r.split(",")[0]).toList());
    // Checkpoints at 2 and 4 (--checkpoint-every 2) and the ends, 3 and 5: the last three are kept across runs.
    try (Stream<Path> files = Files.list(runDir.resolve("checkpoints"))) {
      assertEquals(List.of("model.ckpt-3.index", "model.ckpt-4.index", "model.ckpt-5.index"),
          files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".index")).sorted().toList());
    }

    // Another text (same characters, other order): refused, and the run is left as it was.
    Path other = writeText("other.txt", wordSoup(random, 400, "alpha", "beta", "gamma", "delta"));
    List<String> otherText = new ArrayList<>(resumed);
    otherText.addAll(List.of("--text", other.toString(), "--steps", "7"));
    assertEquals(Main.EXIT_USAGE, run(otherText.toArray(String[]::new)), out());
    assertTrue(err().contains("--resume") && err().contains("the text differs"), err());
    assertEquals(5, globalStep(latestCheckpoint(runDir)));

    List<String> otherSize = new ArrayList<>(resumed);
    otherSize.addAll(List.of("--hidden", "7", "--steps", "7"));
    assertEquals(Main.EXIT_USAGE, run(otherSize.toArray(String[]::new)), out());
    assertTrue(err().contains("--hidden 6, now 7"), err());

    List<String> nothingToResume = new ArrayList<>(resumed);
    nothingToResume.addAll(List.of("--out", dir.resolve("empty").toString()));
    assertEquals(Main.EXIT_USAGE, run(nothingToResume.toArray(String[]::new)), out());
    assertTrue(err().contains("--resume: no earlier run"), err());
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() throws IOException {
    Path text = writeText("words.txt", wordSoup(new Random(), 300, "red", "green", "blue"));
    String[][] outcomes = new String[3][];
    String[] seeds = {"5", "5", "6"};
    for (int i = 0; i < 3; i++) {
      Path runDir = dir.resolve("run" + i);
      assertEquals(0, run("--steps", "4", "--hidden", "6", "--embedding", "3", "--batch-size", "3", "--seq-length",
          "6", "--generate", "40", "--prime", "r", "--seed", seeds[i], "--text", text.toString(), "--out",
          runDir.toString()), err());
      outcomes[i] = new String[] {Files.readString(runDir.resolve("loss.csv")),
          Files.readString(runDir.resolve("generated.txt"))};
    }
    assertEquals(Arrays.asList(outcomes[0]), Arrays.asList(outcomes[1]));
    assertFalse(outcomes[0][0].equals(outcomes[2][0]), "seeds 5 and 6 gave the same losses");
  }

  @Test
  void itLearnsWellBelowTheUnigramEntropyOfARepetitiveText() throws IOException {
    String words = wordSoup(new Random(), 3000, "the", "cat", "sat", "on", "a", "mat", "dog", "ran");
    double unigram = unigramEntropyNats(words);
    Path runDir = dir.resolve("run");
    assertEquals(0, run("--steps", "150", "--hidden", "32", "--embedding", "8", "--batch-size", "16",
        "--seq-length", "16", "--learning-rate", "0.01", "--generate", "60", "--prime", "the ",
        "--text", writeText("words.txt", words).toString(), "--out", runDir.toString()), err());
    List<String> rows = csvRows(runDir.resolve("loss.csv"));
    double recent = rows.subList(rows.size() - 20, rows.size()).stream()
        .mapToDouble(r -> Double.parseDouble(r.split(",")[1])).average().orElseThrow();
    double firstLoss = Double.parseDouble(rows.get(0).split(",")[1]);
    assertTrue(firstLoss > 0.9 * unigram, "an untrained model does no better than the unigram: " + firstLoss
        + " vs " + unigram);
    assertTrue(recent < 0.5 * unigram, "loss of the last 20 steps " + recent + " against unigram entropy " + unigram);
  }

  @Test
  void wrongOptionsExitWithTwoAndSayWhatWasWrong() throws IOException {
    Path text = writeText("words.txt", wordSoup(new Random(), 100, "one", "two"));
    String[][] cases = {
        {"--steps", "0"},
        {"--temperature", "warm"},
        {"--learning-rate", "-1"},
        {"--text", dir.resolve("missing.txt").toString()},
        {"--prime", "xyz", "--text", text.toString()},
        {"--seq-length", "500", "--text", text.toString()},
        {"--layers", "3"},
    };
    String[] expected = {"--steps must be at least 1", "--temperature expects a number", "--learning-rate must be",
        "--text: no such file", "--prime: the character 'x' does not occur", "too short for --seq-length 500",
        "unknown option --layers"};
    for (int i = 0; i < cases.length; i++) {
      List<String> args = new ArrayList<>(List.of(cases[i]));
      args.addAll(List.of("--out", dir.resolve("bad").toString()));
      assertEquals(Main.EXIT_USAGE, run(args.toArray(String[]::new)), String.join(" ", cases[i]) + ": " + err());
      assertTrue(err().contains(expected[i]), String.join(" ", cases[i]) + ": " + err());
    }
  }
}
