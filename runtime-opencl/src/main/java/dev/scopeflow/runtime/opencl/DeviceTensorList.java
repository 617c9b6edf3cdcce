package dev.scopeflow.runtime.opencl;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A tensor list value of the OpenCL runtime (what a {@code variant} tensor of the {@code TensorList*} ops holds): a
 * host object with the element dtype, the static element shape (possibly partial), the most elements it may grow to
 * ({@code max_num_elements}, -1 unbounded) and one {@link DeviceTensor} per element, or none for an element not set
 * yet. Immutable like every value: {@link #withItem}, {@link #pushBack} and {@link #popBack} make a new list that
 * shares the other elements' buffers, so writing or appending one element copies no tensor data.
 *
 * <p>The elements are kept in immutable, counted chunks of {@link #CHUNK} references: a new list made from another
 * copies only the chunk that changes and shares (retains) the others, so one write to a list of T elements costs
 * O(T / CHUNK + CHUNK) host work, not O(T): what keeps a loop that writes one element per iteration (dynamicRnn's
 * outputs) linear in T.
 *
 * <p>Counted like a {@link DeviceTensor}: holders (slots, loop variables) {@link #retain()} and {@link #release()}
 * it; the list holds one reference to each of its chunks and a chunk one reference to each of its elements, taken
 * when it is made and given back when its last holder releases it. Kernels get lists from {@link
 * OpenClKernelContext#inputList} and never release them.
 */
public final class DeviceTensorList {
  /** Elements per chunk. */
  static final int CHUNK = 32;

  /** Up to {@link #CHUNK} element references (null: unset), shared by the lists made from one another. */
  private static final class Chunk {
    final DeviceTensor[] items; // length CHUNK; entries at or past the list's length are null
    final HolderCount holders = new HolderCount("tensor list chunk");

    /** Takes one reference to each non-null item. */
    Chunk(DeviceTensor[] items) {
      this.items = items;
      for (DeviceTensor t : items) {
        if (t != null) {
          t.retain();
        }
      }
    }

    void release() {
      if (holders.release()) {
        for (DeviceTensor t : items) {
          if (t != null) {
            t.release();
          }
        }
      }
    }
  }

  private final DType elementDtype;
  private final Shape elementShape;
  private final int maxNumElements;
  private final Chunk[] chunks; // ceil(length / CHUNK)
  private final int length;
  private final int setCount;
  private final HolderCount holders = new HolderCount("tensor list");

  /** Takes one reference to each chunk (the caller's new chunks and the shared ones alike). */
  private DeviceTensorList(DType elementDtype, Shape elementShape, int maxNumElements, Chunk[] chunks, int length,
      int setCount) {
    this.elementDtype = elementDtype;
    this.elementShape = elementShape;
    this.maxNumElements = maxNumElements;
    this.chunks = chunks;
    this.length = length;
    this.setCount = setCount;
    for (Chunk c : chunks) {
      c.holders.retain();
    }
  }

  /** A list of {@code items} (null: unset), in new chunks that take one reference to each set item. */
  private static DeviceTensorList fromItems(DType elementDtype, Shape elementShape, int maxNumElements,
      DeviceTensor[] items) {
    Preconditions.checkArgument(elementDtype.isData(), "element dtype %s", elementDtype);
    int set = 0;
    for (DeviceTensor t : items) {
      if (t != null) {
        Preconditions.checkArgument(t.dtype() == elementDtype, "a %s element in a list of %s", t.dtype(),
            elementDtype);
        set++;
      }
    }
    Chunk[] chunks = new Chunk[(items.length + CHUNK - 1) / CHUNK];
    for (int c = 0; c < chunks.length; c++) {
      DeviceTensor[] part = new DeviceTensor[CHUNK];
      System.arraycopy(items, c * CHUNK, part, 0, Math.min(CHUNK, items.length - c * CHUNK));
      chunks[c] = new Chunk(part);
    }
    return new DeviceTensorList(elementDtype, elementShape, maxNumElements, chunks, items.length, set);
  }

  /** A list of {@code length} unset elements (TensorListReserve). */
  public static DeviceTensorList reserved(DType elementDtype, Shape elementShape, int length) {
    return fromItems(elementDtype, elementShape, -1, new DeviceTensor[length]);
  }

  /** A list with no elements that may grow to {@code maxNumElements} (-1: unbounded; EmptyTensorList). */
  public static DeviceTensorList empty(DType elementDtype, Shape elementShape, int maxNumElements) {
    return fromItems(elementDtype, elementShape, maxNumElements, new DeviceTensor[0]);
  }

  /** A list of {@code items}, all set; the list takes its own reference to each (TensorListFromTensor). */
  public static DeviceTensorList of(DType elementDtype, Shape elementShape, List<DeviceTensor> items) {
    return fromItems(elementDtype, elementShape, -1, items.toArray(new DeviceTensor[0]));
  }

  /**
   * A list of {@code items} (null: unset) of {@code elementShape}, unbounded; it takes its own reference to each set
   * item (the sum of two lists).
   */
  public static DeviceTensorList ofNullable(DType elementDtype, Shape elementShape, DeviceTensor[] items) {
    return fromItems(elementDtype, elementShape, -1, items.clone());
  }

  /** The dtype of every element. */
  public DType elementDtype() {
    return elementDtype;
  }

  /** The element shape the list was made with (a reserved list's may be partial). */
  public Shape elementShape() {
    return elementShape;
  }

  /** The most elements {@link #pushBack} may grow the list to; -1: unbounded. */
  public int maxNumElements() {
    return maxNumElements;
  }

  /** Number of elements, set or not. */
  public int length() {
    return length;
  }

  /** Number of set elements. */
  public int setCount() {
    return setCount;
  }

  /** The elements, null where unset (a copy). */
  public DeviceTensor[] items() {
    DeviceTensor[] all = new DeviceTensor[length];
    for (int c = 0; c < chunks.length; c++) {
      System.arraycopy(chunks[c].items, 0, all, c * CHUNK, Math.min(CHUNK, length - c * CHUNK));
    }
    return all;
  }

  /** Element {@code index}, empty if it was never set. */
  public Optional<DeviceTensor> item(int index) {
    Preconditions.checkElementIndex(index, length);
    return Optional.ofNullable(chunks[index / CHUNK].items[index % CHUNK]);
  }

  /** The shapes of the elements that are set, in order. */
  public List<Shape> setShapes() {
    List<Shape> shapes = new ArrayList<>();
    for (DeviceTensor t : items()) {
      if (t != null) {
        shapes.add(t.shape());
      }
    }
    return shapes;
  }

  /**
   * A new list equal to this one except that element {@code index} is {@code item}: it shares every buffer (taking
   * its own references), copying none (TensorListSetItem).
   */
  public DeviceTensorList withItem(int index, DeviceTensor item) {
    Preconditions.checkState(!holders.isReleased(), "use of a released tensor list");
    Preconditions.checkElementIndex(index, length);
    Preconditions.checkArgument(item.dtype() == elementDtype, "a %s element in a list of %s", item.dtype(),
        elementDtype);
    boolean wasSet = item(index).isPresent();
    return changed(index, item, length, setCount + (wasSet ? 0 : 1));
  }

  /** A new list of this one's elements followed by {@code item}, sharing every buffer (TensorListPushBack). */
  public DeviceTensorList pushBack(DeviceTensor item) {
    Preconditions.checkState(!holders.isReleased(), "use of a released tensor list");
    Preconditions.checkArgument(item.dtype() == elementDtype, "a %s element in a list of %s", item.dtype(),
        elementDtype);
    return changed(length, item, length + 1, setCount + 1);
  }

  /** A new list of this one's elements but the last, sharing their buffers (TensorListPopBack). */
  public DeviceTensorList popBack() {
    Preconditions.checkState(!holders.isReleased(), "use of a released tensor list");
    Preconditions.checkState(length > 0, "pop from an empty list");
    boolean wasSet = item(length - 1).isPresent();
    return changed(length - 1, null, length - 1, setCount - (wasSet ? 1 : 0));
  }

  /**
   * A list of {@code newLength} elements: this one's, with element {@code index} (below {@code newLength}, or equal
   * to it when the list shrinks and the element goes) replaced by {@code item}. Only that element's chunk is copied;
   * the others are shared.
   */
  private DeviceTensorList changed(int index, DeviceTensor item, int newLength, int newSetCount) {
    Chunk[] next = Arrays.copyOf(chunks, (newLength + CHUNK - 1) / CHUNK);
    int c = index / CHUNK;
    if (c < next.length) {
      DeviceTensor[] part = c < chunks.length ? chunks[c].items.clone() : new DeviceTensor[CHUNK];
      part[index % CHUNK] = item;
      next[c] = new Chunk(part);
    }
    return new DeviceTensorList(elementDtype, elementShape, maxNumElements, next, newLength, newSetCount);
  }

  /** One more holder (see {@link DeviceTensor#retain()}). */
  public void retain() {
    holders.retain();
  }

  /** One holder less; the last releases the list's reference to each chunk. */
  public void release() {
    if (holders.release()) {
      for (Chunk c : chunks) {
        c.release();
      }
    }
  }

  @Override
  public String toString() {
    return "DeviceTensorList<" + elementDtype + ", " + elementShape + ", " + length + " elements>";
  }
}
