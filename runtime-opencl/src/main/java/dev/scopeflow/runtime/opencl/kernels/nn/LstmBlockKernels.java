package dev.scopeflow.runtime.opencl.kernels.nn;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.ops.defs.LstmBlockDefs;
import dev.scopeflow.runtime.opencl.DeviceTensor;
import dev.scopeflow.runtime.opencl.OpenClKernel;
import dev.scopeflow.runtime.opencl.OpenClKernelContext;
import dev.scopeflow.runtime.opencl.kernels.math.AddNKernel;

/**
 * OpenCL kernels of the fused LSTM gates ({@code lstm.cl}): {@code LSTMBlockGates} in one launch (one work item per
 * state element, the gate sum fused in) and {@code LSTMBlockGatesGrad} in one launch plus, with peepholes, one for
 * the weights' column sums. Everything stays on the device: no host round trip. float32, float64.
 */
public final class LstmBlockKernels {
  private LstmBlockKernels() {}

  /** {@code lstm.cl}. */
  static final String PROGRAM = "lstm";

  public static final OpenClKernel GATES = LstmBlockKernels::gates;

  public static final OpenClKernel GATES_GRAD = LstmBlockKernels::gatesGrad;

  private static void gates(OpenClKernelContext ctx) {
    DeviceTensor[] in = inputs(ctx, ctx.numInputs());
    LstmBlockDefs.Call call = LstmBlockDefs.checkGates(ctx, ctx.op(), in.length, k -> in[k].shape());
    int n = call.gateInputs();
    LstmBlockDefs.Attrs attrs = call.attrs();
    Shape state = Shape.of(call.batch(), call.cellSize());
    DeviceTensor[] outs = new DeviceTensor[7];
    for (int k = 0; k < 7; k++) {
      outs[k] = ctx.allocateOutput(k, state);
    }
    if (state.size() == 0) {
      return;
    }
    DType t = in[0].dtype();
    // Sums of more than two gate inputs: all but the last summed first, in order, so the result adds in the order
    // the CPU kernel does.
    DeviceTensor g0 = n > 2 ? sumInOrder(ctx, in, n - 1) : in[0];
    DeviceTensor g1 = n > 2 ? in[n - 1] : in[n == 2 ? 1 : 0];
    ctx.launch(ctx.kernel(PROGRAM, "lstm_gates", t), new long[] {call.cellSize(), call.batch()}, null,
        outs[0], outs[1], outs[2], outs[3], outs[4], outs[5], outs[6], g0, g1, n == 1 ? 1 : 2,
        in[n], in[n + 1], in[n + 2], in[n + 3], in[n + 4],
        OpenClKernelContext.scalar(t, attrs.forgetBias()), OpenClKernelContext.scalar(t, attrs.cellClip()),
        attrs.clips() ? 1 : 0, attrs.usePeephole() ? 1 : 0, (long) call.cellSize());
  }

  /** {@code in[0] + in[1] + ... + in[count - 1]} in a temporary, in order ({@link AddNKernel#sumInto}). */
  private static DeviceTensor sumInOrder(OpenClKernelContext ctx, DeviceTensor[] in, int count) {
    DeviceTensor sum = ctx.allocateTemporary(in[0].dtype(), in[0].shape());
    AddNKernel.sumInto(ctx, sum, in, count);
    return sum;
  }

  private static void gatesGrad(OpenClKernelContext ctx) {
    DeviceTensor[] in = inputs(ctx, LstmBlockDefs.GRAD_INPUTS);
    LstmBlockDefs.Call call = LstmBlockDefs.checkGatesGrad(ctx, ctx.op(), k -> in[k].shape());
    LstmBlockDefs.Attrs attrs = call.attrs();
    long batch = call.batch();
    long cells = call.cellSize();
    DeviceTensor csPrevGrad = ctx.allocateOutput(0, Shape.of(batch, cells));
    DeviceTensor dicfo = ctx.allocateOutput(1, Shape.of(batch, 4 * cells));
    DeviceTensor[] peepholeGrads = new DeviceTensor[3];
    for (int k = 0; k < 3; k++) {
      peepholeGrads[k] = ctx.allocateOutput(2 + k, Shape.of(cells));
    }
    DType t = in[0].dtype();
    ctx.launch(ctx.kernel(PROGRAM, "lstm_gates_grad", t), new long[] {cells, batch}, null,
        csPrevGrad, dicfo, in[0], in[1], in[2], in[3], in[4], in[6], in[7], in[8], in[9], in[10], in[11],
        OpenClKernelContext.scalar(t, attrs.cellClip()), attrs.clips() ? 1 : 0, attrs.usePeephole() ? 1 : 0, cells);
    if (attrs.usePeephole()) {
      // Also for an empty batch: the sums are then zeros.
      ctx.launch(ctx.kernel(PROGRAM, "lstm_peephole_grad", t), cells, peepholeGrads[0], peepholeGrads[1],
          peepholeGrads[2], dicfo, in[0], in[5], batch, cells);
    } else {
      for (DeviceTensor g : peepholeGrads) {
        ctx.fillZeros(g, 0, g.byteSize());
      }
    }
  }

  private static DeviceTensor[] inputs(OpenClKernelContext ctx, int count) {
    DeviceTensor[] in = new DeviceTensor[count];
    for (int k = 0; k < count; k++) {
      in[k] = ctx.input(k);
    }
    return in;
  }
}
