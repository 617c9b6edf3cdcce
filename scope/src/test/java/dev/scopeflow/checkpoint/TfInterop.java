package dev.scopeflow.checkpoint;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Runs TensorFlow's own {@code SaveV2} and {@code RestoreV2} kernels through TensorFlow Java (eager mode), converting
 * between ScopeFlow tensors and TF's, for the checkpoint and Saver interop tests. Only the tf-interop Maven profile
 * compiles this.
 */
public final class TfInterop {
  private TfInterop() {}

  /** One input of SaveV2: a name, a {@code shape_and_slices} spec ({@code ""} for a whole tensor) and the value. */
  public record SaveItem(String name, String spec, Tensor value) {}

  /** TF's SaveV2 of whole tensors, in the map's iteration order (the order TF appends them to the data file). */
  public static void save(Path prefix, Map<String, Tensor> tensors) {
    List<SaveItem> items = new ArrayList<>();
    tensors.forEach((k, v) -> items.add(new SaveItem(k, "", v)));
    save(prefix, items);
  }

  /**
   * TF's SaveV2 with a {@code shape_and_slices} spec per input (e.g. {@code "4 6 0,2:-"} for rows 0..1 of a 4x6
   * tensor), in list order.
   */
  public static void save(Path prefix, List<SaveItem> items) {
    try (EagerSession session = EagerSession.create()) {
      Ops tf = Ops.create(session);
      List<Operand<?>> values = new ArrayList<>();
      for (SaveItem item : items) {
        values.add(constant(tf, item.value()));
      }
      String[] names = items.stream().map(SaveItem::name).toArray(String[]::new);
      String[] slices = items.stream().map(SaveItem::spec).toArray(String[]::new);
      tf.train.save(tf.constant(StandardCharsets.UTF_8, prefix.toString()), tf.constant(StandardCharsets.UTF_8, names),
          tf.constant(StandardCharsets.UTF_8, slices), values);
    }
  }

  /**
   * TF's SaveV2 of tensors of types ScopeFlow has none of: {@code s} a string scalar, {@code u8} uint8 [3],
   * {@code h} half [2, 2] and {@code f} a float [1] beside them.
   */
  static void saveForeignTypes(Path prefix) {
    try (EagerSession session = EagerSession.create()) {
      Ops tf = Ops.create(session);
      List<Operand<?>> values = List.of(tf.constant(new float[] {0.5f}),
          tf.dtypes.cast(tf.constant(new float[][] {{1f, 2f}, {3f, 4f}}), org.tensorflow.types.TFloat16.class),
          tf.constant(StandardCharsets.UTF_8, "hello checkpoint"), tf.constant(new byte[] {1, 2, (byte) 255}));
      tf.train.save(tf.constant(StandardCharsets.UTF_8, prefix.toString()),
          tf.constant(StandardCharsets.UTF_8, new String[] {"f", "h", "s", "u8"}),
          tf.constant(StandardCharsets.UTF_8, new String[] {"", "", "", ""}), values);
    }
  }

