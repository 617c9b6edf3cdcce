package dev.scopeflow.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.conformance.RandomTensors;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write with {@link BundleWriter}, read back with {@link BundleReader}: every dtype, scalars, empty and many keys. */
class BundleRoundTripTest {
  @TempDir Path dir;
  private final Random random = new Random(20261121);

  @Test
  void everyDtypeScalarsAndEmptyTensors() throws IOException {
    Map<String, Tensor> tensors = new TreeMap<>();
    tensors.put("f32", Tensor.create(Shape.of(2, 3), randomFloats(6)));
    tensors.put("f64", Tensor.create(Shape.of(4), new double[] {Math.PI, -0.0, Double.MIN_VALUE, Double.NaN}));
    tensors.put("i32", Tensor.create(Shape.of(3, 1), new int[] {Integer.MIN_VALUE, -1, Integer.MAX_VALUE}));
    tensors.put("i64", Tensor.create(Shape.of(2), new long[] {Long.MIN_VALUE, 1L << 40}));
    tensors.put("bool", Tensor.create(Shape.of(5), new boolean[] {true, false, false, true, true}));
    tensors.put("scalar/f32", Tensor.scalar(Float.NEGATIVE_INFINITY));
    tensors.put("scalar/f64", Tensor.scalar(-2.5));
    tensors.put("scalar/i32", Tensor.scalar(42));
    tensors.put("scalar/i64", Tensor.scalar(-7L));
    tensors.put("scalar/bool", Tensor.scalar(true));
    tensors.put("empty/0", Tensor.create(Shape.of(0), new float[0]));
    tensors.put("empty/3x0", Tensor.create(Shape.of(3, 0), new long[0]));
    tensors.put("empty/0x2x4", Tensor.create(Shape.of(0, 2, 4), new boolean[0]));
    Path prefix = dir.resolve("model.ckpt-1000");
    BundleWriter w = BundleWriter.create(prefix);
    // added in reverse order: the index sorts them
    List<String> reversed = new ArrayList<>(tensors.keySet());
    java.util.Collections.reverse(reversed);
    for (String k : reversed) {
      w.add(k, tensors.get(k));
    }
    w.finish();

    try (BundleReader r = BundleReader.open(prefix)) {
      assertEquals(new ArrayList<>(tensors.keySet()), new ArrayList<>(r.entries().keySet()));
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        Tensor expected = e.getValue();
        BundleEntry entry = r.entry(e.getKey()).orElseThrow();
        assertEquals(Optional.of(expected.dtype()), entry.dtype());
        assertEquals(expected.dtype().runtimeName(), entry.dtypeName());
        assertEquals(expected.shape(), entry.shape());
        assertEquals((long) expected.size() * expected.dtype().byteSize(), entry.size());
        Tensor actual = r.read(e.getKey());
        assertEquals(expected.dtype(), actual.dtype());
        assertEquals(expected.shape(), actual.shape());
        assertSameElements(expected, actual);
      }
      assertTrue(r.entry("nope").isEmpty());
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> r.read("nope"));
      assertEquals("Key nope not found in checkpoint", missing.getMessage());
    }
  }

  @Test
  void entriesLieBackToBackInKeyOrder() throws IOException {
    Path prefix = dir.resolve("ckpt");
    BundleWriter.create(prefix).add("b", Tensor.vector(1f, 2f)).add("a", Tensor.scalar(3L))
        .add("c", Tensor.vector(true, false, true)).finish();
    try (BundleReader r = BundleReader.open(prefix)) {
      BundleEntry a = r.entry("a").orElseThrow();
      BundleEntry b = r.entry("b").orElseThrow();
      BundleEntry c = r.entry("c").orElseThrow();
      assertEquals(0, a.offset());
      assertEquals(8, b.offset());
      assertEquals(16, c.offset());
      assertEquals(3, c.size(), "bool is one byte per element");
      assertEquals(19, Files.size(BundleFiles.dataFile(prefix)));
      assertEquals(0, a.shardId());
      assertEquals(1, r.numShards());
    }
  }

  @Test
  void manyKeysSpanSeveralIndexBlocks() throws IOException {
    Path prefix = dir.resolve("many");
    // ~6000 entries of ~60 bytes: more than one 256 KiB data block in the index
    Map<String, float[]> values = writeRandomVectors(prefix, 6000,
        i -> "tower_" + (i % 7) + "/layer_" + i + "/some/long/variable/name/kernel", i -> 1 + i % 3);
    assertTrue(Files.size(BundleFiles.indexFile(prefix)) > TableFormat.BLOCK_SIZE);
    try (BundleReader r = BundleReader.open(prefix)) {
      assertEquals(new ArrayList<>(values.keySet()), new ArrayList<>(r.entries().keySet()));
      for (String key : List.of(values.keySet().iterator().next(), "tower_6/layer_1000/some/long/variable/name/kernel",
          "tower_6/layer_5998/some/long/variable/name/kernel")) {
        assertArrayEquals(values.get(key), r.read(key).toFloatArray());
      }
    }
  }

  @Test
  void keysSortByUtf8BytesNotUtf16() throws IOException {
    Path prefix = dir.resolve("unicode");
    // U+FF5E sorts after U+1F600 in UTF-16 (0xFF5E > 0xD83D) but before it in UTF-8 (EF BD 9E < F0 9F 98 80)
    String smile = "v/\uD83D\uDE00";
    String tilde = "v/\uFF5E";
    BundleWriter.create(prefix).add(smile, Tensor.scalar(1)).add(tilde, Tensor.scalar(2)).add("v/a", Tensor.scalar(0))
        .finish();
    try (BundleReader r = BundleReader.open(prefix)) {
      assertEquals(List.of("v/a", tilde, smile), new ArrayList<>(r.entries().keySet()));
      assertEquals(1, r.read(smile).intValue());
      assertEquals(2, r.read(tilde).intValue());
    }
  }

  @Test
  void writerArgumentErrors() {
    BundleWriter w = BundleWriter.create(dir.resolve("x"));
    w.add("a", Tensor.scalar(1f));
    IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> w.add("a", Tensor.scalar(2f)));
    assertEquals("Adding duplicate key: a", dup.getMessage());
    assertThrows(IllegalArgumentException.class, () -> w.add("", Tensor.scalar(2f)));
    assertThrows(IllegalArgumentException.class, () -> w.add("bad\uD800", Tensor.scalar(2f)));
    assertThrows(NullPointerException.class, () -> w.add("n", null));
  }

  @Test
  void nothingTouchesDiskBeforeFinishAndFinishOnlyOnce() throws IOException {
    Path prefix = dir.resolve("sub/dir/model.ckpt");
    BundleWriter w = BundleWriter.create(prefix).add("a", Tensor.scalar(1f));
    assertFalse(Files.exists(dir.resolve("sub")));
    w.finish();
    assertEquals(List.of(BundleFiles.dataFile(prefix), BundleFiles.indexFile(prefix)), BundleFiles.files(prefix));
    assertThrows(IllegalStateException.class, w::finish);
    assertThrows(IllegalStateException.class, () -> w.add("b", Tensor.scalar(1f)));
  }

  @Test
  void emptyCheckpoint() throws IOException {
    Path prefix = dir.resolve("empty");
    BundleWriter.create(prefix).finish();
    try (BundleReader r = BundleReader.open(prefix)) {
      assertTrue(r.entries().isEmpty());
    }
    assertEquals(0, Files.size(BundleFiles.dataFile(prefix)));
  }

  @Test
  void filesListsOnlyThisPrefix() throws IOException {
    Path a = dir.resolve("model.ckpt");
    Path b = dir.resolve("model.ckpt-1000");
    BundleWriter.create(a).add("x", Tensor.scalar(1)).finish();
    BundleWriter.create(b).add("x", Tensor.scalar(2)).finish();
    Files.writeString(dir.resolve("model.ckpt.meta"), "graph");
    Files.writeString(dir.resolve("checkpoint"), "state");
    assertEquals(List.of(dir.resolve("model.ckpt.data-00000-of-00001"), dir.resolve("model.ckpt.index")),
        BundleFiles.files(a));
    assertTrue(BundleFiles.exists(b));
    assertEquals(2, BundleFiles.delete(b).size());
    assertFalse(BundleFiles.exists(b));
    assertEquals(List.of(), BundleFiles.files(b));
    assertEquals(List.of(), BundleFiles.files(dir.resolve("missing/dir/x")));
    assertTrue(BundleFiles.exists(a));
  }

  @Test
  void overwritingAPrefixReplacesBothFiles() throws IOException {
    Path prefix = dir.resolve("model.ckpt");
    BundleWriter.create(prefix).add("w", Tensor.vector(1f, 2f, 3f)).finish();
    BundleWriter.create(prefix).add("w", Tensor.vector(4f, 5f)).add("b", Tensor.scalar(true)).finish();
    try (BundleReader r = BundleReader.open(prefix)) {
      assertArrayEquals(new float[] {4f, 5f}, r.read("w").toFloatArray());
      assertTrue(r.read("b").booleanValue());
    }
    try (var listing = Files.list(dir)) {
      assertEquals(2, listing.count(), "no temporary files left");
    }
  }

  @Test
  void concurrentReadsAndReadsAfterClose() throws Exception {
    Path prefix = dir.resolve("shared");
    Map<String, float[]> values = writeRandomVectors(prefix, 16, i -> "t" + i, i -> 50_000 + i);
    BundleReader r = BundleReader.open(prefix);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (String key : values.keySet()) {
          futures.add(pool.submit(() -> {
            assertArrayEquals(values.get(key), r.read(key).toFloatArray(), key);
            return null;
          }));
        }
      }
      for (java.util.concurrent.Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    r.close();
    assertThrows(IllegalStateException.class, () -> r.read("t0"));
  }

  static void assertSameElements(Tensor expected, Tensor actual) {
    switch (expected.dtype()) {
      case FLOAT32:
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray());
        break;
      case FLOAT64: {
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
          assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), "element " + i);
        }
        break;
      }
      case INT32:
        assertArrayEquals(expected.toIntArray(), actual.toIntArray());
        break;
      case INT64:
        assertArrayEquals(expected.toLongArray(), actual.toLongArray());
        break;
      case BOOL:
        assertArrayEquals(expected.toBooleanArray(), actual.toBooleanArray());
        break;
      default:
        throw new AssertionError(expected.dtype());
    }
  }

  /**
   * Writes a bundle of {@code count} random float vectors, the i-th under {@code key(i)} with {@code length(i)}
   * elements; returns them by key.
   */
  private Map<String, float[]> writeRandomVectors(Path prefix, int count, IntFunction<String> key,
      IntUnaryOperator length) throws IOException {
    BundleWriter w = BundleWriter.create(prefix);
    Map<String, float[]> values = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      float[] v = randomFloats(length.applyAsInt(i));
      values.put(key.apply(i), v);
      w.add(key.apply(i), Tensor.create(Shape.of(v.length), v));
    }
    w.finish();
    return values;
  }

  private float[] randomFloats(int n) {
    return RandomTensors.gaussianFloats(random, n);
  }

  static DType[] dtypes() {
    return DType.dataTypes();
  }
}
