package dev.scopeflow.samples.regression;

import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.samples.cli.CommonOptions;
import dev.scopeflow.samples.cli.Option;
import dev.scopeflow.samples.cli.Sample;
import dev.scopeflow.samples.cli.SampleContext;
import dev.scopeflow.samples.cli.UsageException;
import dev.scopeflow.samples.output.GraphPictures;
import dev.scopeflow.samples.output.LossPlot;
import dev.scopeflow.samples.output.Progress;
import dev.scopeflow.samples.output.TrainingLog;
import dev.scopeflow.samples.training.ClippedAdam;
import dev.scopeflow.train.Saver;
import dev.scopeflow.train.TrainingUtil;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The launcher's {@code sequence-regression} sample: an {@code LSTMCell} with peepholes and a projection layer
 * ({@link NextValueModel}) learns to predict the next value of noisy multi-sine signals ({@link MultiSineSignal}),
 * trained with Adam on gradients clipped by global norm. It reports the test error against persistence (the naive
 * forecast "the next value is the last one") and the noise floor, and draws one test sequence with its predictions.
 */
public final class SequenceRegression implements Sample {
  static final Option STEPS = Option.value("steps", "N", "800", "training steps");
  static final Option BATCH_SIZE = Option.value("batch-size", "N", "32", "sequences per step");
  static final Option SEQ_LENGTH = Option.value("seq-length", "N", "40", "time steps per sequence");
  static final Option UNITS = Option.value("units", "N", "32", "LSTM cell units");
  static final Option NUM_PROJ = Option.value("num-proj", "N", "16", "size of the LSTM's projected output");
  static final Option NOISE = Option.value("noise", "SIGMA", "0.1", "standard deviation of the observation noise");
  static final Option LEARNING_RATE = Option.value("learning-rate", "LR", "0.01", "Adam's learning rate");

  /** Gradients are rescaled when their global norm exceeds this (an early exploding step would undo training). */
  static final double CLIP_NORM = 5.0;
  static final int TEST_SEQUENCES = 256;

  @Override
  public String name() {
    return "sequence-regression";
  }

  @Override
  public String summary() {
    return "LSTMCell with peepholes and projection predicts the next value of noisy multi-sine signals";
  }

  @Override
  public List<Option> options() {
    return CommonOptions.withTraining(STEPS, BATCH_SIZE, SEQ_LENGTH, UNITS, NUM_PROJ, NOISE,
        LEARNING_RATE);
  }

