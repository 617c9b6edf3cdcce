package dev.scopeflow.runtime.cpu.kernels.nn;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.defs.LstmBlockDefs;
import dev.scopeflow.runtime.cpu.Kernel;
import dev.scopeflow.runtime.cpu.KernelContext;

/**
 * CPU kernels of the fused LSTM gates, {@code LSTMBlockGates} and {@code LSTMBlockGatesGrad}: passes over the
 * {@code [B, H]} elements row by row, reading the four gate columns of a row together, with the sum of the gate inputs
 * fused in and no temporaries besides the outputs. Large batches split their rows over the cores
 * ({@link ParallelRanges}).
 *
 * <p>The passes exist once, in {@code src/main/templates/.../LstmBlockPasses.java.template}, from which the build
 * generates {@code FloatLstmBlock} and {@code DoubleLstmBlock}. float32 sums and products follow the composed graph's
 * order of operations; its sigmoid and tanh are the rational approximation TensorFlow's own CPU kernels use
 * ({@link FloatGateMath}, within 3.5e-7 of the exact values), which runs as SIMD code. float64 uses {@link Math#tanh}
 * and {@code exp} ({@link DoubleGateMath}) and matches the composed graph exactly.
 */
public final class LstmBlockKernels {
  private LstmBlockKernels() {}

  /** Elements per task below which a pass is not split: forking costs about as much as this many gate updates. */
  static final int MIN_ELEMENTS_PER_TASK = 4096;

  public static final Kernel GATES = LstmBlockKernels::gates;

  public static final Kernel GATES_GRAD = LstmBlockKernels::gatesGrad;

  private static void gates(KernelContext ctx) {
    Tensor[] in = inputs(ctx, ctx.op().numInputs());
    LstmBlockDefs.Call call = LstmBlockDefs.checkGates(ctx, ctx.op(), in.length, k -> in[k].shape());
    int batch = call.batch();
    int cells = call.cellSize();
    DType t = in[0].dtype();
    Object[] outs = t == DType.FLOAT32
        ? FloatLstmBlock.forward(in, call.gateInputs(), call.attrs(), batch, cells, ctx)
        : DoubleLstmBlock.forward(in, call.gateInputs(), call.attrs(), batch, cells, ctx);
    Shape state = Shape.of(batch, cells);
    for (int k = 0; k < 7; k++) {
      ctx.setOutput(k, Tensor.unsafeWrap(t, state, outs[k]));
    }
  }

  private static void gatesGrad(KernelContext ctx) {
    Tensor[] in = inputs(ctx, LstmBlockDefs.GRAD_INPUTS);
    LstmBlockDefs.Call call = LstmBlockDefs.checkGatesGrad(ctx, ctx.op(), k -> in[k].shape());
    int batch = call.batch();
    int cells = call.cellSize();
    DType t = in[0].dtype();
    Object[] outs = t == DType.FLOAT32
        ? FloatLstmBlock.backward(in, call.attrs(), batch, cells, ctx)
        : DoubleLstmBlock.backward(in, call.attrs(), batch, cells, ctx);
    ctx.setOutput(0, Tensor.unsafeWrap(t, Shape.of(batch, cells), outs[0]));
    ctx.setOutput(1, Tensor.unsafeWrap(t, Shape.of(batch, 4L * cells), outs[1]));
    for (int k = 2; k < 5; k++) {
      ctx.setOutput(k, Tensor.unsafeWrap(t, Shape.of(cells), outs[k]));
    }
  }

  private static Tensor[] inputs(KernelContext ctx, int count) {
    Tensor[] in = new Tensor[count];
    for (int k = 0; k < count; k++) {
      in[k] = ctx.input(k);
    }
    return in;
  }
}
