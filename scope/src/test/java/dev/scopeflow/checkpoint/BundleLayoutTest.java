package dev.scopeflow.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes of a small bundle, worked out by hand from tensor_bundle.proto and tensor_bundle.cc: data back to back
 * little-endian, the header {@code num_shards: 1, version {producer: 1}}, proto3 entries without default fields.
 */
class BundleLayoutTest {
  @TempDir Path dir;

  @Test
  void dataAndIndexEntriesAreTfsBytes() throws IOException {
    Path prefix = dir.resolve("layout");
    BundleWriter.create(prefix).add("b", Tensor.scalar(true)).add("a", Tensor.vector(1, -2)).finish();

    byte[] data = Files.readAllBytes(BundleFiles.dataFile(prefix));
    byte[] aBytes = bytes(0x01, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff);
    assertArrayEquals(bytes(0x01, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0x01), data);

    List<TableReader.Entry> index = TableReader.readAll(BundleFiles.indexFile(prefix),
        Files.readAllBytes(BundleFiles.indexFile(prefix)));
    assertEquals(3, index.size());
    assertArrayEquals(new byte[0], index.get(0).key());
    // num_shards (1) = 1; version (3) = {producer (1) = 1}; endianness LITTLE = 0 is the default, left out
    assertArrayEquals(bytes(0x08, 0x01, 0x1a, 0x02, 0x08, 0x01), index.get(0).value());

    assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), index.get(1).key());
    int crcA = mask(Crc32cTest.bitwiseCrc32c(aBytes));
    // dtype (1) = DT_INT32 3; shape (2) = {dim (2) = {size (1) = 2}}; size (5) = 8; crc32c (6) fixed32
    assertArrayEquals(concat(bytes(0x08, 0x03, 0x12, 0x04, 0x12, 0x02, 0x08, 0x02, 0x28, 0x08, 0x35), le(crcA)),
        index.get(1).value());
    int crcB = mask(Crc32cTest.bitwiseCrc32c(bytes(0x01)));
    // dtype DT_BOOL 10; shape {} present but empty (a scalar); offset (4) = 8; size 1; crc32c
    assertArrayEquals(concat(bytes(0x08, 0x0a, 0x12, 0x00, 0x20, 0x08, 0x28, 0x01, 0x35), le(crcB)),
        index.get(2).value());
  }

  @Test
  void bigEndianBundlesAreReadWithTheirByteOrder() throws IOException {
    Path prefix = dir.resolve("big-endian");
    byte[] data = bytes(0x3f, 0xc0, 0, 0, /* 1.5f */ 0, 0, 0, 0, 0, 0, 0, 0x07 /* 7L */);
    Files.write(BundleFiles.dataFile(prefix), data);
    TableWriter t = new TableWriter();
    byte[] version = new ProtoWriter().varint(1, 1).toByteArray();
    t.add(new byte[0], new ProtoWriter().varint(1, 1).varint(2, 1 /* BIG */).message(3, version).toByteArray());
    // the checksum covers the bytes as they are in the file
    int crcF = Crc32c.mask(Crc32c.value(data, 0, 4));
    int crcL = Crc32c.mask(Crc32c.value(data, 4, 8));
    t.add("f".getBytes(StandardCharsets.UTF_8), BundleProtos.encodeEntry(1, new long[] {1}, 0, 0, 4, crcF, List.of()));
    t.add("l".getBytes(StandardCharsets.UTF_8), BundleProtos.encodeEntry(9, new long[] {}, 0, 4, 8, crcL, List.of()));
    Files.write(BundleFiles.indexFile(prefix), t.finish());
    try (BundleReader r = BundleReader.open(prefix)) {
      assertArrayEquals(new float[] {1.5f}, r.read("f").toFloatArray());
      assertEquals(7L, r.read("l").longValue());
      assertEquals(Shape.scalar(), r.entry("l").orElseThrow().shape());
    }
  }

  private static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
  }

  private static byte[] le(int v) {
    return bytes(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }
}