  @Override
  public int run(SampleContext context) throws Exception {
    int steps = context.args().integer(STEPS.name(), 1);
    int batchSize = context.args().integer(BATCH_SIZE.name(), 1);
    int length = context.args().integer(SEQ_LENGTH.name(), 2);
    int units = context.args().integer(UNITS.name(), 1);
    int numProj = context.args().integer(NUM_PROJ.name(), 1);
    double noise = context.args().number(NOISE.name(), Double.NEGATIVE_INFINITY);
    if (noise < 0 || noise > 10) {
      throw new UsageException("--noise must be from 0 to 10 (the signal's amplitude is about 1), got " + noise);
    }
    double learningRate = context.args().number(LEARNING_RATE.name(), 0);
    long seed = context.seed();
    Path outDir = context.outputDir();
    PrintStream out = context.out();

    out.println("sequence-regression: an LSTM learns to predict the next value of a noisy signal.");
    out.printf(Locale.ROOT, "Data: each sequence is a sum of %d sines (random amplitude, frequency, phase) plus "
        + "Gaussian noise (sigma %s); %d steps per sequence.%n", MultiSineSignal.SINES, noise, length);
    out.printf(Locale.ROOT, "Model: LSTMCell(%d units, peepholes, cell clip %s, projection to %d) under dynamic_rnn, "
        + "linear readout; mean squared error.%n", units, NextValueModel.CELL_CLIP, numProj);
    out.printf(Locale.ROOT, "Training: %d steps of %d sequences, Adam (learning rate %s), gradients clipped to global "
        + "norm %s, seed %d.%n", steps, batchSize, learningRate, CLIP_NORM, seed);

    Graph graph = new Graph();
    graph.setSeed(seed);
    NextValueModel model = NextValueModel.build(graph, units, numProj);
    Ops tf = Ops.create(graph);
    out.println();
    out.println("Trainable variables:");
    for (Variable v : tf.state.trainableVariables()) {
      out.printf(Locale.ROOT, "  %-44s %s%n", v.name(), v.shape());
    }
    List<Path> files = new ArrayList<>(GraphPictures.write(graph, outDir, "model", context.err()));

    Operand globalStep = TrainingUtil.getOrCreateGlobalStep(graph);
    Operation train = ClippedAdam.minimize(graph, model.loss, learningRate, CLIP_NORM, globalStep);
    Saver saver = Saver.builder(graph).maxToKeep(1).build();

    MultiSineSignal signal = new MultiSineSignal(noise);
    MultiSineSignal.Batch test = signal.batch(TEST_SEQUENCES, length, new Random(seed));
    double naiveMse = MultiSineSignal.persistenceMse(test);
    Random trainingRandom = new Random(seed + 1);

    TrainingLog log = new TrainingLog();
    try (Session session = context.openSession(graph)) {
      out.println();
      out.println("Running on " + SampleContext.describe(session));
      session.runTargets(tf.state.globalVariablesInitializer());
      Progress progress = new Progress(out, context.interactive(), 0, steps, Math.max(1, steps / 10), "seq");
      for (int step = 1; step <= steps; step++) {
        MultiSineSignal.Batch batch = signal.batch(batchSize, length, trainingRandom);
        double loss = session.runner().feed(model.inputs, Tensor.of(batch.inputs()))
            .feed(model.targets, Tensor.of(batch.targets())).fetch(model.loss).addTarget(train).run().get(0)
            .getDouble(0);
        log.add(step, loss);
        progress.step(step, loss, batchSize);
      }
      progress.finish();
      String checkpoint = saver.save(session, outDir.resolve("checkpoints").resolve("model.ckpt").toString(),
          globalStep);

      Tensor predictions = session.runner().feed(model.inputs, Tensor.of(test.inputs())).fetch(model.predictions)
          .run().get(0);
      double mse = mse(predictions.asDoubles(), test);

      out.println();
      out.printf(Locale.ROOT, "Results on %d test sequences (%d predicted steps each):%n", TEST_SEQUENCES, length);
      out.printf(Locale.ROOT, "  LSTM test MSE %.4f vs naive %.4f (%s); noise floor %.4f%n", mse, naiveMse,
          comparison(mse, naiveMse), signal.noiseFloor());
      out.println("  (naive = persistence, \"the next value is the last one seen\"; the noise floor, the noise's "
          + "variance, is the error of a perfect prediction of the clean signal)");

      files.add(log.writeCsv(outDir.resolve("loss.csv")));
      files.add(log.plot("sequence-regression: training MSE of the next-value prediction", "mean squared error")
          .reference(String.format(Locale.ROOT, "naive forecast (%.3f)", naiveMse), naiveMse)
          .reference(String.format(Locale.ROOT, "noise floor (%.3f)", signal.noiseFloor()), signal.noiseFloor())
          .writePng(outDir.resolve("loss.png")));
      files.add(predictionPlot(test, predictions.asDoubles()).writePng(outDir.resolve("prediction.png")));
      files.add(Path.of(checkpoint + ".index"));
      files.add(Path.of(checkpoint + ".data-00000-of-00001"));
    }
    context.reportOutputs(files);
    return 0;
  }

  /** Mean squared error of {@code predictions} ({@code [sequences, length]} flattened) against the batch's targets. */
  static double mse(double[] predictions, MultiSineSignal.Batch batch) {
    float[][] targets = batch.targets();
    double sum = 0;
    int i = 0;
    for (float[] row : targets) {
      for (float target : row) {
        double error = predictions[i++] - target;
        sum += error * error;
      }
    }
    return sum / i;
  }

  private static String comparison(double mse, double naive) {
    return mse < naive ? String.format(Locale.ROOT, "%.1fx lower", naive / mse)
        : String.format(Locale.ROOT, "%.1fx higher: train longer", mse / naive);
  }

  /** The first test sequence: noisy input, clean signal, and the prediction of each next value at its time step. */
  private static LossPlot predictionPlot(MultiSineSignal.Batch test, double[] predictions) {
    int length = test.length();
    double[] time = new double[length + 1];
    double[] noisy = new double[length + 1];
    double[] clean = new double[length + 1];
    double[] predicted = new double[length + 1];
    for (int t = 0; t <= length; t++) {
      time[t] = t;
      noisy[t] = test.noisy()[0][t];
      clean[t] = test.clean()[0][t];
      // Nothing predicts value 0: the first prediction is for step 1.
      predicted[t] = t == 0 ? Double.NaN : predictions[t - 1];
    }
    return new LossPlot("sequence-regression: one test sequence and the LSTM's one-step predictions", "time step",
        "value")
        .series("noisy signal (the input)", time, noisy)
        .series("clean signal", time, clean)
        .series("LSTM prediction of the next value", time, predicted);
  }
}
