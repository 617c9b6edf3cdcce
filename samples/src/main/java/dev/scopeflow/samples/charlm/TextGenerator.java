package dev.scopeflow.samples.charlm;

import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.rnn.LSTMStateTuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes text with a trained model one character at a time: the network reads the prime text, then each sampled
 * character is fed back in, the LSTM state carried from step to step in Java. Sampling divides the logits by the
 * temperature (below 1: safer, more repetitive; above 1: wilder) and draws from the softmax with a seeded
 * {@link Random}, so a seed gives the same text.
 */
final class TextGenerator {
  private final Session session;
  private final CharLmModel.Sampler sampler;
  private final Vocabulary vocabulary;
  private final int hidden;

  TextGenerator(Session session, CharLmModel.Sampler sampler, Vocabulary vocabulary, int hidden) {
    this.session = session;
    this.sampler = sampler;
    this.vocabulary = vocabulary;
    this.hidden = hidden;
  }

  /**
   * {@code count} characters following {@code prime} (which must be non-empty and use only vocabulary characters).
   */
  String generate(int[] prime, int count, double temperature, Random random) {
    List<Tensor[]> state = new ArrayList<>();
    for (int i = 0; i < sampler.stateIn().size(); i++) {
      Tensor zeros = Tensor.create(Shape.of(1, hidden), new float[hidden]);
      state.add(new Tensor[] {zeros, zeros});
    }
    float[] logits = null;
    for (int cp : prime) {
      logits = step(vocabulary.id(cp), state);
    }
    StringBuilder out = new StringBuilder();
    for (int n = 0; n < count; n++) {
      int id = sample(logits, temperature, random);
      out.appendCodePoint(vocabulary.codePoint(id));
      if (n + 1 < count) {
        logits = step(id, state);
      }
    }
    return out.toString();
  }

  /** Feeds one character with the current state; updates the state and returns the next character's logits. */
  private float[] step(int id, List<Tensor[]> state) {
    var runner = session.runner().feed(sampler.input(), Tensor.create(Shape.of(1, 1), new int[] {id}))
        .fetch(sampler.logits());
    for (int i = 0; i < state.size(); i++) {
      LSTMStateTuple<Output> in = sampler.stateIn().get(i);
      runner.feed(in.c(), state.get(i)[0]).feed(in.h(), state.get(i)[1]);
      LSTMStateTuple<Output> out = sampler.stateOut().get(i);
      runner.fetch(out.c()).fetch(out.h());
    }
    List<Tensor> r = runner.run();
    for (int i = 0; i < state.size(); i++) {
      state.get(i)[0] = r.get(1 + 2 * i);
      state.get(i)[1] = r.get(2 + 2 * i);
    }
    return r.get(0).toFloatArray();
  }

  /** Draws an id from softmax(logits / temperature). */
  static int sample(float[] logits, double temperature, Random random) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      p[i] = Math.exp((logits[i] - max) / temperature);
      sum += p[i];
    }
    double u = random.nextDouble() * sum;
    for (int i = 0; i < p.length; i++) {
      u -= p[i];
      if (u < 0) {
        return i;
      }
    }
    return p.length - 1;
  }
}
