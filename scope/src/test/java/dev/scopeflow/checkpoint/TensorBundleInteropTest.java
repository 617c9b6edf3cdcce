package dev.scopeflow.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.conformance.RandomTensors;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints written by ScopeFlow read by TensorFlow's RestoreV2 and the other way round, through TF Java. */
class TensorBundleInteropTest {
  @TempDir Path dir;
  private final Random random = new Random(61);

  /** Every dtype, scalars and empty tensors, sorted by key (the order both writers then use). */
  private Map<String, Tensor> everyKind() {
    Map<String, Tensor> t = new TreeMap<>();
    t.put("bool", Tensor.create(Shape.of(2, 3), new boolean[] {true, false, true, true, false, false}));
    t.put("empty/3x0", Tensor.create(Shape.of(3, 0), new float[0]));
    t.put("empty/0", Tensor.create(Shape.of(0), new long[0]));
    t.put("f32", Tensor.create(Shape.of(3, 4), randomFloats(12)));
    t.put("f64", Tensor.create(Shape.of(2, 2, 2), randomDoubles(8)));
    t.put("i32", Tensor.create(Shape.of(5), new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE}));
    t.put("i64", Tensor.create(Shape.of(3), new long[] {Long.MIN_VALUE, 1L << 50, Long.MAX_VALUE}));
    t.put("scalar/bool", Tensor.scalar(true));
    t.put("scalar/f32", Tensor.scalar(random.nextFloat()));
    t.put("scalar/f64", Tensor.scalar(random.nextGaussian()));
    t.put("scalar/i32", Tensor.scalar(-123456));
    t.put("scalar/i64", Tensor.scalar(9_000_000_000L));
    return t;
  }

  @Test
  void scopeFlowWritesTensorFlowReads() throws IOException {
    Map<String, Tensor> tensors = everyKind();
    Path prefix = dir.resolve("sf/model.ckpt");
    write(prefix, tensors);
    Map<String, Tensor> back = TfInterop.restore(prefix, dtypes(tensors));
    for (String k : tensors.keySet()) {
      assertEquals(tensors.get(k).shape(), back.get(k).shape(), k);
      BundleRoundTripTest.assertSameElements(tensors.get(k), back.get(k));
    }
  }

  @Test
  void tensorFlowWritesScopeFlowReads() throws IOException {
    Map<String, Tensor> tensors = everyKind();
    Path prefix = dir.resolve("tf/model.ckpt");
    TfInterop.save(prefix, tensors);
    try (BundleReader r = BundleReader.open(prefix)) {
      assertEquals(tensors.keySet(), r.entries().keySet());
      for (String k : tensors.keySet()) {
        BundleEntry e = r.entry(k).orElseThrow();
        assertEquals(Optional.of(tensors.get(k).dtype()), e.dtype(), k);
        assertEquals(tensors.get(k).shape(), e.shape(), k);
        Tensor t = r.read(k);
        assertEquals(tensors.get(k).shape(), t.shape(), k);
        BundleRoundTripTest.assertSameElements(tensors.get(k), t);
      }
    }
  }

  /** Given the same tensors in the same order, TF's SaveV2 and BundleWriter write the same bytes. */
  @Test
  void bothWritersProduceIdenticalFiles() throws IOException {
    Map<String, Tensor> tensors = everyKind();
    Path ours = dir.resolve("sf/model.ckpt");
    write(ours, tensors);
    Path theirs = dir.resolve("tf/model.ckpt");
    TfInterop.save(theirs, tensors);
    assertArrayEquals(Files.readAllBytes(BundleFiles.dataFile(theirs)), Files.readAllBytes(BundleFiles.dataFile(ours)));
    assertArrayEquals(Files.readAllBytes(BundleFiles.indexFile(theirs)),
        Files.readAllBytes(BundleFiles.indexFile(ours)));
  }

  /** The variables of a BasicLSTMCell under dynamic_rnn trained with Adam, named as TF Python names them. */
  private Map<String, Tensor> lstmVariables(int inputSize, int units) {
    Map<String, Tensor> t = new TreeMap<>();
    Shape kernel = Shape.of(inputSize + units, 4 * units);
    Shape bias = Shape.of(4 * units);
    for (String slot : new String[] {"", "/Adam", "/Adam_1"}) {
      t.put("rnn/basic_lstm_cell/kernel" + slot, Tensor.create(kernel, randomFloats((int) kernel.size())));
      t.put("rnn/basic_lstm_cell/bias" + slot, Tensor.create(bias, randomFloats((int) bias.size())));
    }
    t.put("beta1_power", Tensor.scalar(0.9f * 0.9f));
    t.put("beta2_power", Tensor.scalar(0.999f * 0.999f));
    t.put("global_step", Tensor.scalar(2L));
    return t;
  }

  @Test
  void lstmVariablesBothWays() throws IOException {
    Map<String, Tensor> vars = lstmVariables(3, 5);
    Path ours = dir.resolve("sf/model.ckpt-2");
    write(ours, vars);
    Map<String, Tensor> readByTf = TfInterop.restore(ours, dtypes(vars));
    Path theirs = dir.resolve("tf/model.ckpt-2");
    TfInterop.save(theirs, vars);
    try (BundleReader r = BundleReader.open(theirs)) {
      assertEquals(vars.keySet(), r.entries().keySet());
      assertEquals(Shape.of(8, 20), r.entry("rnn/basic_lstm_cell/kernel").orElseThrow().shape());
      assertEquals("int64", r.entry("global_step").orElseThrow().dtypeName());
      for (String k : vars.keySet()) {
        BundleRoundTripTest.assertSameElements(vars.get(k), readByTf.get(k));
        BundleRoundTripTest.assertSameElements(vars.get(k), r.read(k));
      }
    }
    assertArrayEquals(Files.readAllBytes(BundleFiles.indexFile(theirs)), Files.readAllBytes(BundleFiles.indexFile(ours)));
  }

  /** Thousands of keys (a multi-block index, TF's real block layout) and a tensor over 64 MiB, both ways. */
  @Test
  void manyKeysAndALargeTensorBothWays() throws IOException {
    Map<String, Tensor> tensors = new TreeMap<>();
    for (int i = 0; i < 5000; i++) {
      tensors.put("tower_" + (i % 5) + "/layer_" + i + "/a/fairly/long/scope/name/kernel",
          Tensor.create(Shape.of(2), randomFloats(2)));
    }
    int n = (64 << 20) / 4 + 1001;
    float[] big = new float[n];
    for (int i = 0; i < n; i++) {
      big[i] = i * 0.5f - 7f;
    }
    tensors.put("big", Tensor.create(Shape.of(n), big));
    Path theirs = dir.resolve("tf/many");
    TfInterop.save(theirs, tensors);
    assertTrue(Files.size(BundleFiles.indexFile(theirs)) > TableFormat.BLOCK_SIZE, "TF wrote several index blocks");
    try (BundleReader r = BundleReader.open(theirs)) {
      assertEquals(tensors.keySet(), r.entries().keySet());
      assertArrayEquals(big, r.read("big").toFloatArray());
      String some = "tower_3/layer_4998/a/fairly/long/scope/name/kernel";
      assertArrayEquals(tensors.get(some).toFloatArray(), r.read(some).toFloatArray());
    }
    Path ours = dir.resolve("sf/many");
    write(ours, tensors);
    assertArrayEquals(Files.readAllBytes(BundleFiles.indexFile(theirs)), Files.readAllBytes(BundleFiles.indexFile(ours)));
    Map<String, DType> wanted = new LinkedHashMap<>();
    wanted.put("big", DType.FLOAT32);
    wanted.put("tower_0/layer_0/a/fairly/long/scope/name/kernel", DType.FLOAT32);
    Map<String, Tensor> back = TfInterop.restore(ours, wanted);
    assertArrayEquals(big, back.get("big").toFloatArray());
    assertArrayEquals(tensors.get("tower_0/layer_0/a/fairly/long/scope/name/kernel").toFloatArray(),
        back.get("tower_0/layer_0/a/fairly/long/scope/name/kernel").toFloatArray());
  }

  @Test
  void partitionedTensorsBothWays() throws IOException {
    float[] full = randomFloats(24);
    Tensor rows01 = Tensor.create(Shape.of(2, 6), java.util.Arrays.copyOfRange(full, 0, 12));
    Tensor rows23 = Tensor.create(Shape.of(2, 6), java.util.Arrays.copyOfRange(full, 12, 24));
    Tensor b = Tensor.vector(1.5, 2.5);
    // TF writes the pieces (in the order our writer puts their keys: row 0 before row 2, then "b")
    Path theirs = dir.resolve("tf/part");
    TfInterop.save(theirs, java.util.List.of(new TfInterop.SaveItem("w", "4 6 0,2:-", rows01),
        new TfInterop.SaveItem("w", "4 6 2,2:-", rows23), new TfInterop.SaveItem("b", "", b)));
    try (BundleReader r = BundleReader.open(theirs)) {
      assertEquals(java.util.List.of("b", "w"), java.util.List.copyOf(r.entries().keySet()));
      assertEquals(Shape.of(4, 6), r.entry("w").orElseThrow().shape());
      assertEquals(java.util.List.of(TensorSlice.parse("0,2:-"), TensorSlice.parse("2,2:-")), r.slices("w"));
      assertArrayEquals(full, r.read("w").toFloatArray());
    }
    Path ours = dir.resolve("sf/part");
    BundleWriter.create(ours).addSlice("w", Shape.of(4, 6), TensorSlice.parse("0,2:-"), rows01)
        .addSlice("w", Shape.of(4, 6), TensorSlice.parse("2,2:-"), rows23).add("b", b).finish();
    assertArrayEquals(Files.readAllBytes(BundleFiles.dataFile(theirs)), Files.readAllBytes(BundleFiles.dataFile(ours)));
    assertArrayEquals(Files.readAllBytes(BundleFiles.indexFile(theirs)), Files.readAllBytes(BundleFiles.indexFile(ours)));
    Map<String, DType> wanted = new LinkedHashMap<>();
    wanted.put("w", DType.FLOAT32);
    Map<String, Tensor> whole = TfInterop.restore(ours, wanted);
    assertArrayEquals(full, whole.get("w").toFloatArray());
    Map<String, Tensor> part = TfInterop.restoreSlices(ours, wanted, Map.of("w", "4 6 1,2:2,3"));
    float[] expected = new float[6];
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 3; c++) {
        expected[r * 3 + c] = full[(1 + r) * 6 + 2 + c];
      }
    }
    assertArrayEquals(expected, part.get("w").toFloatArray());
  }

  @Test
  void tensorFlowDetectsAFlippedByteInOurDataFile() throws IOException {
    Path ours = dir.resolve("sf/flip");
    BundleWriter.create(ours).add("w", Tensor.vector(1f, 2f, 3f)).finish();
    byte[] data = Files.readAllBytes(BundleFiles.dataFile(ours));
    data[5] ^= 0x10;
    Files.write(BundleFiles.dataFile(ours), data);
    RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> TfInterop.restore(ours, Map.of("w", DType.FLOAT32)));
    assertTrue(e.getMessage().contains("Checksum does not match"), e.getMessage());
    CheckpointFormatException ours2 = org.junit.jupiter.api.Assertions.assertThrows(CheckpointFormatException.class,
        () -> {
          try (BundleReader r = BundleReader.open(ours)) {
            r.read("w");
          }
        });
    assertTrue(ours2.getMessage().contains("Checksum does not match"), ours2.getMessage());
  }

  @Test
  void tensorFlowTensorsOfOtherTypesAreListedWithTfsNames() throws IOException {
    Path theirs = dir.resolve("tf/foreign");
    TfInterop.saveForeignTypes(theirs);
    try (BundleReader r = BundleReader.open(theirs)) {
      assertEquals(java.util.List.of("f", "h", "s", "u8"), java.util.List.copyOf(r.entries().keySet()));
      assertEquals(java.util.List.of("float", "half", "string", "uint8"),
          r.entries().values().stream().map(BundleEntry::dtypeName).toList());
      assertEquals(Shape.of(2, 2), r.entry("h").orElseThrow().shape());
      assertEquals(Shape.scalar(), r.entry("s").orElseThrow().shape());
      assertEquals(Shape.of(3), r.entry("u8").orElseThrow().shape());
      assertTrue(r.entry("s").orElseThrow().dtype().isEmpty());
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> r.read("h"));
      assertEquals("Cannot read key h of dtype half: ScopeFlow tensors hold float, double, int32, int64, bool",
          e.getMessage());
      assertArrayEquals(new float[] {0.5f}, r.read("f").toFloatArray());
    }
  }

  @Test
  void shardedTensorFlowCheckpointsAreRead() throws IOException {
    Map<String, Tensor> shard0 = new TreeMap<>();
    shard0.put("a/w", Tensor.create(Shape.of(2, 2), randomFloats(4)));
    shard0.put("c/step", Tensor.scalar(5L));
    Map<String, Tensor> shard1 = new TreeMap<>();
    shard1.put("b/w", Tensor.create(Shape.of(3), randomDoubles(3)));
    Path prefix = dir.resolve("tf/sharded");
    TfInterop.saveSharded(prefix, java.util.List.of(shard0, shard1));
    try (BundleReader r = BundleReader.open(prefix)) {
      assertEquals(2, r.numShards());
      assertEquals(java.util.List.of("a/w", "b/w", "c/step"), java.util.List.copyOf(r.entries().keySet()));
      assertEquals(r.entry("a/w").orElseThrow().shardId(), r.entry("c/step").orElseThrow().shardId());
      assertTrue(r.entry("a/w").orElseThrow().shardId() != r.entry("b/w").orElseThrow().shardId());
      assertArrayEquals(shard0.get("a/w").toFloatArray(), r.read("a/w").toFloatArray());
      assertArrayEquals(shard1.get("b/w").toDoubleArray(), r.read("b/w").toDoubleArray());
      assertEquals(5L, r.read("c/step").longValue());
    }
    assertEquals(java.util.List.of(BundleFiles.dataFile(prefix, 0, 2), BundleFiles.dataFile(prefix, 1, 2),
        BundleFiles.indexFile(prefix)), BundleFiles.files(prefix));
  }

  private static Map<String, DType> dtypes(Map<String, Tensor> tensors) {
    Map<String, DType> d = new LinkedHashMap<>();
    tensors.forEach((k, v) -> d.put(k, v.dtype()));
    return d;
  }

  /** Writes {@code tensors} with ScopeFlow's BundleWriter, added in the map's order. */
  private static void write(Path prefix, Map<String, Tensor> tensors) throws IOException {
    BundleWriter w = BundleWriter.create(prefix);
    tensors.forEach(w::add);
    w.finish();
  }

  private float[] randomFloats(int n) {
    return RandomTensors.gaussianFloats(random, n);
  }

  private double[] randomDoubles(int n) {
    return RandomTensors.gaussianDoubles(random, n);
  }
}
