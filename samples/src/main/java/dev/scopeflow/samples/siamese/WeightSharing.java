package dev.scopeflow.samples.siamese;

import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.samples.cli.CommonOptions;
import dev.scopeflow.samples.cli.Option;
import dev.scopeflow.samples.cli.Sample;
import dev.scopeflow.samples.cli.SampleContext;
import dev.scopeflow.samples.output.GraphPictures;
import dev.scopeflow.samples.output.Progress;
import dev.scopeflow.samples.output.TrainingLog;
import dev.scopeflow.train.AdamOptimizer;
import dev.scopeflow.train.Saver;
import dev.scopeflow.train.TrainingUtil;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The launcher's {@code weight-sharing} sample: a siamese similarity model ({@link SiameseModel}) whose towers share
 * one set of weights through {@code variable_scope("tower", reuse=AUTO_REUSE)} and a captured, re-entered scope. It
 * prints the trainable variables (one set) and the towers' ops (three name scopes reading the same kernels), trains
 * with Adam on pairs of points from random clusters ({@link ClusterPairs}), and reports the accuracy on pairs from
 * clusters it never saw against chance and against the plain input distance.
 */
public final class WeightSharing implements Sample {
  static final Option STEPS = Option.value("steps", "N", "1500", "training steps");
  static final Option BATCH_SIZE = Option.value("batch-size", "N", "64", "pairs per step");
  static final Option LEARNING_RATE = Option.value("learning-rate", "LR", "0.01", "Adam's learning rate");

  static final int HIDDEN_UNITS = 32;
  static final int EMBEDDING_DIM = 8;
  static final int TRAINING_CLUSTERS = 64;
  static final int HELD_OUT_CLUSTERS = 8;
  static final int TEST_PAIRS = 2000;
  /** Queries per held-out cluster in the one-shot test. */
  static final int ONE_SHOT_QUERIES = 50;

  @Override
  public String name() {
    return "weight-sharing";
  }

  @Override
  public String summary() {
    return "siamese similarity model: towers sharing weights through AUTO_REUSE and a captured variable scope";
  }

  @Override
  public List<Option> options() {
    return CommonOptions.withTraining(STEPS, BATCH_SIZE, LEARNING_RATE);
  }

