package dev.scopeflow.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken checkpoints give a {@link CheckpointFormatException} that names the file and the fault. */
class BundleCorruptionTest {
  @TempDir Path dir;
  private Path prefix;
  private Path index;
  private Path data;
  private final float[] w = {1.5f, -2f, 3.25f, 4f, 5f, 6f};

  @BeforeEach
  void writeCheckpoint() throws IOException {
    prefix = dir.resolve("model.ckpt");
    BundleWriter.create(prefix).add("w", Tensor.create(Shape.of(2, 3), w)).add("step", Tensor.scalar(7L))
        .add("b", Tensor.vector(0.5, 0.25)).finish();
    index = BundleFiles.indexFile(prefix);
    data = BundleFiles.dataFile(prefix);
  }

  @Test
  void missingIndex() throws IOException {
    assertOpenFailsWithoutFile(index);
  }

  @Test
  void missingDataFile() throws IOException {
    assertOpenFailsWithoutFile(data);
  }

  /** With {@code file} deleted, opening the bundle fails with TF's NotFound message naming it. */
  private void assertOpenFailsWithoutFile(Path file) throws IOException {
    Files.delete(file);
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> BundleReader.open(prefix));
    assertTrue(e.getMessage().startsWith("Not found: " + file + "; No such file or directory"), e.getMessage());
    assertEquals(file, e.file());
  }

  @Test
  void truncatedDataFileFailsAtOpen() throws IOException {
    truncate(data, Files.size(data) - 1);
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> BundleReader.open(prefix));
    assertTrue(e.getMessage().startsWith("Data loss: entry for key w occupies bytes [24, 48) but the file has only 47"
        + " bytes (truncated data file?) in " + data), e.getMessage());
  }

  @Test
  void dataFileTruncatedAfterOpenFailsAtRead() throws IOException {
    try (BundleReader r = BundleReader.open(prefix)) {
      truncate(data, 30);
      CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> r.read("w"));
      assertTrue(e.getMessage().startsWith("Data loss: unexpected end of file reading key w"), e.getMessage());
      assertEquals(data, e.file());
    }
  }

  @Test
  void flippedDataByteFailsTheChecksum() throws IOException {
    byte[] bytes = Files.readAllBytes(data);
    bytes[30] ^= 0x01; // inside w (bytes 24..47, after b and step)
    Files.write(data, bytes);
    try (BundleReader r = BundleReader.open(prefix)) {
      assertEquals(0.5, r.read("b").toDoubleArray()[0], "other entries still read");
      CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> r.read("w"));
      assertTrue(e.getMessage().matches("Data loss: TensorBundle at .*model\\.ckpt shard 0 \\(24 bytes\\): Checksum "
          + "does not match: stored \\d{8,10} vs\\. calculated on the restored bytes \\d{8,10} for key w in .*"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith(" in " + data), e.getMessage());
    }
  }

  @Test
  void wrongMagic() throws IOException {
    byte[] bytes = Files.readAllBytes(index);
    bytes[bytes.length - 8] = 0;
    Files.write(index, bytes);
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> BundleReader.open(prefix));
    assertEquals("Data loss: not an sstable (bad magic number) in " + index, e.getMessage());
  }

  @Test
  void notACheckpointAtAll() throws IOException {
    Files.writeString(index, "hello");
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> BundleReader.open(prefix));
    assertTrue(e.getMessage().startsWith("Data loss: file is too short to be an sstable"), e.getMessage());
  }

  /**
   * Every single-bit flip in the index is caught at open, except in the footer's padding, which TF's format ignores
   * too; there the checkpoint still reads correctly.
   */
  @Test
  void everyIndexBitFlipIsDetectedOrHarmless() throws IOException {
    byte[] good = Files.readAllBytes(index);
    int paddingStart = good.length - 48 + 4; // two 2-byte handles here, then padding up to the magic
    int paddingEnd = good.length - 8;
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit += 3) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << bit);
        Files.write(index, bad);
        if (i >= paddingStart && i < paddingEnd) {
          try (BundleReader r = BundleReader.open(prefix)) {
            assertArrayEquals(w, r.read("w").toFloatArray());
          }
        } else {
          int at = i;
          assertThrows(CheckpointFormatException.class, () -> BundleReader.open(prefix).close(),
              "flip of bit " + bit + " at byte " + at + " of " + good.length);
        }
      }
    }
  }

  @Test
  void entryPointingPastTheDataEnd() throws IOException {
    writeIndex(entry(1, new long[] {2}, 0, 100, 8, 0));
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> BundleReader.open(prefix));
    assertTrue(e.getMessage().startsWith("Data loss: entry for key x occupies bytes [100, 108) but the file has only"),
        e.getMessage());
    assertEquals(data, e.file());
  }

  @Test
  void sizeShapeMismatch() throws IOException {
    writeIndex(entry(1, new long[] {2, 3}, 0, 0, 20, 0));
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> BundleReader.open(prefix));
    assertEquals("Data loss: Invalid size in bundle entry: key x; stored size 20; expected size 24 in " + index,
        e.getMessage());
  }

  @Test
  void invalidShapesDtypesAndShards() throws IOException {
    writeIndex(entry(1, new long[] {-1, 3}, 0, 0, 12, 0));
    assertIndexProblem("Data loss: Invalid tensor shape: x [-1, 3]");
    writeIndex(entry(99, new long[] {1}, 0, 0, 4, 0));
    assertIndexProblem("Data loss: Invalid dtype 99 for key x");
    writeIndex(entry(1, new long[] {1}, 1, 0, 4, 0));
    assertIndexProblem("Data loss: shard_id 1 of key x is outside [0, 1)");
    writeIndex(entry(1, new long[] {1}, 0, -4, 4, 0));
    assertIndexProblem("Data loss: Invalid offset -4 or size 4 of key x");
    writeTable(new TableWriter().finish());
    assertIndexProblem("Data loss: Unable to read file (" + index + "). Perhaps the file is corrupt");
    TableWriter noHeader = new TableWriter();
    noHeader.add(TableFormatTest.bytes("x"), entry(1, new long[] {1}, 0, 0, 4, 0));
    writeTable(noHeader.finish());
    assertIndexProblem("Data loss: Unable to read file (" + index + ")");
    TableWriter garbage = new TableWriter();
    garbage.add(new byte[0], BundleProtos.encodeHeader(1));
    garbage.add(TableFormatTest.bytes("x"), new byte[] {0x12, 0x7f});
    writeTable(garbage.finish());
    assertIndexProblem("Data loss: Entry for key x not parseable");
  }

  @Test
  void newerFormatVersionsAreRefused() throws IOException {
    TableWriter t = new TableWriter();
    // version {producer: 2, min_consumer: 2}
    byte[] version = new ProtoWriter().varint(1, 2).varint(2, 2).toByteArray();
    t.add(new byte[0], new ProtoWriter().varint(1, 1).message(3, version).toByteArray());
    writeTable(t.finish());
    assertIndexProblem("Invalid argument: Checkpoint min consumer version 2 above current version 1");
  }

  @Test
  void unknownFieldsAreSkipped() throws IOException {
    TableWriter t = new TableWriter();
    ProtoWriter header = new ProtoWriter().varint(1, 1).message(3, new ProtoWriter().varint(1, 1).toByteArray())
        .varint(15, 12345).message(16, "future".getBytes(StandardCharsets.UTF_8));
    t.add(new byte[0], header.toByteArray());
    byte[] entry = BundleProtos.encodeEntry(1, new long[] {1}, 0, 0, 4, Crc32c.mask(Crc32c.value(new byte[4])),
        List.of());
    byte[] withExtra = concat(entry, new ProtoWriter().fixed32(9, 77).varint(10, 3).toByteArray());
    t.add(TableFormatTest.bytes("x"), withExtra);
    writeTable(t.finish());
    Files.write(data, new byte[4]);
    try (BundleReader r = BundleReader.open(prefix)) {
      assertArrayEquals(new float[] {0f}, r.read("x").toFloatArray());
    }
  }

  @Test
  void otherTfDtypesAreListedButNotRead() throws IOException {
    TableWriter t = new TableWriter();
    t.add(new byte[0], BundleProtos.encodeHeader(1));
    t.add(TableFormatTest.bytes("h"), entry(19, new long[] {2}, 0, 0, 4, 0)); // half
    t.add(TableFormatTest.bytes("s"), entry(7, new long[] {}, 0, 4, 10, 0)); // string
    t.add(TableFormatTest.bytes("u"), entry(4, new long[] {3}, 0, 14, 3, 0)); // uint8
    writeTable(t.finish());
    Files.write(data, new byte[17]);
    try (BundleReader r = BundleReader.open(prefix)) {
      assertEquals(List.of("half", "string", "uint8"),
          r.entries().values().stream().map(BundleEntry::dtypeName).toList());
      assertTrue(r.entry("s").orElseThrow().dtype().isEmpty());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.read("s"));
      assertEquals("Cannot read key s of dtype string: ScopeFlow tensors hold float, double, int32, int64, bool",
          e.getMessage());
    }
  }

  private void assertIndexProblem(String prefixOfMessage) {
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> BundleReader.open(prefix));
    assertTrue(e.getMessage().startsWith(prefixOfMessage), e.getMessage());
    assertTrue(e.getMessage().contains(index.toString()), e.getMessage());
  }

  private static byte[] entry(long dtype, long[] dims, int shard, long offset, long size, int crc) {
    return BundleProtos.encodeEntry(dtype, dims, shard, offset, size, crc, List.of());
  }

  private void writeIndex(byte[] entryX) throws IOException {
    TableWriter t = new TableWriter();
    t.add(new byte[0], BundleProtos.encodeHeader(1));
    t.add(TableFormatTest.bytes("x"), entryX);
    writeTable(t.finish());
  }

  private void writeTable(byte[] table) throws IOException {
    Files.write(index, table);
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.truncate(size);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
