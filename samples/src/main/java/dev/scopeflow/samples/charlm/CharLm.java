package dev.scopeflow.samples.charlm;

import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.samples.cli.Arguments;
import dev.scopeflow.samples.cli.CommonOptions;
import dev.scopeflow.samples.cli.Option;
import dev.scopeflow.samples.cli.Sample;
import dev.scopeflow.samples.cli.SampleContext;
import dev.scopeflow.samples.cli.UsageException;
import dev.scopeflow.samples.output.AtomicFiles;
import dev.scopeflow.samples.output.GraphPictures;
import dev.scopeflow.samples.output.Progress;
import dev.scopeflow.samples.output.TrainingLog;
import dev.scopeflow.samples.training.ClippedAdam;
import dev.scopeflow.train.CheckpointState;
import dev.scopeflow.train.Saver;
import dev.scopeflow.train.TrainingUtil;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * {@code ./scopeflow char-lm}, the default demo: a 2-layer LSTM character language model (variable scope, {@code
 * MultiRNNCell}, {@code dynamic_rnn}, Adam on gradients clipped by global norm) learns ScopeFlow's own sources, or a
 * text given with {@code --text}, in about two minutes on two cores, then writes text of its own. Shows progress,
 * compares the loss with the text's unigram entropy (what a model without context achieves), saves checkpoints that
 * {@code --resume} continues from, and writes the loss curve (PNG, CSV) and a picture of the model's graph.
 */
public final class CharLm implements Sample {
  /**
   * Training steps of a default run: chosen so that the whole default run (graph, training, generation) takes about
   * two minutes on a 2-core machine with OpenBLAS. Change this one number to re-tune the demo's length.
   */
  static final int DEFAULT_STEPS = 1400;
  /** LSTM layers (the demo is "a 2-layer LSTM"; not an option, to keep the command line short). */
  static final int LAYERS = 2;
  /** Share of the text (at its end) held out to measure the validation loss. */
  static final double VALIDATION_SHARE = 0.05;
  /** Validation windows evaluated at most (enough for a stable figure, cheap next to training). */
  static final int VALIDATION_WINDOWS = 256;
  /** Steps the final training loss averages over (one step's loss is noisy). */
  static final int FINAL_LOSS_WINDOW = 20;
  /** Global norm the gradients are clipped to (a common choice for LSTMs; keeps early steps from exploding). */
  static final double GRADIENT_CLIP_NORM = 5.0;
  /** Checkpoints kept in {@code <out>/checkpoints}. */
  static final int CHECKPOINTS_KEPT = 3;

  static final Option STEPS = Option.value("steps", "N", Integer.toString(DEFAULT_STEPS),
      "train until global step N (with --resume: continue up to N)");
  static final Option BATCH_SIZE = Option.value("batch-size", "N", "32", "text windows per training step");
  static final Option SEQ_LENGTH = Option.value("seq-length", "N", "64",
      "characters per window (steps the LSTM is unrolled)");
  static final Option HIDDEN = Option.value("hidden", "N", "192", "LSTM units per layer");
  static final Option EMBEDDING = Option.value("embedding", "N", "32", "width of the character embedding");
  static final Option LEARNING_RATE = Option.value("learning-rate", "X", "0.003", "Adam's learning rate");
  static final Option CHECKPOINT_EVERY = Option.value("checkpoint-every", "N", "200",
      "save a checkpoint every N steps (and at the end)");
  static final Option TEXT = Option.optional("text", "FILE",
      "UTF-8 text to learn (default: ScopeFlow's own Java sources, packaged with the samples)");
  static final Option RESUME = Option.flag("resume",
      "continue from the latest checkpoint in <out>/checkpoints (same text and model size)");
  static final Option GENERATE = Option.value("generate", "N", "600", "characters to generate at the end (0: none)");
  static final Option TEMPERATURE = Option.value("temperature", "X", "0.7",
      "sampling temperature: lower is safer, higher is wilder");
  static final Option PRIME = Option.value("prime", "TEXT", "public", "text the generated text continues");

  private static final String CHECKPOINT_DIR = "checkpoints";
  private static final String CHECKPOINT_NAME = "model.ckpt";

  @Override
  public String name() {
    return "char-lm";
  }

  @Override
  public String summary() {
    return "a 2-layer LSTM learns to write like ScopeFlow's own sources (or --text FILE), then writes some text";
  }

  @Override
  public List<Option> options() {
    return CommonOptions.withTraining(STEPS, BATCH_SIZE, SEQ_LENGTH, HIDDEN, EMBEDDING, LEARNING_RATE,
        CHECKPOINT_EVERY, TEXT, RESUME, GENERATE, TEMPERATURE, PRIME);
  }

