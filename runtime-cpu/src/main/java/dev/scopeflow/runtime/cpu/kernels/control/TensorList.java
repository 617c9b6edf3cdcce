package dev.scopeflow.runtime.cpu.kernels.control;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.graph.runtime.InvalidArgumentFactory;
import dev.scopeflow.ops.defs.ControlFlowRunChecks;
import dev.scopeflow.runtime.cpu.VariantValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The CPU value of a tensor list (TF's {@code TensorList} variant): elements of one dtype, each set or not, the
 * element shape the list was made with (possibly partial) and the most elements it may grow to ({@code
 * max_num_elements}, -1 unbounded). Immutable: {@link #with}, {@link #pushBack} and {@link #popBack} return a new
 * list that shares every other element with this one (a {@link PersistentArray}: O(log length) references copied per
 * update), so a loop that sets or appends one element per iteration copies neither tensor data nor the whole
 * reference array.
 */
public final class TensorList implements VariantValue {
  private final DType elementDtype;
  private final Shape elementShape;
  private final int maxNumElements;
  // null marks an unset element
  private final PersistentArray<Tensor> elements;

  private TensorList(DType elementDtype, Shape elementShape, int maxNumElements, PersistentArray<Tensor> elements) {
    this.elementDtype = elementDtype;
    this.elementShape = elementShape;
    this.maxNumElements = maxNumElements;
    this.elements = elements;
  }

  /** A list of {@code length} unset elements. */
  public static TensorList reserved(DType elementDtype, Shape elementShape, int length) {
    Preconditions.checkArgument(elementDtype.isData(), "element dtype %s", elementDtype);
    Preconditions.checkArgument(length >= 0, "length %s", length);
    return new TensorList(elementDtype, elementShape, -1, PersistentArray.ofLength(length));
  }

  /** A list with no elements that may grow to {@code maxNumElements} (-1: unbounded; TF's EmptyTensorList). */
  public static TensorList empty(DType elementDtype, Shape elementShape, int maxNumElements) {
    Preconditions.checkArgument(elementDtype.isData(), "element dtype %s", elementDtype);
    return new TensorList(elementDtype, elementShape, maxNumElements, PersistentArray.ofLength(0));
  }

  /**
   * The list of {@code tensor}'s slices along axis 0, each copied once into its own array.
   *
   * @param elementShape the list's declared element shape (compatible with the slices' shape)
   */
  public static TensorList fromTensor(Tensor tensor, Shape elementShape) {
    return fromTensor(tensor, elementShape, Tensor::newArray);
  }

  /**
   * {@link #fromTensor(Tensor, Shape)} with the slices' arrays from {@code newSlice} (dtype and length; the contents
   * may be stale, each is overwritten whole), e.g. a kernel's pooled buffers.
   */
  public static TensorList fromTensor(Tensor tensor, Shape elementShape, BiFunction<DType, Integer, Object> newSlice) {
    Shape shape = tensor.shape();
    Preconditions.checkArgument(shape.rank() >= 1, "need at least a vector, got %s", shape);
    int length = Math.toIntExact(shape.size(0));
    Shape sliceShape = shape.subShape(1, shape.rank());
    int sliceSize = Math.toIntExact(sliceShape.size());
    Object data = tensor.unsafeArray();
    PersistentArray<Tensor> elements = PersistentArray.ofLength(0);
    for (int i = 0; i < length; i++) {
      Object slice = newSlice.apply(tensor.dtype(), sliceSize);
      System.arraycopy(data, i * sliceSize, slice, 0, sliceSize);
      elements = elements.append(Tensor.unsafeWrap(tensor.dtype(), sliceShape, slice));
    }
    return new TensorList(tensor.dtype(), elementShape, -1, elements);
  }

  public DType elementDtype() {
    return elementDtype;
  }

  /** The element shape the list was made with; set elements may be more specific. */
  public Shape elementShape() {
    return elementShape;
  }

  /** The most elements the list may grow to with {@link #pushBack}; -1: unbounded. */
  public int maxNumElements() {
    return maxNumElements;
  }

  public int length() {
    return elements.length();
  }

  /** The number of set elements. */
  public int setCount() {
    return elements.setCount();
  }

  /** Element {@code i} if it is set (the tensor itself, not a copy). */
  public Optional<Tensor> get(int i) {
    return Optional.ofNullable(elements.get(i));
  }

  /** The shapes of the set elements, in order. */
  public List<Shape> setShapes() {
    List<Shape> shapes = new ArrayList<>();
    elements.forEachSet((t, i) -> shapes.add(t.shape()));
    return shapes;
  }

  /** A list equal to this one but with element {@code i} set to {@code item} (shared, not copied). */
  public TensorList with(int i, Tensor item) {
    checkDtype(item);
    return new TensorList(elementDtype, elementShape, maxNumElements, elements.with(i, item));
  }

  /** This list with {@code item} appended (shared, not copied); O(log length). */
  public TensorList pushBack(Tensor item) {
    checkDtype(item);
    return new TensorList(elementDtype, elementShape, maxNumElements, elements.append(item));
  }

  /** This list without its last element; O(log length). */
  public TensorList popBack() {
    Preconditions.checkState(length() > 0, "pop from an empty list");
    return new TensorList(elementDtype, elementShape, maxNumElements, elements.withLength(length() - 1));
  }

  private void checkDtype(Tensor item) {
    Preconditions.checkArgument(item.dtype() == elementDtype, "%s item in a list of %s", item.dtype(), elementDtype);
  }

  /**
   * The element-wise sum of two lists (TF's {@code TensorListBinaryAdd}, what {@code AddN} of lists does): an element
   * set in one list only is taken as it is, one set in both is added, one set in neither stays unset. The result
   * starts from the list with more set elements and visits only the other's set elements, so adding a list with k
   * set elements to any list costs O(k log length): a loop that adds a one-element gradient to a dense accumulator
   * per iteration stays O(T log T).
   *
   * @throws RuntimeException from {@code errors} for lists of different dtypes, element shapes or lengths, or
   *     elements of different shapes (TF's texts)
   */
  @SuppressWarnings("unchecked")
  public static TensorList add(InvalidArgumentFactory errors, TensorList a, TensorList b) {
    Shape shape = ControlFlowRunChecks.checkAddLists(errors, a.elementDtype, a.elementShape, a.length(),
        b.elementDtype, b.elementShape, b.length());
    TensorList dense = a.setCount() >= b.setCount() ? a : b;
    TensorList sparse = dense == a ? b : a;
    PersistentArray<Tensor>[] sum = new PersistentArray[] {dense.elements}; // written by the visitor
    sparse.elements.forEachSet((t, i) -> {
      Tensor other = dense.elements.get(i);
      sum[0] = sum[0].with(i, other == null ? t : addTensors(errors, dense == a ? other : t, dense == a ? t : other));
    });
    return new TensorList(a.elementDtype, shape, -1, sum[0]);
  }

  private static Tensor addTensors(InvalidArgumentFactory errors, Tensor x, Tensor y) {
    ControlFlowRunChecks.checkAddElements(errors, x.dtype(), x.shape(), y.shape());
    int n = x.size();
    switch (x.dtype()) {
      case FLOAT32: {
        float[] a = (float[]) x.unsafeArray();
        float[] b = (float[]) y.unsafeArray();
        float[] z = new float[n];
        for (int k = 0; k < n; k++) {
          z[k] = a[k] + b[k];
        }
        return Tensor.unsafeWrap(x.dtype(), x.shape(), z);
      }
      case FLOAT64: {
        double[] a = (double[]) x.unsafeArray();
        double[] b = (double[]) y.unsafeArray();
        double[] z = new double[n];
        for (int k = 0; k < n; k++) {
          z[k] = a[k] + b[k];
        }
        return Tensor.unsafeWrap(x.dtype(), x.shape(), z);
      }
      case INT32: {
        int[] a = (int[]) x.unsafeArray();
        int[] b = (int[]) y.unsafeArray();
        int[] z = new int[n];
        for (int k = 0; k < n; k++) {
          z[k] = a[k] + b[k];
        }
        return Tensor.unsafeWrap(x.dtype(), x.shape(), z);
      }
      case INT64: {
        long[] a = (long[]) x.unsafeArray();
        long[] b = (long[]) y.unsafeArray();
        long[] z = new long[n];
        for (int k = 0; k < n; k++) {
          z[k] = a[k] + b[k];
        }
        return Tensor.unsafeWrap(x.dtype(), x.shape(), z);
      }
      default:
        throw new IllegalStateException("checkAddElements lets only numeric dtypes through, got " + x.dtype());
    }
  }

  /**
   * All elements stacked along a new axis 0 into {@code out} (zero-filled, {@code length * elementSize} elements):
   * each set element is copied once, unset ones stay zero.
   *
   * @param elementSize the number of elements of each list element (every set one has that many)
   */
  public void stackInto(Object out, int elementSize) {
    elements.forEachSet((t, i) -> System.arraycopy(t.unsafeArray(), 0, out, i * elementSize, elementSize));
  }

  /** {@code TensorList(float32, [?,3], 4 of 5 set)}. */
  @Override
  public String toString() {
    return "TensorList(" + elementDtype + ", " + elementShape.toRuntimeString() + ", " + elements.setCount() + " of "
        + elements.length() + " set)";
  }
}