  /**
   * A sharded save as TF1's {@code Saver(sharded=True)} does it: one SaveV2 per shard into temporary prefixes, then
   * {@code MergeV2Checkpoints} into {@code prefix}, which leaves {@code <prefix>.data-0000i-of-0000N} files.
   */
  static void saveSharded(Path prefix, List<Map<String, Tensor>> shards) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      Path part = prefix.resolveSibling(prefix.getFileName() + "_temp/part-0000" + i + "-of-0000" + shards.size());
      try {
        java.nio.file.Files.createDirectories(part.getParent()); // TF's CreateDir makes one level only
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      save(part, shards.get(i));
      parts.add(part.toString());
    }
    try (EagerSession session = EagerSession.create()) {
      Ops tf = Ops.create(session);
      tf.train.mergeV2Checkpoints(tf.constant(StandardCharsets.UTF_8, parts.toArray(new String[0])),
          tf.constant(StandardCharsets.UTF_8, prefix.toString()));
    }
  }

  /** TF's RestoreV2 of whole tensors. */
  public static Map<String, Tensor> restore(Path prefix, Map<String, DType> dtypes) {
    Map<String, String> specs = new LinkedHashMap<>();
    dtypes.keySet().forEach(k -> specs.put(k, ""));
    return restoreSlices(prefix, dtypes, specs);
  }

  /** TF's RestoreV2 with a {@code shape_and_slices} spec per tensor. */
  public static Map<String, Tensor> restoreSlices(Path prefix, Map<String, DType> dtypes, Map<String, String> specs) {
    try (EagerSession session = EagerSession.create()) {
      Ops tf = Ops.create(session);
      String[] names = dtypes.keySet().toArray(new String[0]);
      String[] slices = dtypes.keySet().stream().map(specs::get).toArray(String[]::new);
      List<Class<? extends TType>> classes = new ArrayList<>();
      for (DType d : dtypes.values()) {
        classes.add(tfClass(d));
      }
      Restore restore = tf.train.restore(tf.constant(StandardCharsets.UTF_8, prefix.toString()),
          tf.constant(StandardCharsets.UTF_8, names), tf.constant(StandardCharsets.UTF_8, slices), classes);
      Map<String, Tensor> result = new LinkedHashMap<>();
      List<Output<?>> outputs = restore.tensors();
      int i = 0;
      for (Map.Entry<String, DType> e : dtypes.entrySet()) {
        result.put(e.getKey(), fromTf(e.getValue(), outputs.get(i++).asTensor()));
      }
      return result;
    }
  }

  private static Operand<?> constant(Ops tf, Tensor t) {
    org.tensorflow.ndarray.Shape shape = org.tensorflow.ndarray.Shape.of(t.shape().dims());
    switch (t.dtype()) {
      case FLOAT32:
        return tf.constant(shape, DataBuffers.of(t.toFloatArray(), true, false));
      case FLOAT64:
        return tf.constant(shape, DataBuffers.of(t.toDoubleArray(), true, false));
      case INT32:
        return tf.constant(shape, DataBuffers.of(t.toIntArray(), true, false));
      case INT64:
        return tf.constant(shape, DataBuffers.of(t.toLongArray(), true, false));
      case BOOL:
        return tf.constant(shape, DataBuffers.of(t.toBooleanArray(), true, false));
      default:
        throw new IllegalArgumentException(t.dtype().toString());
    }
  }

  private static Class<? extends TType> tfClass(DType d) {
    switch (d) {
      case FLOAT32:
        return TFloat32.class;
      case FLOAT64:
        return TFloat64.class;
      case INT32:
        return TInt32.class;
      case INT64:
        return TInt64.class;
      case BOOL:
        return TBool.class;
      default:
        throw new IllegalArgumentException(d.toString());
    }
  }

  /** Copies TF's tensor into a ScopeFlow tensor of {@code d} (restoreSlices has checked {@code d} in tfClass). */
  private static Tensor fromTf(DType d, Object tfTensor) {
    org.tensorflow.Tensor t = (org.tensorflow.Tensor) tfTensor;
    Shape shape = Shape.of(t.shape().asArray());
    Object a = Tensor.newArray(d, Math.toIntExact(shape.size()));
    switch (d) {
      case FLOAT32:
        ((TFloat32) t).read(DataBuffers.of((float[]) a, false, false));
        break;
      case FLOAT64:
        ((TFloat64) t).read(DataBuffers.of((double[]) a, false, false));
        break;
      case INT32:
        ((TInt32) t).read(DataBuffers.of((int[]) a, false, false));
        break;
      case INT64:
        ((TInt64) t).read(DataBuffers.of((long[]) a, false, false));
        break;
      case BOOL:
        ((TBool) t).read(DataBuffers.of((boolean[]) a, false, false));
        break;
      default:
        throw new IllegalArgumentException(d.toString());
    }
    return Tensor.unsafeWrap(d, shape, a); // a is this method's own, never written again
  }
}
