package dev.scopeflow.runtime.cpu.kernels.control;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.defs.ControlFlowRunChecks;
import dev.scopeflow.runtime.cpu.Kernel;
import dev.scopeflow.runtime.cpu.KernelContext;

/**
 * Kernels of the tensor-list ops over {@link TensorList} values, every data dtype. Run-time checks and their texts
 * are TF's, from {@link ControlFlowRunChecks}. Reading a set element returns that tensor itself; only
 * {@code TensorListFromTensor} (one copy per slice), {@code TensorListStack} (one copy into the result) and {@code
 * AddN} of lists (one sum per element set in both) make new data.
 */
public final class TensorListKernels {
  private TensorListKernels() {}

  /** {@code TensorListReserve}: {@code num_elements} unset elements of the requested element shape. */
  public static final class Reserve implements Kernel {
    @Override
    public void compute(KernelContext ctx) {
      int n = ControlFlowRunChecks.reserveLength(ctx, ctx.input(0));
      ctx.setOutput(0, TensorList.reserved(ctx.op().attrType("element_dtype"), requestedShape(ctx, 1), n));
    }
  }

  /** {@code EmptyTensorList}: no elements, at most {@code max_num_elements} of the requested element shape. */
  public static final class Empty implements Kernel {
    @Override
    public void compute(KernelContext ctx) {
      int max = ControlFlowRunChecks.maxNumElements(ctx, ctx.input(0));
      ctx.setOutput(0, TensorList.empty(ctx.op().attrType("element_dtype"), requestedShape(ctx, 1), max));
    }
  }

  /** {@code TensorListFromTensor}: the slices of the input along axis 0. */
  public static final class FromTensor implements Kernel {
    @Override
    public void compute(KernelContext ctx) {
      Tensor t = ctx.input(0);
      ControlFlowRunChecks.checkFromTensor(ctx, t.shape());
      Shape sliceShape = t.shape().rank() >= 1 ? t.shape().subShape(1, t.shape().rank()) : Shape.scalar();
      ctx.setOutput(0, TensorList.fromTensor(t, ctx.op().attrShape("element_shape"),
          (dtype, size) -> ctx.allocateForOverwrite(dtype, sliceShape)));
    }
  }

  /** {@code TensorListGetItem}: a set element as it is, an unset one as zeros of the list's element shape. */
  public static final class GetItem implements Kernel {
    @Override
    public void compute(KernelContext ctx) {
      TensorList list = listInput(ctx);
      int i = ControlFlowRunChecks.readIndex(ctx, ctx.input(1), list.length());
      Tensor item = list.get(i).orElse(null);
      ctx.setOutput(0, item != null ? item : unsetElement(ctx, list, 2));
    }
  }

  /** {@code TensorListSetItem}: a new list sharing every other element with the input. */
  public static final class SetItem implements Kernel {
    @Override
    public void compute(KernelContext ctx) {
      TensorList list = listInput(ctx);
      int i = ControlFlowRunChecks.writeIndex(ctx, ctx.input(1), list.length());
      Tensor item = ctx.input(2);
      ControlFlowRunChecks.checkItemShape(ctx, item.shape(), list.elementShape());
      ctx.setOutput(0, list.with(i, item));
    }
  }

  /** {@code TensorListStack}: every element along a new axis 0, unset ones as zeros. */
  public static final class Stack implements Kernel {
    @Override
    public void compute(KernelContext ctx) {
      TensorList list = listInput(ctx);
      ControlFlowRunChecks.checkStackLength(ctx, ctx.op().attrLong("num_elements"), list.length());
      Shape element = ControlFlowRunChecks.elementShape(ctx, list.elementShape(), requestedShape(ctx, 1),
          list.setShapes());
      Shape shape = Shape.of(list.length()).concatenate(element);
      Object out = ctx.allocate(list.elementDtype(), shape);
      list.stackInto(out, Math.toIntExact(element.size()));
      ctx.setOutput(0, Tensor.unsafeWrap(list.elementDtype(), shape, out));
    }
  }

