package dev.scopeflow.runtime.opencl.kernels;

import dev.scopeflow.runtime.opencl.OpenClKernelFamily;
import dev.scopeflow.runtime.opencl.OpenClKernelRegistry;
import dev.scopeflow.runtime.opencl.kernels.nn.BiasAddKernel;
import dev.scopeflow.runtime.opencl.kernels.nn.CrossEntropyKernels;
import dev.scopeflow.runtime.opencl.kernels.nn.L2LossKernel;
import dev.scopeflow.runtime.opencl.kernels.nn.LstmBlockKernels;
import dev.scopeflow.runtime.opencl.kernels.nn.SoftmaxKernel;

/**
 * OpenCL kernels of the nn family ({@code nn.cl}) apart from the activations: BiasAdd (float32, float64, int32,
 * int64), Softmax, LogSoftmax, SoftmaxCrossEntropyWithLogits, SparseSoftmaxCrossEntropyWithLogits (int32/int64
 * labels), L2Loss (float32, float64) and the fused LSTM gates LSTMBlockGates / LSTMBlockGatesGrad (float32, float64;
 * lstm.cl).
 */
public final class NnKernels implements OpenClKernelFamily {
  @Override
  public void register(OpenClKernelRegistry registry) {
    registry.register("BiasAdd", new BiasAddKernel());
    registry.register("Softmax", SoftmaxKernel.SOFTMAX);
    registry.register("LogSoftmax", SoftmaxKernel.LOG_SOFTMAX);
    registry.register("SoftmaxCrossEntropyWithLogits", CrossEntropyKernels.DENSE);
    registry.register("SparseSoftmaxCrossEntropyWithLogits", CrossEntropyKernels.SPARSE);
    registry.register("L2Loss", new L2LossKernel());
    registry.register("LSTMBlockGates", LstmBlockKernels.GATES);
    registry.register("LSTMBlockGatesGrad", LstmBlockKernels.GATES_GRAD);
  }
}
