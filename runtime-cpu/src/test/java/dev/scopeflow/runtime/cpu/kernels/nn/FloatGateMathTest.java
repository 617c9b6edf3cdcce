package dev.scopeflow.runtime.cpu.kernels.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rational tanh and sigmoid of the fused LSTM gates against float64 {@link Math#tanh} and {@code exp}. */
class FloatGateMathTest {
  private static final double MAX_ABS_ERROR = 3.5e-7;

  @Test
  void tanhAndSigmoidStayWithinTheirErrorBoundOnASweepAndRandomInputs() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int n = 200_000;
    float[] x = new float[n];
    for (int k = 0; k < n; k++) {
      // a dense sweep over [-20, 20], then random values at every scale from 1e-30 to 1e6 of both signs
      x[k] = k < n / 2 ? -20f + 40f * k / (n / 2) : (float) ((random.nextBoolean() ? 1 : -1)
          * Math.pow(10, -30 + 36 * random.nextDouble()));
    }
    float[] t = new float[n];
    FloatGateMath.tanh(x, t, 0, n);
    float[] s = x.clone();
    FloatGateMath.sigmoidInPlace(s, 0, n);
    for (int k = 0; k < n; k++) {
      double exactTanh = Math.tanh(x[k]);
      double exactSigmoid = 1 / (1 + Math.exp(-(double) x[k]));
      int at = k;
      assertTrue(Math.abs(t[k] - exactTanh) <= MAX_ABS_ERROR,
          () -> "tanh(" + x[at] + ") = " + t[at] + ", exact " + exactTanh + " (seed " + seed + ")");
      assertTrue(Math.abs(s[k] - exactSigmoid) <= MAX_ABS_ERROR,
          () -> "sigmoid(" + x[at] + ") = " + s[at] + ", exact " + exactSigmoid + " (seed " + seed + ")");
      // odd and monotone enough to keep the sign; tiny inputs keep a relative error near float rounding
      assertEquals(Math.signum(x[k]), Math.signum(t[k]), () -> "sign of tanh(" + x[at] + ")");
      if (Math.abs(x[k]) < 1e-3) {
        assertTrue(Math.abs(t[k] - exactTanh) <= 1e-6 * Math.abs(exactTanh), () -> "tanh(" + x[at] + ") = " + t[at]);
      }
    }
  }

  @Test
  void specialValues() {
    float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MAX_VALUE, -Float.MAX_VALUE};
    float[] t = new float[x.length];
    FloatGateMath.tanh(x, t, 0, x.length);
    float[] s = x.clone();
    FloatGateMath.sigmoidInPlace(s, 0, x.length);
    assertTrue(Float.isNaN(t[0]));
    assertTrue(Float.isNaN(s[0]));
    assertEquals(1f, t[1], 1e-6f);
    assertEquals(-1f, t[2], 1e-6f);
    assertEquals(0f, t[3]);
    assertEquals(0.5f, s[3]);
    assertEquals(1f, s[1], 1e-6f);
    assertEquals(0f, s[2], 1e-6f);
    assertEquals(1f, t[5], 1e-6f);
    assertEquals(-1f, t[6], 1e-6f);
  }

  @Test
  void onlyTheGivenRunIsWritten() {
    float[] x = {3, 3, 3, 3, 3};
    FloatGateMath.sigmoidInPlace(x, 1, 3);
    assertEquals(3f, x[0]);
    assertEquals(3f, x[4]);
    assertEquals(1 / (1 + Math.exp(-3)), x[2], 3.5e-7);
  }
}
