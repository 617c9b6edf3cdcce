package dev.scopeflow.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SSTable layout of TF's table_builder.cc / format.cc / block_builder.cc, checked byte by byte against the format
 * description, and the reader's checks on broken tables.
 */
class TableFormatTest {
  private static final Path FILE = Path.of("/tmp/t.index");

  @Test
  void oneEntryTableIsByteExact() {
    TableWriter w = new TableWriter();
    w.add(bytes("a"), bytes("b"));
    byte[] actual = w.finish();

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    // data block at 0: shared=0 unshared=1 value_length=1 "a" "b", restart array [0], count 1
    block(expected, new int[] {0x00, 0x01, 0x01, 'a', 'b', 0, 0, 0, 0, 1, 0, 0, 0});
    // metaindex block at 18: empty (restart array [0], count 1)
    block(expected, new int[] {0, 0, 0, 0, 1, 0, 0, 0});
    // index block at 31: key FindShortSuccessor("a") = "b", value BlockHandle(0, 13) = varint 0, varint 13
    block(expected, new int[] {0x00, 0x01, 0x02, 'b', 0x00, 0x0d, 0, 0, 0, 0, 1, 0, 0, 0});
    // footer: metaindex handle (18, 8), index handle (31, 14), zero padding to 40 bytes, magic little-endian
    byte[] footer = new byte[48];
    footer[0] = 18;
    footer[1] = 8;
    footer[2] = 31;
    footer[3] = 14;
    int[] magic = {0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb};
    for (int i = 0; i < 8; i++) {
      footer[40 + i] = (byte) magic[i];
    }
    expected.write(footer, 0, footer.length);
    assertArrayEquals(expected.toByteArray(), actual);
    assertEquals(98, actual.length);
  }

  /** Appends block contents and the trailer: type 0 and the masked CRC32C of contents + type. */
  private static void block(ByteArrayOutputStream out, int[] contents) {
    byte[] withType = new byte[contents.length + 1];
    for (int i = 0; i < contents.length; i++) {
      withType[i] = (byte) contents[i];
    }
    out.write(withType, 0, withType.length);
    int crc = Crc32cTest.bitwiseCrc32c(withType);
    int masked = ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    for (int i = 0; i < 4; i++) {
      out.write(masked >>> (8 * i));
    }
  }

  @Test
  void restartPointsEvery16EntriesWithPrefixCompression() throws Exception {
    TableWriter w = new TableWriter();
    for (int i = 0; i < 40; i++) {
      w.add(bytes(String.format("key%03d", i)), bytes("v" + i));
    }
    byte[] file = w.finish();
    // The single data block starts at 0; its size is in the index block's only entry. Decode it by hand.
    long[] handles = footerHandles(file);
    byte[] index = Arrays.copyOfRange(file, (int) handles[2], (int) (handles[2] + handles[3]));
    assertEquals(1, Coding.decodeFixed32(index, index.length - 4), "one index entry, one restart");
    Coding.Cursor c = new Coding.Cursor(index, 0, index.length);
    long shared = c.readVarint32();
    long nonShared = c.readVarint32();
    long valueLength = c.readVarint32();
    assertEquals(0, shared);
    assertEquals("l", new String(index, c.pos, (int) nonShared, StandardCharsets.US_ASCII),
        "FindShortSuccessor of key039 increments the first byte that can be and cuts the rest");
    c.pos += (int) nonShared;
    long[] v = new long[1];
    c.readVarint64(v);
    assertEquals(0, v[0]);
    c.readVarint64(v);
    int blockSize = (int) v[0];
    assertEquals(valueLength, Coding.varintLength(0) + Coding.varintLength(blockSize));

    byte[] block = Arrays.copyOf(file, blockSize);
    int numRestarts = Coding.decodeFixed32(block, block.length - 4);
    assertEquals(3, numRestarts, "restarts at entries 0, 16, 32");
    int restartsAt = block.length - 4 * (numRestarts + 1);
    List<Integer> entryOffsets = new ArrayList<>();
    List<Long> sharedCounts = new ArrayList<>();
    Coding.Cursor d = new Coding.Cursor(block, 0, restartsAt);
    while (!d.atEnd()) {
      entryOffsets.add(d.pos);
      long s = d.readVarint32();
      long n = d.readVarint32();
      long l = d.readVarint32();
      sharedCounts.add(s);
      d.pos += (int) (n + l);
    }
    assertEquals(40, entryOffsets.size());
    for (int r = 0; r < 3; r++) {
      int offset = Coding.decodeFixed32(block, restartsAt + 4 * r);
      assertEquals(entryOffsets.get(16 * r), offset);
      assertEquals(0L, sharedCounts.get(16 * r), "restart entries store the whole key");
    }
    assertEquals(5L, sharedCounts.get(1), "key001 shares 'key00' with key000");
    assertEquals(4L, sharedCounts.get(10), "key010 shares 'key0' with key009");
  }

