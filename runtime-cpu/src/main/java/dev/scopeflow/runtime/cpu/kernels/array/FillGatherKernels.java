package dev.scopeflow.runtime.cpu.kernels.array;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.defs.array.FillGatherRunChecks;
import dev.scopeflow.ops.defs.array.FillGatherRunChecks.GatherLayout;
import dev.scopeflow.ops.defs.array.FillGatherRunChecks.OneHotLayout;
import dev.scopeflow.ops.defs.array.FillGatherRunChecks.TileLayout;
import dev.scopeflow.ops.defs.array.HostIndices;
import dev.scopeflow.runtime.cpu.KernelContext;
import dev.scopeflow.runtime.cpu.KernelRegistry;
import java.util.Arrays;

/** CPU kernels of {@code Fill}, {@code ZerosLike}, {@code OnesLike}, {@code OneHot}, {@code GatherV2}, {@code Tile}. */
public final class FillGatherKernels {
  private FillGatherKernels() {}

  /** Registers this group's kernels. */
  public static void register(KernelRegistry registry) {
    registry.register("Fill", FillGatherKernels::fill);
    registry.register("ZerosLike", FillGatherKernels::zerosLike);
    registry.register("OnesLike", FillGatherKernels::onesLike);
    registry.register("OneHot", FillGatherKernels::oneHot);
    registry.register("GatherV2", FillGatherKernels::gather);
    registry.register("Tile", FillGatherKernels::tile);
  }

  private static void zerosLike(KernelContext ctx) {
    Tensor x = ctx.input(0);
    ctx.setOutput(0, Tensor.unsafeWrap(x.dtype(), x.shape(), ctx.allocate(x.dtype(), x.shape())));
  }

  static void fill(KernelContext ctx) {
    Tensor value = ctx.input(1);
    Shape shape = FillGatherRunChecks.fill(ctx, ctx.input(0), value.shape());
    Object out = ctx.allocate(value.dtype(), shape);
    fillArray(out, value.unsafeArray());
    ctx.setOutput(0, Tensor.unsafeWrap(value.dtype(), shape, out));
  }

  static void onesLike(KernelContext ctx) {
    Tensor x = ctx.input(0);
    Object out = ctx.allocate(x.dtype(), x.shape());
    fillArray(out, Tensor.fromDoubles(x.dtype(), Shape.scalar(), new double[] {1}).unsafeArray());
    ctx.setOutput(0, Tensor.unsafeWrap(x.dtype(), x.shape(), out));
  }

  /** Fills {@code out} with element 0 of {@code scalar} (an array of the same type). */
  private static void fillArray(Object out, Object scalar) {
    if (out instanceof float[]) {
      Arrays.fill((float[]) out, ((float[]) scalar)[0]);
    } else if (out instanceof double[]) {
      Arrays.fill((double[]) out, ((double[]) scalar)[0]);
    } else if (out instanceof int[]) {
      Arrays.fill((int[]) out, ((int[]) scalar)[0]);
    } else if (out instanceof long[]) {
      Arrays.fill((long[]) out, ((long[]) scalar)[0]);
    } else {
      Arrays.fill((boolean[]) out, ((boolean[]) scalar)[0]);
    }
  }

  static void oneHot(KernelContext ctx) {
    Tensor indices = ctx.input(0);
    Tensor on = ctx.input(2);
    Tensor off = ctx.input(3);
    OneHotLayout layout = FillGatherRunChecks.oneHot(ctx, ctx.op(), indices.shape(), ctx.input(1), on.shape(),
        off.shape());
    long depth = layout.depth();
    Shape shape = layout.outShape();
    DType dtype = on.dtype();
    Object out = ctx.allocate(dtype, shape);
    fillArray(out, off.unsafeArray());
    int prefix = (int) layout.prefix();
    int suffix = (int) layout.suffix();
    long[] idx = HostIndices.longs(indices);
    Object onArray = on.unsafeArray();
    for (int p = 0; p < prefix; p++) {
      for (int s = 0; s < suffix; s++) {
        long i = idx[p * suffix + s];
        if (i >= 0 && i < depth) {
          // One element at a time: arraycopy of one element keeps this dtype-agnostic; one-hot outputs are small.
          System.arraycopy(onArray, 0, out, (int) ((p * depth + i) * suffix + s), 1);
        }
      }
    }
    ctx.setOutput(0, Tensor.unsafeWrap(dtype, shape, out));
  }