  @Override
  public int run(SampleContext context) throws Exception {
    int steps = context.args().integer(STEPS.name(), 1);
    int batchSize = context.args().integer(BATCH_SIZE.name(), 2);
    double learningRate = context.args().number(LEARNING_RATE.name(), 0);
    long seed = context.seed();
    Path outDir = context.outputDir();
    PrintStream out = context.out();

    out.printf(Locale.ROOT, "weight-sharing: a siamese model learns whether two points come from the same cluster.%n");
    out.printf(Locale.ROOT, "Data: %d-d points; the clusters differ along %d hidden directions, noise along the other "
            + "%d; %d clusters for training, %d held out for testing.%n", ClusterPairs.INPUT_DIM,
        ClusterPairs.HIDDEN_DIM, ClusterPairs.INPUT_DIM - ClusterPairs.HIDDEN_DIM, TRAINING_CLUSTERS,
        HELD_OUT_CLUSTERS);
    out.printf(Locale.ROOT, "Model: tower = dense(%d, tanh) -> dense(%d); head = dense(1) on |e_left - e_right|; "
        + "logistic loss.%n", HIDDEN_UNITS, EMBEDDING_DIM);
    out.printf(Locale.ROOT, "Training: %d steps of %d pairs, Adam (learning rate %s), seed %d.%n", steps, batchSize,
        learningRate, seed);

    Graph graph = new Graph();
    graph.setSeed(seed);
    SiameseModel model = SiameseModel.build(graph, ClusterPairs.INPUT_DIM, HIDDEN_UNITS, EMBEDDING_DIM);
    Ops tf = Ops.create(graph);
    out.println();
    printVariables(tf.state.trainableVariables(), out);
    printTowerOps(graph, tf.state.trainableVariables(), out);
    List<Path> files = new ArrayList<>(GraphPictures.write(graph, outDir, "model", context.err()));

    Operand globalStep = TrainingUtil.getOrCreateGlobalStep(graph);
    Operation train = new AdamOptimizer(learningRate).minimize(model.loss, globalStep);
    Saver saver = Saver.builder(graph).maxToKeep(1).build();

    Random dataRandom = new Random(seed);
    ClusterPairs data = new ClusterPairs(dataRandom, TRAINING_CLUSTERS, HELD_OUT_CLUSTERS);
    ClusterPairs.Batch test = data.heldOutPairs(TEST_PAIRS, new Random(seed + 1));
    Random trainingRandom = new Random(seed + 2);

    TrainingLog log = new TrainingLog();
    try (Session session = context.openSession(graph)) {
      out.println();
      out.println("Running on " + SampleContext.describe(session));
      session.runTargets(tf.state.globalVariablesInitializer());
      double untrainedAccuracy = accuracy(session, model, test);
      Progress progress = new Progress(out, context.interactive(), 0, steps, Math.max(1, steps / 10), "pairs");
      for (int step = 1; step <= steps; step++) {
        ClusterPairs.Batch batch = data.trainingPairs(batchSize, trainingRandom);
        Tensor loss = session.runner().feed(model.left, Tensor.of(batch.left()))
            .feed(model.right, Tensor.of(batch.right())).feed(model.same, Tensor.vector(batch.same()))
            .fetch(model.loss).addTarget(train).run().get(0);
        log.add(step, loss.getDouble(0));
        progress.step(step, loss.getDouble(0), batchSize);
      }
      progress.finish();
      String checkpoint = saver.save(session, outDir.resolve("checkpoints").resolve("model.ckpt").toString(),
          globalStep);

      double accuracy = accuracy(session, model, test);
      double inputDistance = ClusterPairs.inputDistanceAccuracy(data.trainingPairs(TEST_PAIRS, new Random(seed + 3)),
          test);
      double oneShot = oneShotAccuracy(session, model, data, new Random(seed + 4));
      double towerDifference = largestTowerDifference(session, model, data, new Random(seed + 5));

      out.println();
      int recent = Math.max(1, steps / 20);
      out.println("Results:");
      out.printf(Locale.ROOT, "  pair accuracy on %d pairs from the %d clusters held out of training: %.1f%% "
              + "(untrained %.1f%%; chance 50%%; best threshold on the plain input distance %.1f%%)%n", TEST_PAIRS,
          HELD_OUT_CLUSTERS, 100 * accuracy, 100 * untrainedAccuracy, 100 * inputDistance);
      out.printf(Locale.ROOT, "  training loss %.4f (mean of the last %d steps; chance level ln 2 = %.4f)%n",
          log.recentMean(recent), recent, Math.log(2));
      out.printf(Locale.ROOT, "  one-shot: given one example of each held-out cluster, %.1f%% of new points are "
          + "nearest to their own cluster's example in the query tower's embedding (chance %.1f%%)%n", 100 * oneShot,
          100.0 / HELD_OUT_CLUSTERS);
      out.printf(Locale.ROOT, "  the same inputs through tower/, tower_1/ and tower_2/: largest embedding difference "
          + "%s (one set of weights)%n", towerDifference);

      files.add(log.writeCsv(outDir.resolve("loss.csv")));
      files.add(log.plot("weight-sharing: logistic loss of the pair score", "logistic loss")
          .reference("chance (ln 2)", Math.log(2)).writePng(outDir.resolve("loss.png")));
      files.add(Path.of(checkpoint + ".index"));
      files.add(Path.of(checkpoint + ".data-00000-of-00001"));
    }
    context.reportOutputs(files);
    return 0;
  }

  private static void printVariables(List<Variable> variables, PrintStream out) {
    out.println("Trainable variables: one set, shared by every tower:");
    int width = variables.stream().mapToInt(v -> v.name().length()).max().orElse(0);
    for (Variable v : variables) {
      out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", v.name(), v.shape());
    }
  }

