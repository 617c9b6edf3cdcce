package dev.scopeflow.runtime.opencl.kernels.math;

import dev.scopeflow.graph.DType;
import dev.scopeflow.runtime.opencl.DeviceTensor;
import dev.scopeflow.runtime.opencl.OpenClKernel;
import dev.scopeflow.runtime.opencl.OpenClKernelContext;
import dev.scopeflow.runtime.opencl.kernels.control.TensorListKernels;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code AddN}: the sum of N tensors of one shape, accumulated in the input dtype in input order as TF and the CPU
 * runtime do. One launch of {@code add_n} sums up to {@value #PER_LAUNCH} inputs per element (each input read once);
 * more inputs take further launches that add to the running sum. A single input is aliased, not copied.
 */
public final class AddNKernel implements OpenClKernel {
  private static final int PER_LAUNCH = 8;
  private static final Set<DType> DTYPES = EnumSet.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64);

  @Override
  public void enqueue(OpenClKernelContext ctx) {
    if (ctx.op().input(0).dtype() == DType.VARIANT) {
      TensorListKernels.addN(ctx); // AddN of tensor lists (gradients of lists)
      return;
    }
    DeviceTensor first = ctx.input(0);
    int count = ctx.numInputs();
    for (int i = 1; i < count; i++) {
      DeviceTensor in = ctx.input(i);
      if (!in.shape().equals(first.shape())) {
        throw ctx.invalidArgument("Inputs to operation " + ctx.op().name() + " of type " + ctx.op().type()
            + " must have the same size and shape.  Input 0: " + first.shape().toRuntimeString() + " != input " + i
            + ": " + in.shape().toRuntimeString());
      }
    }
    if (!DTYPES.contains(first.dtype())) {
      throw ctx.invalidArgument("No AddN kernel for dtype " + first.dtype());
    }
    if (count == 1) {
      ctx.setOutput(0, first);
      return;
    }
    DeviceTensor[] inputs = new DeviceTensor[count];
    for (int i = 0; i < count; i++) {
      inputs[i] = ctx.input(i);
    }
    sumInto(ctx, ctx.allocateOutput(0, first.shape()), inputs, count);
  }

  /**
   * {@code out = in[0] + ... + in[count - 1]} in input order with math.cl's {@code add_n}, {@value #PER_LAUNCH} inputs
   * a launch; the inputs have {@code out}'s dtype and shape. Also used by kernels that sum gate inputs.
   */
  public static void sumInto(OpenClKernelContext ctx, DeviceTensor out, DeviceTensor[] in, int count) {
    long n = out.size();
    if (n == 0) {
      return;
    }
    for (int start = 0; start < count; start += PER_LAUNCH) {
      int k = Math.min(PER_LAUNCH, count - start);
      Object[] args = new Object[4 + PER_LAUNCH];
      args[0] = out;
      args[1] = start > 0 ? 1 : 0;
      args[2] = k;
      args[3] = n;
      for (int j = 0; j < PER_LAUNCH; j++) {
        args[4 + j] = in[start + (j < k ? j : 0)];
      }
      ctx.launch(ctx.kernel(BinaryKernel.PROGRAM, "add_n", out.dtype()), n, args);
    }
  }
}
