package dev.scopeflow.runtime.cpu.kernels;

import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.defs.NnRunChecks;
import dev.scopeflow.runtime.cpu.KernelContext;
import dev.scopeflow.runtime.cpu.KernelFamily;
import dev.scopeflow.runtime.cpu.KernelRegistry;
import dev.scopeflow.runtime.cpu.kernels.nn.Activations;
import dev.scopeflow.runtime.cpu.kernels.nn.CrossEntropyKernels;
import dev.scopeflow.runtime.cpu.kernels.nn.LstmBlockKernels;
import dev.scopeflow.runtime.cpu.kernels.nn.SoftmaxKernel;

/**
 * CPU kernels of the nn op family: activations, BiasAdd, Softmax/LogSoftmax, the cross-entropies, L2Loss and the
 * fused LSTM gates.
 */
public final class NnKernels implements KernelFamily {
  @Override
  public void register(KernelRegistry registry) {
    registry.register("Sigmoid", Activations.SIGMOID);
    registry.register("Tanh", Activations.TANH);
    registry.register("Relu", Activations.RELU);
    registry.register("Relu6", Activations.RELU6);
    registry.register("Elu", Activations.ELU);
    registry.register("Selu", Activations.SELU);
    registry.register("Softplus", Activations.SOFTPLUS);
    registry.register("Softsign", Activations.SOFTSIGN);
    registry.register("BiasAdd", NnKernels::biasAdd);
    registry.register("Softmax", SoftmaxKernel.SOFTMAX);
    registry.register("LogSoftmax", SoftmaxKernel.LOG_SOFTMAX);
    registry.register("SoftmaxCrossEntropyWithLogits", CrossEntropyKernels.DENSE);
    registry.register("SparseSoftmaxCrossEntropyWithLogits", CrossEntropyKernels.SPARSE);
    registry.register("L2Loss", NnKernels::l2Loss);
    registry.register("LSTMBlockGates", LstmBlockKernels.GATES);
    registry.register("LSTMBlockGatesGrad", LstmBlockKernels.GATES_GRAD);
  }

  /** {@code value + bias}, the bias repeated along every row of the last dimension (NHWC). */
  private static void biasAdd(KernelContext ctx) {
    Tensor value = ctx.input(0);
    Tensor bias = ctx.input(1);
    Shape vs = value.shape();
    Shape bs = bias.shape();
    NnRunChecks.checkBiasAdd(ctx, vs, bs);
    int c = Math.toIntExact(bs.size(0));
    Object out;
    switch (value.dtype()) {
      case FLOAT32: {
        float[] v = (float[]) value.unsafeArray();
        float[] b = (float[]) bias.unsafeArray();
        float[] y = (float[]) ctx.allocateForOverwrite(value.dtype(), vs);
        for (int row = 0; row < v.length; row += c) {
          for (int j = 0; j < c; j++) {
            y[row + j] = v[row + j] + b[j];
          }
        }
        out = y;
        break;
      }
      case FLOAT64: {
        double[] v = (double[]) value.unsafeArray();
        double[] b = (double[]) bias.unsafeArray();
        double[] y = (double[]) ctx.allocateForOverwrite(value.dtype(), vs);
        for (int row = 0; row < v.length; row += c) {
          for (int j = 0; j < c; j++) {
            y[row + j] = v[row + j] + b[j];
          }
        }
        out = y;
        break;
      }
      case INT32: {
        int[] v = (int[]) value.unsafeArray();
        int[] b = (int[]) bias.unsafeArray();
        int[] y = (int[]) ctx.allocateForOverwrite(value.dtype(), vs);
        for (int row = 0; row < v.length; row += c) {
          for (int j = 0; j < c; j++) {
            y[row + j] = v[row + j] + b[j];
          }
        }
        out = y;
        break;
      }
      case INT64: {
        long[] v = (long[]) value.unsafeArray();
        long[] b = (long[]) bias.unsafeArray();
        long[] y = (long[]) ctx.allocateForOverwrite(value.dtype(), vs);
        for (int row = 0; row < v.length; row += c) {
          for (int j = 0; j < c; j++) {
            y[row + j] = v[row + j] + b[j];
          }
        }
        out = y;
        break;
      }
      default:
        throw ctx.invalidArgument("BiasAdd has no CPU kernel for dtype " + value.dtype());
    }
    ctx.setOutput(0, Tensor.unsafeWrap(value.dtype(), vs, out));
  }

  /** {@code sum(t ** 2) / 2}, accumulated in double. */
  private static void l2Loss(KernelContext ctx) {
    Tensor t = ctx.input(0);
    double sum = 0;
    switch (t.dtype()) {
      case FLOAT32: {
        float[] x = (float[]) t.unsafeArray();
        for (float v : x) {
          sum += (double) v * v;
        }
        ctx.setOutput(0, Tensor.scalar((float) (sum / 2)));
        break;
      }
      case FLOAT64: {
        double[] x = (double[]) t.unsafeArray();
        for (double v : x) {
          sum += v * v;
        }
        ctx.setOutput(0, Tensor.scalar(sum / 2));
        break;
      }
      default:
        throw ctx.invalidArgument("L2Loss has no CPU kernel for dtype " + t.dtype());
    }
  }
}