  /**
   * Each tower's matrix products and the weights they read: different ops, the same variables. The op counts leave
   * out the variables' own ops (their initializers and reads), which live under the first tower's scope.
   */
  private static void printTowerOps(Graph graph, List<Variable> variables, PrintStream out) {
    out.println("The towers in the graph: computations under three name scopes, reading the same kernels:");
    for (String scope : SiameseModel.TOWER_NAME_SCOPES) {
      List<Operation> ops = graph.operations().stream().filter(op -> op.name().startsWith(scope))
          .filter(op -> variables.stream().noneMatch(v -> op.name().startsWith(v.op().name())))
          .toList();
      String products = ops.stream().filter(op -> op.type().equals("MatMul"))
          .map(op -> op.name() + "(" + op.inputs().stream().map(i -> i.op().name()).collect(Collectors.joining(", "))
              + ")")
          .collect(Collectors.joining(", "));
      out.printf(Locale.ROOT, "  %-9s %2d ops: %s%n", scope, ops.size(), products);
    }
  }

  /** Fraction of pairs where "logit above 0" agrees with the label. */
  static double accuracy(Session session, SiameseModel model, ClusterPairs.Batch pairs) {
    double[] logits = session.runner().feed(model.left, Tensor.of(pairs.left()))
        .feed(model.right, Tensor.of(pairs.right())).fetch(model.logits).run().get(0).asDoubles();
    int correct = 0;
    for (int i = 0; i < logits.length; i++) {
      if ((logits[i] > 0) == (pairs.same()[i] == 1f)) {
        correct++;
      }
    }
    return (double) correct / logits.length;
  }

  /**
   * One-shot classification of the held-out clusters: one example per cluster, then each query point takes the
   * cluster of the nearest example in the query tower's embedding.
   */
  private static double oneShotAccuracy(Session session, SiameseModel model, ClusterPairs data, Random random) {
    float[][] examples = new float[HELD_OUT_CLUSTERS][];
    float[][] queries = new float[HELD_OUT_CLUSTERS * ONE_SHOT_QUERIES][];
    for (int c = 0; c < HELD_OUT_CLUSTERS; c++) {
      examples[c] = data.point(TRAINING_CLUSTERS + c, random);
      for (int q = 0; q < ONE_SHOT_QUERIES; q++) {
        queries[c * ONE_SHOT_QUERIES + q] = data.point(TRAINING_CLUSTERS + c, random);
      }
    }
    float[][] exampleEmbeddings = embed(session, model.queryEmbedding, model.query, examples);
    float[][] queryEmbeddings = embed(session, model.queryEmbedding, model.query, queries);
    int correct = 0;
    for (int i = 0; i < queries.length; i++) {
      int nearest = 0;
      double best = Double.POSITIVE_INFINITY;
      for (int c = 0; c < HELD_OUT_CLUSTERS; c++) {
        double d = 0;
        for (int j = 0; j < EMBEDDING_DIM; j++) {
          double diff = queryEmbeddings[i][j] - exampleEmbeddings[c][j];
          d += diff * diff;
        }
        if (d < best) {
          best = d;
          nearest = c;
        }
      }
      if (nearest == i / ONE_SHOT_QUERIES) {
        correct++;
      }
    }
    return (double) correct / queries.length;
  }

  /** The largest absolute difference between the three towers' embeddings of the same points. */
  static double largestTowerDifference(Session session, SiameseModel model, ClusterPairs data, Random random) {
    float[][] points = new float[16][];
    for (int i = 0; i < points.length; i++) {
      points[i] = data.point(random.nextInt(TRAINING_CLUSTERS + HELD_OUT_CLUSTERS), random);
    }
    List<Tensor> embeddings = session.runner().feed(model.left, Tensor.of(points)).feed(model.right, Tensor.of(points))
        .feed(model.query, Tensor.of(points)).fetch(model.leftEmbedding).fetch(model.rightEmbedding)
        .fetch(model.queryEmbedding).run();
    double[] left = embeddings.get(0).asDoubles();
    double largest = 0;
    for (Tensor other : embeddings.subList(1, 3)) {
      double[] values = other.asDoubles();
      for (int i = 0; i < left.length; i++) {
        largest = Math.max(largest, Math.abs(left[i] - values[i]));
      }
    }
    return largest;
  }

  private static float[][] embed(Session session, Output embedding, Output input, float[][] points) {
    double[] flat = session.runner().feed(input, Tensor.of(points)).fetch(embedding).run().get(0).asDoubles();
    int width = flat.length / points.length;
    float[][] rows = new float[points.length][width];
    for (int i = 0; i < points.length; i++) {
      for (int j = 0; j < width; j++) {
        rows[i][j] = (float) flat[i * width + j];
      }
    }
    return rows;
  }
}