  /** {@code TensorListLength}: the number of elements, set or not. */
  public static final class Length implements Kernel {
    @Override
    public void compute(KernelContext ctx) {
      ctx.setOutput(0, Tensor.scalar(ctx.variantInput(0, TensorList.class).length()));
    }
  }

  /** {@code TensorListPushBack}: a new list with the tensor appended, sharing every element of the input. */
  public static final class PushBack implements Kernel {
    @Override
    public void compute(KernelContext ctx) {
      TensorList list = ctx.variantInput(0, TensorList.class);
      Tensor item = ctx.input(1);
      ControlFlowRunChecks.checkPushBack(ctx, item.shape(), list.elementShape(), ctx.op().attrType("element_dtype"),
          list.elementDtype(), list.length(), list.maxNumElements());
      ctx.setOutput(0, list.pushBack(item));
    }
  }

  /** {@code TensorListPopBack}: the list without its last element, and that element (zeros if unset). */
  public static final class PopBack implements Kernel {
    @Override
    public void compute(KernelContext ctx) {
      TensorList list = listInput(ctx);
      ControlFlowRunChecks.checkPopBack(ctx, list.length());
      Tensor last = list.get(list.length() - 1).orElse(null);
      ctx.setOutput(1, last != null ? last : unsetElement(ctx, list, 1));
      ctx.setOutput(0, list.popBack());
    }
  }

  /** {@code TensorListElementShape}: the list's element shape, computed on the host. */
  public static final class ElementShape implements Kernel {
    @Override
    public void compute(KernelContext ctx) {
      ctx.setOutput(0, ControlFlowRunChecks.elementShapeTensor(ctx.variantInput(0, TensorList.class).elementShape(),
          ctx.op().attrType("shape_type")));
    }
  }

  /**
   * {@code AddN} of lists (the {@code AddN} kernel hands variant inputs here): TF's pairwise {@code
   * TensorListBinaryAdd}, {@code inputs[0] + inputs[1]}, then {@code inputs[i] + sum}, each touching only the
   * sparser operand's set elements.
   */
  public static void addN(KernelContext ctx) {
    TensorList sum = ctx.variantInput(0, TensorList.class);
    if (ctx.numInputs() > 1) {
      sum = TensorList.add(ctx, sum, ctx.variantInput(1, TensorList.class));
    }
    for (int i = 2; i < ctx.numInputs(); i++) {
      sum = TensorList.add(ctx, ctx.variantInput(i, TensorList.class), sum);
    }
    ctx.setOutput(0, sum);
  }

  /** Input 0 as a list whose dtype is the op's {@code element_dtype}. */
  private static TensorList listInput(KernelContext ctx) {
    TensorList list = ctx.variantInput(0, TensorList.class);
    DType opDtype = ctx.op().attrType("element_dtype");
    ControlFlowRunChecks.checkElementDtype(ctx, opDtype, list.elementDtype());
    return list;
  }

  /** The op's {@code element_shape} attribute merged with its run-time {@code element_shape} input {@code i} if any. */
  private static Shape requestedShape(KernelContext ctx, int i) {
    return ControlFlowRunChecks.requestedElementShape(ctx, ctx.op().attrShape("element_shape"),
        ctx.numInputs() > i ? ctx.input(i) : null);
  }

  /** Zeros of the shape an unset element of {@code list} reads as (see {@link ControlFlowRunChecks}). */
  private static Tensor unsetElement(KernelContext ctx, TensorList list, int shapeInput) {
    Shape shape = ControlFlowRunChecks.unsetElementShape(ctx, list.elementShape(), requestedShape(ctx, shapeInput),
        list::setShapes);
    return Tensor.unsafeWrap(list.elementDtype(), shape, ctx.allocate(list.elementDtype(), shape));
  }
}
