package dev.scopeflow.samples.siamese;

import com.google.common.base.Preconditions;
import java.util.Random;

/**
 * The weight-sharing sample's data: points of random clusters that differ only along a few hidden directions of the
 * input space, buried under larger noise along all the other directions, and pairs of such points labelled 1 when
 * both come from the same cluster. Plain distances between inputs are dominated by the noise, so telling pairs apart
 * needs a learned embedding that keeps the hidden directions and drops the rest.
 *
 * <p>Clusters {@code 0 .. trainingClusters-1} are for training; the others are held out, so the test pairs come from
 * clusters the model never saw (what a similarity model is for: comparing things it was not trained to classify).
 */
final class ClusterPairs {
  /** Input width. */
  static final int INPUT_DIM = 16;
  /** How many input directions tell the clusters apart. */
  static final int HIDDEN_DIM = 4;
  /** Spread of the cluster centres along the hidden directions. */
  private static final double CENTRE_SPREAD = 1.5;
  /** Spread of a cluster's points around its centre along the hidden directions. */
  private static final double CLUSTER_SPREAD = 0.35;
  /** Spread of every point along the other (nuisance) directions. */
  private static final double NUISANCE_SPREAD = 1.5;

  /** A batch of pairs: row {@code i} of {@code left} and of {@code right}, label {@code same[i]} (1 or 0). */
  record Batch(float[][] left, float[][] right, float[] same) {
    int size() {
      return same.length;
    }
  }

  private final int trainingClusters;
  private final double[][] centres;
  /** A random rotation: column j is the input direction of latent coordinate j. */
  private final double[][] rotation;

  /**
   * @param random draws the cluster centres and the rotation that hides the informative directions
   * @param trainingClusters clusters used for training pairs
   * @param heldOutClusters clusters used only for test pairs
   */
  ClusterPairs(Random random, int trainingClusters, int heldOutClusters) {
    Preconditions.checkArgument(trainingClusters >= 2 && heldOutClusters >= 2, "clusters %s, %s", trainingClusters,
        heldOutClusters);
    this.trainingClusters = trainingClusters;
    this.centres = new double[trainingClusters + heldOutClusters][HIDDEN_DIM];
    for (double[] c : centres) {
      for (int j = 0; j < HIDDEN_DIM; j++) {
        c[j] = CENTRE_SPREAD * random.nextGaussian();
      }
    }
    this.rotation = randomRotation(random, INPUT_DIM);
  }

  /** {@code count} training pairs, half of them from one cluster. */
  Batch trainingPairs(int count, Random random) {
    return pairs(count, random, 0, trainingClusters);
  }

  /** {@code count} pairs from the held-out clusters, half of them from one cluster. */
  Batch heldOutPairs(int count, Random random) {
    return pairs(count, random, trainingClusters, centres.length);
  }

  /** A fresh point of cluster {@code cluster}. */
  float[] point(int cluster, Random random) {
    return point(centres[cluster], random);
  }

  private Batch pairs(int count, Random random, int fromCluster, int toCluster) {
    float[][] left = new float[count][];
    float[][] right = new float[count][];
    float[] same = new float[count];
    int clusters = toCluster - fromCluster;
    for (int i = 0; i < count; i++) {
      int a = fromCluster + random.nextInt(clusters);
      int b = a;
      // Alternate same/different so every batch is balanced: always answering one way scores 50%.
      if (i % 2 == 1) {
        b = fromCluster + (a - fromCluster + 1 + random.nextInt(clusters - 1)) % clusters;
      }
      left[i] = point(centres[a], random);
      right[i] = point(centres[b], random);
      same[i] = a == b ? 1f : 0f;
    }
    return new Batch(left, right, same);
  }

  private float[] point(double[] centre, Random random) {
    double[] latent = new double[INPUT_DIM];
    for (int j = 0; j < INPUT_DIM; j++) {
      latent[j] = j < HIDDEN_DIM ? centre[j] + CLUSTER_SPREAD * random.nextGaussian()
          : NUISANCE_SPREAD * random.nextGaussian();
    }
    float[] x = new float[INPUT_DIM];
    for (int i = 0; i < INPUT_DIM; i++) {
      double sum = 0;
      for (int j = 0; j < INPUT_DIM; j++) {
        sum += rotation[i][j] * latent[j];
      }
      x[i] = (float) sum;
    }
    return x;
  }

  /** An orthonormal matrix: Gram-Schmidt on Gaussian columns, so no input axis lines up with a hidden direction. */
  private static double[][] randomRotation(Random random, int n) {
    double[][] q = new double[n][n];
    for (int col = 0; col < n; col++) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = random.nextGaussian();
      }
      for (int prev = 0; prev < col; prev++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += v[i] * q[i][prev];
        }
        for (int i = 0; i < n; i++) {
          v[i] -= dot * q[i][prev];
        }
      }
      double norm = 0;
      for (double d : v) {
        norm += d * d;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < n; i++) {
        q[i][col] = v[i] / norm;
      }
    }
    return q;
  }

  /**
   * The accuracy of the best threshold on the plain input distance: fitted on {@code fit}, measured on {@code test}.
   * What a similarity without learning achieves on this data.
   */
  static double inputDistanceAccuracy(Batch fit, Batch test) {
    double[] fitDistances = distances(fit);
    double bestThreshold = 0;
    double bestAccuracy = -1;
    for (double threshold : fitDistances) {
      double accuracy = accuracy(fitDistances, fit.same(), threshold);
      if (accuracy > bestAccuracy) {
        bestAccuracy = accuracy;
        bestThreshold = threshold;
      }
    }
    return accuracy(distances(test), test.same(), bestThreshold);
  }

  private static double[] distances(Batch batch) {
    double[] d = new double[batch.size()];
    for (int i = 0; i < d.length; i++) {
      double sum = 0;
      for (int j = 0; j < batch.left()[i].length; j++) {
        double diff = batch.left()[i][j] - batch.right()[i][j];
        sum += diff * diff;
      }
      d[i] = Math.sqrt(sum);
    }
    return d;
  }

  /** Fraction of pairs where "distance at most threshold" agrees with the label. */
  private static double accuracy(double[] distances, float[] same, double threshold) {
    int correct = 0;
    for (int i = 0; i < distances.length; i++) {
      boolean predictSame = distances[i] <= threshold;
      if (predictSame == (same[i] == 1f)) {
        correct++;
      }
    }
    return (double) correct / distances.length;
  }
}
