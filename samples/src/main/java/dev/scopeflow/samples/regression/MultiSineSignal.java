package dev.scopeflow.samples.regression;

import com.google.common.base.Preconditions;
import java.util.Random;

/**
 * The sequence-regression sample's data: each sequence is a sum of a few sines with their own random amplitudes,
 * frequencies and phases, observed with Gaussian noise. A model sees the noisy values one step at a time and predicts
 * the next noisy value; since the noise cannot be predicted, its variance is the lowest error any model can reach on
 * average (the noise floor).
 */
final class MultiSineSignal {
  /** Sines per sequence. */
  static final int SINES = 3;
  private static final double MIN_AMPLITUDE = 0.2;
  private static final double MAX_AMPLITUDE = 0.7;
  /** Frequencies in cycles per time step: periods between 5 and 20 steps. */
  private static final double MIN_FREQUENCY = 0.05;
  private static final double MAX_FREQUENCY = 0.2;

  /**
   * A batch of sequences of {@code length + 1} values each: the model reads values {@code 0 .. length-1} and predicts
   * values {@code 1 .. length}.
   *
   * @param noisy {@code [sequences][length + 1]}: what is observed
   * @param clean {@code [sequences][length + 1]}: the signal without noise (for the picture)
   */
  record Batch(float[][] noisy, float[][] clean) {
    int sequences() {
      return noisy.length;
    }

    /** Steps the model predicts per sequence. */
    int length() {
      return noisy[0].length - 1;
    }

    /** The model's input, {@code [sequences, length, 1]}: every value but the last. */
    float[][][] inputs() {
      float[][][] x = new float[sequences()][length()][1];
      for (int i = 0; i < sequences(); i++) {
        for (int t = 0; t < length(); t++) {
          x[i][t][0] = noisy[i][t];
        }
      }
      return x;
    }

    /** The targets, {@code [sequences, length]}: every value but the first. */
    float[][] targets() {
      float[][] y = new float[sequences()][length()];
      for (int i = 0; i < sequences(); i++) {
        System.arraycopy(noisy[i], 1, y[i], 0, length());
      }
      return y;
    }
  }

  private final double noise;

  /** @param noise the noise's standard deviation */
  MultiSineSignal(double noise) {
    Preconditions.checkArgument(noise >= 0 && Double.isFinite(noise), "noise %s", noise);
    this.noise = noise;
  }

  /** The noise floor: the noise's variance, the mean squared error of predicting the clean signal exactly. */
  double noiseFloor() {
    return noise * noise;
  }

  /** {@code sequences} fresh sequences of {@code length + 1} values. */
  Batch batch(int sequences, int length, Random random) {
    float[][] noisy = new float[sequences][length + 1];
    float[][] clean = new float[sequences][length + 1];
    for (int i = 0; i < sequences; i++) {
      double[] amplitude = new double[SINES];
      double[] frequency = new double[SINES];
      double[] phase = new double[SINES];
      for (int k = 0; k < SINES; k++) {
        amplitude[k] = MIN_AMPLITUDE + (MAX_AMPLITUDE - MIN_AMPLITUDE) * random.nextDouble();
        frequency[k] = MIN_FREQUENCY + (MAX_FREQUENCY - MIN_FREQUENCY) * random.nextDouble();
        phase[k] = 2 * Math.PI * random.nextDouble();
      }
      for (int t = 0; t <= length; t++) {
        double value = 0;
        for (int k = 0; k < SINES; k++) {
          value += amplitude[k] * Math.sin(2 * Math.PI * frequency[k] * t + phase[k]);
        }
        clean[i][t] = (float) value;
        noisy[i][t] = (float) (value + noise * random.nextGaussian());
      }
    }
    return new Batch(noisy, clean);
  }

  /**
   * The mean squared error of persistence, the naive forecast "the next value is the last one seen", over every
   * predicted step of {@code batch}.
   */
  static double persistenceMse(Batch batch) {
    double sum = 0;
    for (float[] row : batch.noisy()) {
      for (int t = 1; t < row.length; t++) {
        double error = row[t] - row[t - 1];
        sum += error * error;
      }
    }
    return sum / ((double) batch.sequences() * batch.length());
  }
}
