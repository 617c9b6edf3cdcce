package dev.scopeflow.ops.grad;

import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.defs.LstmBlockDefs;
import dev.scopeflow.ops.defs.NnDefs;
import java.util.ArrayList;
import java.util.List;

/**
 * The gradient of the fused LSTM gates ({@code LSTMBlockGates}), after TF's {@code _LSTMBlockCellGrad} in
 * contrib/rnn/python/ops/lstm_ops.py: one {@code LSTMBlockGatesGrad} op does the element-wise backward step. Unlike
 * the other gradients it is a fused op rather than composed ops, because its point is speed; it is therefore not
 * differentiable again (as TF's).
 */
public final class LstmGradients {
  private LstmGradients() {}

  /**
   * {@code LSTMBlockGates}: only the gradients of {@code cs} (output 1) and {@code h} (output 6) are used, as in TF's
   * {@code _LSTMBlockCellGrad}; gradients arriving at the gate outputs {@code i, f, o, ci, co} are ignored (a graph
   * that uses them gets TF's answer, not the exact one). Every gate input gets {@code dicfo} (the gradient of their
   * sum), {@code b} gets {@code reduce_sum(dicfo, 0)}, {@code cs_prev} and the peephole weights get theirs (zeros
   * without peepholes). The clip is differentiated as the composed graph's {@code clip_by_value}.
   */
  public static List<Output> lstmBlockGates(Ops tf, Operation op, List<Output> grads) {
    int n = op.numInputs() - LstmBlockDefs.GATES_TRAILING_INPUTS;
    Output csPrev = op.input(n);
    Operation grad = tf.opBuilder(NnDefs.LSTM_BLOCK_GATES_GRAD, "LSTMBlockGatesGrad")
        .input(csPrev).input(op.input(n + 2)).input(op.input(n + 3)).input(op.input(n + 4))
        .input(op.output(0)).input(op.output(1)).input(op.output(2)).input(op.output(3))
        .input(op.output(4)).input(op.output(5))
        .input(grads.get(1)).input(grads.get(6))
        .attr("T", csPrev.dtype())
        .attr("use_peephole", op.attrBool("use_peephole"))
        .attr("cell_clip", op.attrDouble("cell_clip"))
        .build();
    Output dicfo = grad.output(1);
    List<Output> result = new ArrayList<>(op.numInputs());
    for (int k = 0; k < n; k++) {
      result.add(dicfo);
    }
    result.add(grad.output(0));
    result.add(tf.math.reduceSum(dicfo, 0));
    result.add(grad.output(2));
    result.add(grad.output(3));
    result.add(grad.output(4));
    return result;
  }
}