  @Override
  public int run(SampleContext context) throws Exception {
    var args = context.args();
    int steps = args.integer(STEPS.name(), 1);
    int batchSize = args.integer(BATCH_SIZE.name(), 1);
    int seqLength = args.integer(SEQ_LENGTH.name(), 1);
    int hidden = args.integer(HIDDEN.name(), 1);
    int embedding = args.integer(EMBEDDING.name(), 1);
    double learningRate = args.number(LEARNING_RATE.name(), 0);
    int checkpointEvery = args.integer(CHECKPOINT_EVERY.name(), 1);
    boolean resume = args.flag(RESUME.name());
    int generate = args.integer(GENERATE.name(), 0);
    double temperature = args.number(TEMPERATURE.name(), 0);
    int[] prime = args.require(PRIME.name()).codePoints().toArray();
    if (prime.length == 0) {
      throw new UsageException("--prime needs at least one character");
    }
    long seed = context.seed();
    context.runtime(); // checks --runtime/--device before the work starts
    PrintStream out = context.out();
    long started = System.nanoTime();

    TrainingText text = TrainingText.load(args.path(TEXT.name()));
    Vocabulary vocabulary = Vocabulary.of(text.codePoints());
    int[] ids = vocabulary.encode(text.codePoints());
    int validationLength = (int) Math.max(seqLength + 1, Math.round(ids.length * VALIDATION_SHARE));
    int trainLength = ids.length - validationLength;
    if (trainLength < seqLength + 1) {
      throw new UsageException("the text (" + ids.length + " characters) is too short for --seq-length " + seqLength
          + ": it needs at least " + (2 * (seqLength + 1)) + " characters (training and validation windows)");
    }
    for (int cp : prime) {
      if (!vocabulary.contains(cp)) {
        throw new UsageException("--prime: the character " + Vocabulary.describe(cp) + " does not occur in the text");
      }
    }
    int[] trainIds = Arrays.copyOfRange(ids, 0, trainLength);
    int[] validationIds = Arrays.copyOfRange(ids, trainLength, ids.length);
    double unigram = Vocabulary.unigramEntropy(ids, vocabulary.size());

    Path outDir = context.outputDir();
    Path checkpoints = outDir.resolve(CHECKPOINT_DIR);
    SavedRun thisRun = new SavedRun(LAYERS, hidden, embedding, vocabulary.size(), text.source(), text.digest());
    Optional<String> resumeFrom = resume ? Optional.of(checkResumable(outDir, checkpoints, thisRun, vocabulary))
        : Optional.empty();

    out.println("char-lm: a " + LAYERS + "-layer LSTM character language model");
    out.printf(Locale.ROOT, "Text:        %s, %,d characters (%,d to train on, the last %,d held out for "
        + "validation)%n", text.source(), ids.length, trainLength, validationLength);
    out.printf(Locale.ROOT, "Vocabulary:  %d distinct characters%n", vocabulary.size());
    out.printf(Locale.ROOT, "Reference:   unigram entropy %.3f nats/char (%.3f bits): the loss of guessing by "
        + "character frequency alone%n", unigram, unigram / Math.log(2));

    // ---- the graph: model, then (after its picture) the optimizer, the generation path and the saver
    Graph graph = new Graph();
    graph.setSeed(seed);
    Ops tf = Ops.create(graph);
    CharLmModel model = CharLmModel.build(graph, vocabulary.size(), LAYERS, hidden, embedding);
    List<Path> outputs = new ArrayList<>(GraphPictures.write(graph, outDir, "model", context.err()));
    Operand globalStep = TrainingUtil.getOrCreateGlobalStep(graph);
    Operation train = ClippedAdam.minimize(graph, model.loss, learningRate, GRADIENT_CLIP_NORM, globalStep);
    CharLmModel.Sampler sampler = model.buildSampler();
    Saver saver = Saver.builder(graph).maxToKeep(CHECKPOINTS_KEPT).build();
    Operation init = tf.state.globalVariablesInitializer();
    out.printf(Locale.ROOT, "Model:       embedding %d -> %d x BasicLSTMCell(%d) -> softmax %d; %,d parameters:%n",
        embedding, LAYERS, hidden, vocabulary.size(), model.parameterCount());
    for (Variable v : tf.state.trainableVariables()) {
      out.printf(Locale.ROOT, "               %-60s %s%n", v.name(), v.shape());
    }
    out.printf(Locale.ROOT, "Training:    Adam(%s), gradients clipped to global norm %s, batch %d x %d characters%n",
        trimmed(learningRate), trimmed(GRADIENT_CLIP_NORM), batchSize, seqLength);

    TrainingLog log;
    long firstStep;
    try (Session session = context.openSession(graph)) {
      out.println("Runtime:     " + SampleContext.describe(session));
      if (resumeFrom.isPresent()) {
        saver.restore(session, resumeFrom.get());
        // TF's recover_last_checkpoints: the earlier run's checkpoints count towards maxToKeep, so they get deleted
        // in turn instead of piling up.
        saver.recoverLastCheckpoints(CheckpointState.get(checkpoints.toString()).orElseThrow()
            .allModelCheckpointPaths().stream().map(p -> checkpoints.resolve(p).toString()).toList());
        firstStep = session.run(globalStep).longValue();
        log = TrainingLog.readCsv(outDir.resolve("loss.csv"));
        log.truncateAfter(firstStep);
        Path restored = outDir.toAbsolutePath().relativize(Path.of(resumeFrom.get()).toAbsolutePath());
        out.println("Resuming:    from " + restored + " at step " + firstStep);
      } else {
        session.runTargets(init);
        firstStep = 0;
        log = new TrainingLog();
        clearCheckpoints(checkpoints, out);
        thisRun.write(outDir.resolve("config.properties"));
        vocabulary.write(outDir.resolve("vocab.txt"));
      }
      double setupSeconds = seconds(started);
      out.println();

      // ---- training
      // The data sampler's seed includes the starting step so a resumed run draws new windows, not the first ones.
      WindowBatches batches = new WindowBatches(trainIds, batchSize, seqLength, new Random(seed * 31 + firstStep));
      long trainStarted = System.nanoTime();
      if (firstStep >= steps) {
        out.println("Already at step " + firstStep + " (--steps " + steps + "): nothing to train.");
      } else {
        long interval = Math.max(1, (steps - firstStep) / 20);
        Progress progress = new Progress(out, context.interactive(), firstStep, steps, interval, "chars");
        for (long step = firstStep + 1; step <= steps; step++) {
          WindowBatches.Batch batch = batches.next();
          double loss = session.runner().feed(model.inputs, batch.inputs()).feed(model.targets, batch.targets())
              .fetch(model.loss).addTarget(train).run().get(0).getDouble(0);
          log.add(step, loss);
          progress.step(step, loss, (long) batchSize * seqLength);
          if (step % checkpointEvery == 0 && step < steps) {
            saver.save(session, checkpoints.resolve(CHECKPOINT_NAME).toString(), globalStep);
            // The curve so far goes with the checkpoint: a run stopped here resumes with its whole loss history.
            log.writeCsv(outDir.resolve("loss.csv"));
          }
        }
        progress.finish();
      }
      double trainSeconds = seconds(trainStarted);
      long finalStep = session.run(globalStep).longValue();
      String saved = saver.save(session, checkpoints.resolve(CHECKPOINT_NAME).toString(), globalStep);

      // ---- results
      double trainLoss = log.recentMean(FINAL_LOSS_WINDOW);
      double validationLoss = validationLoss(session, model, validationIds, seqLength, batchSize);
      out.println();
      out.printf(Locale.ROOT, "Step %d: training loss %.3f nats/char (mean of the last %d steps) against the unigram "
          + "entropy %.3f (%.0f%% of it)%n", finalStep, trainLoss, Math.min(FINAL_LOSS_WINDOW, log.size()), unigram,
          100 * trainLoss / unigram);
      out.printf(Locale.ROOT, "Validation loss %.3f nats/char = %.3f bits per character (held-out text; unigram "
          + "entropy %.3f bits)%n", validationLoss, validationLoss / Math.log(2), unigram / Math.log(2));
      if (finalStep > firstStep) {
        out.printf(Locale.ROOT, "Time: %s to build the graph and start, %s training %d steps (%.1f steps/s, %s "
            + "chars/s)%n", SampleContext.duration(setupSeconds), SampleContext.duration(trainSeconds),
            finalStep - firstStep, (finalStep - firstStep) / trainSeconds,
            String.format(Locale.ROOT, "%,.0f", (finalStep - firstStep) * (double) batchSize * seqLength
                / trainSeconds));
      }

      outputs.add(log.writeCsv(outDir.resolve("loss.csv")));
      outputs.add(log.plot("char-lm: training loss (" + LAYERS + " x LSTM " + hidden + ")", "cross-entropy, nats/char")
          .reference(String.format(Locale.ROOT, "unigram entropy %.2f", unigram), unigram)
          .writePng(outDir.resolve("loss.png")));

      // ---- generation
      if (generate > 0) {
        outputs.add(writeGeneratedText(session, sampler, vocabulary, hidden, prime, generate, temperature, seed,
            outDir, out));
      }
      out.println();
      out.println("Total time " + SampleContext.duration(seconds(started)) + ". To train on: "
          + continueCommand(args, finalStep + Math.max(1, finalStep - firstStep)));
      outputs.add(outDir.resolve("config.properties"));
      outputs.add(outDir.resolve("vocab.txt"));
      outputs.add(checkpoints.resolve(Path.of(saved).getFileName() + ".index"));
    }
    context.reportOutputs(outputs);
    return 0;
  }