  static void gather(KernelContext ctx) {
    Tensor params = ctx.input(0);
    Tensor indices = ctx.input(1);
    GatherLayout layout = FillGatherRunChecks.gather(ctx, params.shape(), indices.shape(), ctx.input(2));
    int limit = (int) layout.limit();
    int n = indices.size();
    int[] idx = new int[n];
    if (indices.dtype() == DType.INT64) {
      long[] a = (long[]) indices.unsafeArray();
      for (int i = 0; i < n; i++) {
        if (a[i] < 0 || a[i] >= limit) {
          throw badIndex(ctx, indices, i, a[i], limit);
        }
        idx[i] = (int) a[i];
      }
    } else {
      int[] a = (int[]) indices.unsafeArray();
      for (int i = 0; i < n; i++) {
        if (a[i] < 0 || a[i] >= limit) {
          throw badIndex(ctx, indices, i, a[i], limit);
        }
      }
      idx = a;
    }
    Shape shape = layout.outShape();
    Object out = ctx.allocate(params.dtype(), shape);
    gatherRows(params.unsafeArray(), (int) layout.outer(), limit, (int) layout.inner(), idx, out);
    ctx.setOutput(0, Tensor.unsafeWrap(params.dtype(), shape, out));
  }

  /** {@code out[o][k][:] = in[o][idx[k]][:]} over rows of {@code inner} elements. */
  private static void gatherRows(Object in, int outer, int limit, int inner, int[] idx, Object out) {
    int n = idx.length;
    if (inner == 1 && in instanceof float[]) {
      // The common embedding-free case of gathering single floats: a plain loop beats one arraycopy per element.
      float[] src = (float[]) in;
      float[] dst = (float[]) out;
      for (int o = 0; o < outer; o++) {
        int srcBase = o * limit;
        int dstBase = o * n;
        for (int k = 0; k < n; k++) {
          dst[dstBase + k] = src[srcBase + idx[k]];
        }
      }
      return;
    }
    for (int o = 0; o < outer; o++) {
      int srcBase = o * limit * inner;
      int dstBase = o * n * inner;
      for (int k = 0; k < n; k++) {
        System.arraycopy(in, srcBase + idx[k] * inner, out, dstBase + k * inner, inner);
      }
    }
  }

  private static RuntimeException badIndex(KernelContext ctx, Tensor indices, int flat, long value, int limit) {
    return ctx.invalidArgument(FillGatherRunChecks.badIndex(indices.shape().dims(), flat, value, limit));
  }

  static void tile(KernelContext ctx) {
    Tensor input = ctx.input(0);
    int[] dims = input.shape().intDims();
    TileLayout layout = FillGatherRunChecks.tile(ctx, input.shape().dims(), ctx.input(1));
    if (layout.identity()) {
      ctx.setOutput(0, input);
      return;
    }
    long[] multiples = layout.multiples();
    long[] outSizes = layout.outDims();
    boolean empty = false;
    for (long size : outSizes) {
      empty |= size == 0;
    }
    Shape shape = Shape.of(outSizes);
    Object out = ctx.allocate(input.dtype(), shape);
    int[] outDims = shape.intDims();
    if (!empty) {
      int[] inStrides = IndexValues.strides(dims);
      int[] outBlocks = IndexValues.strides(outDims);
      tileInto(input.unsafeArray(), dims, multiples, inStrides, outBlocks, 0, 0, 0, out);
    }
    ctx.setOutput(0, Tensor.unsafeWrap(input.dtype(), shape, out));
  }

  /**
   * Writes the tiled block of dimension {@code d} at {@code outOffset}: the input's rows are copied once, then each
   * block is replicated {@code multiples[d]} times by doubling copies within the output.
   */
  private static void tileInto(Object in, int[] dims, long[] multiples, int[] inStrides, int[] outBlocks, int d,
      int inOffset, int outOffset, Object out) {
    if (dims.length == 0) {
      System.arraycopy(in, 0, out, 0, 1);
      return;
    }
    int block;
    if (d == dims.length - 1) {
      block = dims[d];
      System.arraycopy(in, inOffset, out, outOffset, block);
    } else {
      int sub = outBlocks[d];
      for (int i = 0; i < dims[d]; i++) {
        tileInto(in, dims, multiples, inStrides, outBlocks, d + 1, inOffset + i * inStrides[d],
            outOffset + i * sub, out);
      }
      block = dims[d] * sub;
    }
    ArrayCopy.replicate(out, outOffset, block, (int) (block * multiples[d]));
  }
}
