package dev.scopeflow.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
    BundleWriter w = BundleWriter.create(prefix);
    tensors.forEach(w::add);
    w.finish();
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
    BundleWriter w = BundleWriter.create(ours);
    tensors.forEach(w::add);
    w.finish();
    Path theirs = dir.resolve("tf/model.ckpt");
    TfInterop.save(theirs, tensors);
    assertArrayEquals(Files.readAllBytes(BundleFiles.dataFile(theirs)), Files.readAllBytes(BundleFiles.dataFile(ours)));
    assertArrayEquals(Files.readAllBytes(BundleFiles.indexFile(theirs)),
        Files.readAllBytes(BundleFiles.indexFile(ours)));
  }

  private static Map<String, DType> dtypes(Map<String, Tensor> tensors) {
    Map<String, DType> d = new LinkedHashMap<>();
    tensors.forEach((k, v) -> d.put(k, v.dtype()));
    return d;
  }

  private float[] randomFloats(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private double[] randomDoubles(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextGaussian();
    }
    return v;
  }
}