  /**
   * Generates {@code count} characters after {@code prime}, prints them and writes them (without the prime) to
   * {@code generated.txt}, which it returns.
   */
  private static Path writeGeneratedText(Session session, CharLmModel.Sampler sampler, Vocabulary vocabulary,
      int hidden, int[] prime, int count, double temperature, long seed, Path outDir, PrintStream out)
      throws IOException {
    long started = System.nanoTime();
    String generated = new TextGenerator(session, sampler, vocabulary, hidden)
        .generate(prime, count, temperature, new Random(seed));
    Path file = outDir.resolve("generated.txt");
    AtomicFiles.writeString(file, generated);
    String primeText = new String(prime, 0, prime.length);
    out.println();
    out.printf(Locale.ROOT, "Generated %d characters (temperature %s, %s), continuing \"%s\":%n", count,
        trimmed(temperature), SampleContext.duration(seconds(started)), primeText);
    out.println("----");
    out.println(primeText + generated);
    out.println("----");
    return file;
  }

  /** The command that resumes this run up to {@code steps}: the options a checkpoint depends on, as given. */
  private static String continueCommand(Arguments args, long steps) {
    StringBuilder sb = new StringBuilder("./scopeflow char-lm --resume --steps " + steps);
    for (Option o : List.of(TEXT, HIDDEN, EMBEDDING, CommonOptions.OUT)) {
      if (args.given(o.name())) {
        String value = args.require(o.name());
        sb.append(" --").append(o.name()).append(' ').append(value.matches("[\\w./:@+-]+") ? value
            : "'" + value.replace("'", "'\\''") + "'");
      }
    }
    return sb.toString();
  }

