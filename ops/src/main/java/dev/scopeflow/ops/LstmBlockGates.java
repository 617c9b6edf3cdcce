package dev.scopeflow.ops;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;

/**
 * The seven outputs of one {@code LSTMBlockGates} op ({@link NnOps#lstmBlockGates}), named as TF's
 * {@code lstm_block_cell} names them: the gates {@code i, f, o}, the candidate {@code ci}, the new cell state
 * {@code cs}, {@code co = tanh(cs)} and the new output {@code h}, each {@code [B, H]}.
 */
public final class LstmBlockGates {
  private final Operation op;

  LstmBlockGates(Operation op) {
    this.op = op;
  }

  /** The {@code LSTMBlockGates} op. */
  public Operation op() {
    return op;
  }

  /** The input gate {@code sigmoid(i-columns [+ wci * cs_prev])} (output 0). */
  public Output i() {
    return op.output(0);
  }

  /** The new cell state, clipped when {@code cell_clip > 0} (output 1). */
  public Output cs() {
    return op.output(1);
  }

  /** The forget gate {@code sigmoid(f-columns + forget_bias [+ wcf * cs_prev])} (output 2). */
  public Output f() {
    return op.output(2);
  }

  /** The output gate {@code sigmoid(o-columns [+ wco * cs])} (output 3). */
  public Output o() {
    return op.output(3);
  }

  /** The cell input (candidate) {@code tanh(j-columns)} (output 4). */
  public Output ci() {
    return op.output(4);
  }

  /** {@code tanh(cs)} (output 5). */
  public Output co() {
    return op.output(5);
  }

  /** The new output {@code co * o} (output 6). */
  public Output h() {
    return op.output(6);
  }

  /** Options of the gate math, with TF's defaults: {@code forget_bias 1.0}, no clip, no peepholes. */
  public static Options options() {
    return new Options();
  }

  /** The optional attributes of {@code LSTMBlockGates}: forget_bias, cell_clip and use_peephole. */
  public static final class Options {
    double forgetBias = 1.0;
    double cellClip = -1;
    boolean usePeephole;

    private Options() {}

    /** Added to the forget gate's pre-activation (default 1.0). */
    public Options forgetBias(double forgetBias) {
      Preconditions.checkArgument(Double.isFinite(forgetBias), "forgetBias must be finite: %s", forgetBias);
      this.forgetBias = forgetBias;
      return this;
    }

    /** The cell state is clipped to {@code [-cellClip, cellClip]} when {@code cellClip > 0}; -1 (default): no clip. */
    public Options cellClip(double cellClip) {
      Preconditions.checkArgument(!Double.isNaN(cellClip), "cellClip must not be NaN");
      this.cellClip = cellClip;
      return this;
    }

    /** Whether the peephole weights {@code wci, wcf, wco} are used (default false: they are ignored). */
    public Options usePeephole(boolean usePeephole) {
      this.usePeephole = usePeephole;
      return this;
    }
  }
}