  @Test
  void manyBlocksRoundTripAndIndexUsesRestartInterval1() throws Exception {
    TableWriter w = new TableWriter(256);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      byte[] k = bytes("layer" + (i / 50) + "/w" + i);
      keys.add(k);
    }
    keys.sort(TableFormat::compareKeys);
    for (int i = 0; i < keys.size(); i++) {
      w.add(keys.get(i), bytes("value-" + i));
    }
    byte[] file = w.finish();
    long[] handles = footerHandles(file);
    byte[] index = Arrays.copyOfRange(file, (int) handles[2], (int) (handles[2] + handles[3]));
    int numRestarts = Coding.decodeFixed32(index, index.length - 4);
    assertTrue(numRestarts > 10, "many data blocks: " + numRestarts);
    // restart interval 1: every index entry is a restart point with shared == 0
    for (int r = 0; r < numRestarts; r++) {
      int offset = Coding.decodeFixed32(index, index.length - 4 * (numRestarts + 1) + 4 * r);
      assertEquals(0, index[offset]);
    }
    List<TableReader.Entry> entries = TableReader.readAll(FILE, file);
    assertEquals(500, entries.size());
    for (int i = 0; i < 500; i++) {
      assertArrayEquals(keys.get(i), entries.get(i).key());
      assertArrayEquals(bytes("value-" + i), entries.get(i).value());
    }
  }

  @Test
  void separators() {
    assertArrayEquals(bytes("abc2"), TableWriter.shortestSeparator(bytes("abc1xyz"), bytes("abc5")));
    assertArrayEquals(bytes("abc"), TableWriter.shortestSeparator(bytes("abc"), bytes("abcd")));
    assertArrayEquals(bytes("ab1"), TableWriter.shortestSeparator(bytes("ab1"), bytes("ab2")),
        "no byte fits strictly between 1 and 2");
    assertArrayEquals(new byte[] {'a', (byte) 0xff, 'x'},
        TableWriter.shortestSeparator(new byte[] {'a', (byte) 0xff, 'x'}, new byte[] {'b'}),
        "FindShortestSeparator compares bytes unsigned; 'a'+1 is not < 'b'");
    assertArrayEquals(bytes("b"), TableWriter.shortSuccessor(bytes("abc")));
    assertArrayEquals(new byte[] {(byte) 0xff, 'b'}, TableWriter.shortSuccessor(new byte[] {(byte) 0xff, 'a', 'z'}));
    assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff},
        TableWriter.shortSuccessor(new byte[] {(byte) 0xff, (byte) 0xff}));
  }

  @Test
  void keysMustIncrease() {
    TableWriter w = new TableWriter();
    w.add(bytes("b"), bytes(""));
    assertThrows(IllegalArgumentException.class, () -> w.add(bytes("a"), bytes("")));
    assertThrows(IllegalArgumentException.class, () -> w.add(bytes("b"), bytes("")));
  }

  @Test
  void readerRejectsBrokenTables() {
    TableWriter w = new TableWriter();
    w.add(bytes("a"), bytes("b"));
    w.add(bytes("c"), bytes("d"));
    byte[] good = w.finish();

    assertProblem("file is too short to be an sstable", Arrays.copyOf(good, 47));
    byte[] badMagic = good.clone();
    badMagic[good.length - 1] ^= 1;
    assertProblem("not an sstable (bad magic number)", badMagic);
    byte[] flipped = good.clone();
    flipped[3] ^= 0x20; // inside the data block
    assertProblem("block checksum mismatch", flipped);
    byte[] badHandle = good.clone();
    badHandle[good.length - 48 + 2] = (byte) 0x7f; // index block offset far past the end
    assertProblem("truncated block read", badHandle);
    byte[] truncated = Arrays.copyOfRange(good, 10, good.length);
    assertProblem("", truncated);
  }

  @Test
  void readerRejectsBadBlockTypeAndBadRestartArray() {
    TableWriter w = new TableWriter();
    w.add(bytes("a"), bytes("b"));
    byte[] good = w.finish();
    // data block: 13 bytes of contents, then the type byte at 13 and its CRC at 14..17
    byte[] badType = good.clone();
    badType[13] = 7;
    fixCrc(badType, 0, 13);
    assertProblem("bad block type 7", badType);

    byte[] badRestarts = good.clone();
    badRestarts[9] = (byte) 0xff; // restart count 255 in a 13-byte block
    fixCrc(badRestarts, 0, 13);
    assertProblem("bad block contents", badRestarts);

    byte[] badEntry = good.clone();
    badEntry[1] = 0x40; // unshared length 64 runs past the block
    fixCrc(badEntry, 0, 13);
    assertProblem("bad entry in block", badEntry);
  }

  @Test
  void snappyBlocksAreUncompressed() {
    // "abcabcabcabc": length 12, literal "abc" (tag (3-1)<<2), copy of 9 bytes at offset 3 (tag (9-4)<<2 | 1)
    byte[] compressed = {0x0c, 0x08, 'a', 'b', 'c', 0x15, 0x03};
    assertArrayEquals(bytes("abcabcabcabc"), Snappy.uncompress(compressed, 0, compressed.length));
    byte[] bad = {0x0c, 0x08, 'a', 'b', 'c', 0x15, 0x05}; // offset 5 before the start
    assertThrows(IllegalArgumentException.class, () -> Snappy.uncompress(bad, 0, bad.length));
    byte[] shortOut = {0x0d, 0x08, 'a', 'b', 'c', 0x15, 0x03}; // announces 13 bytes, yields 12
    assertThrows(IllegalArgumentException.class, () -> Snappy.uncompress(shortOut, 0, shortOut.length));
  }

  /** A table whose data block is stored snappy-compressed (type 1), as LevelDB-style writers may store blocks. */
  @Test
  void snappyCompressedBlocksAreRead() throws Exception {
    // data block for "a" -> "b": entry 00 01 01 'a' 'b', restart array [0], count 1
    byte[] raw = {0, 1, 1, 'a', 'b', 0, 0, 0, 0, 1, 0, 0, 0};
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    compressed.write(raw.length); // uncompressed length, varint
    compressed.write((raw.length - 1) << 2); // one literal of 13 bytes
    compressed.write(raw, 0, raw.length);
    byte[] dataBlock = compressed.toByteArray();
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    long[] data = appendBlock(file, dataBlock, TableFormat.SNAPPY_COMPRESSION);
    long[] meta = appendBlock(file, new byte[] {0, 0, 0, 0, 1, 0, 0, 0}, TableFormat.NO_COMPRESSION);
    byte[] handle = TableWriter.encodeHandle(new TableFormat.BlockHandle(data[0], data[1]));
    ByteArrayOutputStream index = new ByteArrayOutputStream();
    index.write(new byte[] {0, 1, (byte) handle.length, 'b'});
    index.write(handle);
    index.write(new byte[] {0, 0, 0, 0, 1, 0, 0, 0});
    long[] idx = appendBlock(file, index.toByteArray(), TableFormat.NO_COMPRESSION);
    byte[] footer = new byte[48];
    byte[] handles = concat(TableWriter.encodeHandle(new TableFormat.BlockHandle(meta[0], meta[1])),
        TableWriter.encodeHandle(new TableFormat.BlockHandle(idx[0], idx[1])));
    System.arraycopy(handles, 0, footer, 0, handles.length);
    Coding.encodeFixed64(footer, 40, TableFormat.MAGIC);
    file.write(footer);
    List<TableReader.Entry> entries = TableReader.readAll(FILE, file.toByteArray());
    assertEquals(1, entries.size());
    assertArrayEquals(bytes("a"), entries.get(0).key());
    assertArrayEquals(bytes("b"), entries.get(0).value());

    byte[] broken = file.toByteArray();
    broken[1] = (byte) ((raw.length + 3) << 2); // the literal now claims to run past the block
    fixCrc(broken, 0, dataBlock.length);
    assertProblem("corrupted compressed block contents", broken);
  }

  /** Appends contents, type and masked CRC; returns the block's handle (offset, size). */
  private static long[] appendBlock(ByteArrayOutputStream file, byte[] contents, byte type) {
    long offset = file.size();
    file.write(contents, 0, contents.length);
    file.write(type);
    byte[] withType = java.util.Arrays.copyOf(contents, contents.length + 1);
    withType[contents.length] = type;
    int masked = Crc32c.mask(Crc32c.value(withType));
    for (int i = 0; i < 4; i++) {
      file.write(masked >>> (8 * i));
    }
    return new long[] {offset, contents.length};
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  static void fixCrc(byte[] file, int blockOffset, int blockSize) {
    int crc = Crc32c.value(file, blockOffset, blockSize + 1);
    Coding.encodeFixed32(file, blockOffset + blockSize + 1, Crc32c.mask(crc));
  }

  private static void assertProblem(String fragment, byte[] file) {
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TableReader.readAll(FILE, file));
    assertTrue(e.getMessage().startsWith("Data loss: "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().endsWith(" in " + FILE), e.getMessage());
    assertEquals(FILE, e.file());
  }

  /** metaindex offset, size, index offset, size. */
  private static long[] footerHandles(byte[] file) {
    Coding.Cursor c = new Coding.Cursor(file, file.length - 48, file.length - 8);
    long[] r = new long[4];
    long[] v = new long[1];
    for (int i = 0; i < 4; i++) {
      c.readVarint64(v);
      r[i] = v[0];
    }
    return r;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
