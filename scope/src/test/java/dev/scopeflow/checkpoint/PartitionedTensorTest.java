package dev.scopeflow.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partitioned tensors: TF's slice keys (OrderedCode), AddSlice and LookupSlice semantics. */
class PartitionedTensorTest {
  @TempDir Path dir;

  /** A 4x6 float tensor with element (r, c) = 10 r + c. */
  private static float[] full() {
    float[] v = new float[24];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 6; c++) {
        v[r * 6 + c] = 10 * r + c;
      }
    }
    return v;
  }

  /** Rows [r0, r0 + rows) and columns [c0, c0 + cols) of {@link #full()}, computed independently. */
  private static float[] block(int r0, int rows, int c0, int cols) {
    float[] v = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        v[r * cols + c] = 10 * (r0 + r) + (c0 + c);
      }
    }
    return v;
  }

  @Test
  void sliceKeysAreTfsOrderedCode() {
    assertArrayEquals(bytes(0x00, 'w', 0x00, 0x01, 0x01, 0x02, 0x80, 0x82, 0x80, 0x7f),
        OrderedCode.encodeTensorNameSlice("w", TensorSlice.parse("0,2:-")));
    // examples from ordered_code.cc: 0x424242 -> f0 42 42 42, -0x800 -> 38 00
    assertArrayEquals(bytes(0xf0, 0x42, 0x42, 0x42), signed(0x424242));
    assertArrayEquals(bytes(0x38, 0x00), signed(-0x800));
    assertArrayEquals(bytes(0xc0, 0x40), signed(64));
    assertArrayEquals(bytes(0xbf), signed(63));
    assertArrayEquals(bytes(0x40), signed(-64));
    assertArrayEquals(bytes(0x3f, 0xbf), signed(-65));
    assertArrayEquals(bytes(0xff, 0xc0, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), signed(Long.MAX_VALUE));
    assertArrayEquals(bytes(0x00, 0x3f, 0x80, 0, 0, 0, 0, 0, 0, 0), signed(Long.MIN_VALUE));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OrderedCode.writeNumIncreasing(out, 0);
    OrderedCode.writeNumIncreasing(out, 256);
    OrderedCode.writeString(out, new byte[] {'a', 0, (byte) 0xff});
    assertArrayEquals(bytes(0x00, 0x02, 0x01, 0x00, 'a', 0x00, 0xff, 0xff, 0x00, 0x00, 0x01), out.toByteArray());
  }

  @Test
  void parseAndFormatSliceSpecs() {
    TensorSlice s = TensorSlice.parse("0,2:-:3,1");
    assertEquals(List.of(new TensorSlice.Extent(0, 2), TensorSlice.Extent.full(), new TensorSlice.Extent(3, 1)),
        s.extents());
    assertEquals("0,2:-:3,1", s.toString());
    assertEquals(Shape.of(2, 5, 1), s.sliceShape(Shape.of(4, 5, 6)));
    assertEquals(0, TensorSlice.parse("").rank());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorSlice.parse("0,2:x"));
    assertEquals("Expected a pair of numbers or '-' but got 'x': string = 0,2:x", e.getMessage());
    assertTrue(TensorSlice.parse("0,4:-").coversAll(Shape.of(4, 6)));
    assertTrue(!TensorSlice.parse("0,3:-").coversAll(Shape.of(4, 6)));
  }

  @Test
  void piecesAreAssembledAndSlicedAcrossPieces() throws IOException {
    Path prefix = dir.resolve("part");
    BundleWriter.create(prefix)
        .addSlice("w", Shape.of(4, 6), TensorSlice.parse("2,2:-"), Tensor.create(Shape.of(2, 6), block(2, 2, 0, 6)))
        .addSlice("w", Shape.of(4, 6), TensorSlice.parse("0,2:-"), Tensor.create(Shape.of(2, 6), block(0, 2, 0, 6)))
        .add("b", Tensor.vector(1f, 2f))
        .finish();
    try (BundleReader r = BundleReader.open(prefix)) {
      assertEquals(List.of("b", "w"), List.copyOf(r.entries().keySet()), "pieces are not listed");
      assertEquals(Shape.of(4, 6), r.entry("w").orElseThrow().shape());
      assertEquals(List.of(TensorSlice.parse("2,2:-"), TensorSlice.parse("0,2:-")), r.slices("w"));
      assertEquals(List.of(), r.slices("b"));
      Tensor w = r.read("w");
      assertEquals(Shape.of(4, 6), w.shape());
      assertArrayEquals(full(), w.toFloatArray());
      assertArrayEquals(block(0, 2, 0, 6), r.readSlice("w", TensorSlice.parse("0,2:-")).toFloatArray());
      Tensor cross = r.readSlice("w", TensorSlice.parse("1,2:2,3"));
      assertEquals(Shape.of(2, 3), cross.shape());
      assertArrayEquals(block(1, 2, 2, 3), cross.toFloatArray());
      assertArrayEquals(new float[] {2f}, r.readSlice("b", TensorSlice.parse("1,1")).toFloatArray(),
          "slices of whole tensors too");
      assertThrows(IllegalArgumentException.class, () -> r.readSlice("w", TensorSlice.parse("3,2:-")));
    }
  }

  @Test
  void missingPiecesAreReported() throws IOException {
    Path prefix = dir.resolve("half");
    BundleWriter.create(prefix)
        .addSlice("w", Shape.of(4, 6), TensorSlice.parse("0,2:-"), Tensor.create(Shape.of(2, 6), block(0, 2, 0, 6)))
        .finish();
    try (BundleReader r = BundleReader.open(prefix)) {
      assertArrayEquals(block(0, 1, 1, 2), r.readSlice("w", TensorSlice.parse("0,1:1,2")).toFloatArray());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.read("w"));
      assertTrue(e.getMessage().startsWith("Does not have sufficient slices for partitioned tensor w to restore in "
          + "slice_spec: -:-"), e.getMessage());
    }
  }

  @Test
  void addSliceArgumentChecks() {
    BundleWriter w = BundleWriter.create(dir.resolve("x"));
    Tensor rows = Tensor.create(Shape.of(2, 6), block(0, 2, 0, 6));
    w.addSlice("w", Shape.of(4, 6), TensorSlice.parse("0,2:-"), rows);
    IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class,
        () -> w.addSlice("w", Shape.of(4, 6), TensorSlice.parse("1,2:-"), rows));
    assertEquals("Overlapping slices: existing slice = 0,2:-, new slice = 1,2:-", overlap.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> w.addSlice("w", Shape.of(4, 6), TensorSlice.parse("2,1:-"), rows), "value shape is not the slice's");
    assertThrows(IllegalArgumentException.class,
        () -> w.addSlice("w", Shape.of(5, 6), TensorSlice.parse("2,2:-"), rows), "another full shape");
    assertThrows(IllegalArgumentException.class, () -> w.addSlice("w", Shape.of(4, 6), TensorSlice.parse("2,2:-"),
        Tensor.fromDoubles(dev.scopeflow.graph.DType.FLOAT64, Shape.of(2, 6), new double[12])), "another dtype");
    assertThrows(IllegalArgumentException.class,
        () -> w.addSlice("w", Shape.of(4, 6), TensorSlice.parse("3,2:-"), rows), "does not fit");
    assertThrows(IllegalArgumentException.class, () -> w.add("w", rows), "the key is partitioned");
    w.add("v", rows);
    assertThrows(IllegalArgumentException.class,
        () -> w.addSlice("v", Shape.of(4, 6), TensorSlice.parse("2,2:-"), rows), "the key holds a whole tensor");
  }

  @Test
  void aFullSliceIsAnOrdinaryEntry() throws IOException {
    Path prefix = dir.resolve("fullslice");
    Tensor t = Tensor.create(Shape.of(4, 6), full());
    BundleWriter.create(prefix).addSlice("w", Shape.of(4, 6), TensorSlice.parse("0,4:-"), t).finish();
    try (BundleReader r = BundleReader.open(prefix)) {
      assertEquals(List.of(), r.slices("w"));
      assertArrayEquals(full(), r.read("w").toFloatArray());
    }
  }

  private static byte[] signed(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OrderedCode.writeSignedNumIncreasing(out, v);
    return out.toByteArray();
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }
}