  /**
   * The checkpoint {@code --resume} continues from, after checking that it was trained on this text with a model of
   * this size.
   */
  private static String checkResumable(Path outDir, Path checkpoints, SavedRun current, Vocabulary vocabulary)
      throws IOException {
    Optional<String> latest = Saver.latestCheckpoint(checkpoints.toString());
    Path config = outDir.resolve("config.properties");
    Path vocab = outDir.resolve("vocab.txt");
    if (latest.isEmpty() || !Files.isRegularFile(config) || !Files.isRegularFile(vocab)) {
      throw new UsageException("--resume: no earlier run in " + outDir.toAbsolutePath().normalize() + " (it needs "
          + CHECKPOINT_DIR + "/checkpoint, config.properties and vocab.txt); run without --resume first, or give its "
          + "folder with --out");
    }
    List<String> differences = new ArrayList<>(SavedRun.read(config).differencesFrom(current));
    if (differences.isEmpty() && !Vocabulary.read(vocab).equals(vocabulary)) {
      differences.add("the vocabulary differs");
    }
    if (!differences.isEmpty()) {
      throw new UsageException("--resume: the checkpoint in " + outDir + " does not fit this run: "
          + String.join("; ", differences) + ". Use the same --text and model options, or another --out");
    }
    return latest.get();
  }

  /** A fresh run replaces an earlier run's checkpoints in the folder (they would otherwise mix with the new ones). */
  private static void clearCheckpoints(Path checkpoints, PrintStream out) throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return;
    }
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(checkpoints,
        f -> f.getFileName().toString().startsWith(CHECKPOINT_NAME + "-")
            || f.getFileName().toString().equals("checkpoint"))) {
      for (Path f : files) {
        Files.delete(f);
        removed++;
      }
    }
    if (removed > 0) {
      out.println("Starting afresh: removed the earlier run's checkpoints (--resume continues a run instead)");
    }
  }

  /**
   * The mean loss over windows of the held-out text: consecutive windows, at most {@link #VALIDATION_WINDOWS}, spread
   * evenly over it.
   */
  static double validationLoss(Session session, CharLmModel model, int[] ids, int seqLength, int batchSize) {
    int available = (ids.length - 1) / seqLength;
    int windows = Math.min(available, VALIDATION_WINDOWS);
    double stride = (double) (ids.length - 1 - seqLength) / Math.max(1, windows - 1);
    double total = 0;
    for (int first = 0; first < windows; first += batchSize) {
      int n = Math.min(batchSize, windows - first);
      int[] starts = new int[n];
      for (int i = 0; i < n; i++) {
        starts[i] = (int) Math.round((first + i) * stride);
      }
      WindowBatches.Batch batch = WindowBatches.at(ids, starts, seqLength);
      Tensor loss = session.runner().feed(model.inputs, batch.inputs()).feed(model.targets, batch.targets())
          .fetch(model.loss).run().get(0);
      total += loss.getDouble(0) * n;
    }
    return total / windows;
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static String trimmed(double x) {
    return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }
}
