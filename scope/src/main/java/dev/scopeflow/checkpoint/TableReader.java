package dev.scopeflow.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a whole SSTable (an index file, small enough to hold in memory) and checks everything TF's
 * {@code table::Table} and {@code Block} check, plus what they leave to luck: footer magic, block handles inside the
 * file, every block's masked CRC32C and type, the restart arrays, entry bounds, strictly increasing keys, and that
 * the index keys separate the data blocks. Problems raise {@link CheckpointFormatException} with TF's wording and the
 * file name.
 */
final class TableReader {
  /** One key/value pair. */
  record Entry(byte[] key, byte[] value) {}

  private final Path file;
  private final byte[] data;

  private TableReader(Path file, byte[] data) {
    this.file = file;
    this.data = data;
  }

  /** All entries of the table, in key order. */
  static List<Entry> readAll(Path file, byte[] data) throws CheckpointFormatException {
    return new TableReader(file, data).readAll();
  }

  private List<Entry> readAll() throws CheckpointFormatException {
    if (data.length < TableFormat.FOOTER_LENGTH) {
      throw corrupt("file is too short to be an sstable (" + data.length + " bytes)");
    }
    int footer = data.length - TableFormat.FOOTER_LENGTH;
    long magic = Coding.decodeFixed64(data, data.length - 8);
    if (magic != TableFormat.MAGIC) {
      throw corrupt("not an sstable (bad magic number)");
    }
    Coding.Cursor cursor = new Coding.Cursor(data, footer, data.length - 8);
    TableFormat.BlockHandle metaindex = decodeHandle(cursor, "bad block handle (metaindex) in footer");
    TableFormat.BlockHandle index = decodeHandle(cursor, "bad block handle (index) in footer");
    readBlock(metaindex, footer, "metaindex");
    List<Entry> indexEntries = parseBlock(readBlock(index, footer, "index"), "index");

    List<Entry> result = new ArrayList<>();
    byte[] previousSeparator = null;
    for (Entry indexEntry : indexEntries) {
      Coding.Cursor handleCursor = new Coding.Cursor(indexEntry.value(), 0, indexEntry.value().length);
      TableFormat.BlockHandle handle = decodeHandle(handleCursor, "bad block handle in index block");
      List<Entry> block = parseBlock(readBlock(handle, footer, "data"), "data");
      if (block.isEmpty()) {
        throw corrupt("empty data block at offset " + handle.offset());
      }
      byte[] first = block.get(0).key();
      byte[] last = block.get(block.size() - 1).key();
      if (previousSeparator != null && TableFormat.compareKeys(first, previousSeparator) <= 0) {
        throw corrupt("index key does not separate the data blocks before offset " + handle.offset());
      }
      if (TableFormat.compareKeys(last, indexEntry.key()) > 0) {
        throw corrupt("index key is smaller than the last key of the data block at offset " + handle.offset());
      }
      if (!result.isEmpty() && TableFormat.compareKeys(first, result.get(result.size() - 1).key()) <= 0) {
        throw corrupt("keys out of order across data blocks at offset " + handle.offset());
      }
      result.addAll(block);
      previousSeparator = indexEntry.key();
    }
    return result;
  }

  private TableFormat.BlockHandle decodeHandle(Coding.Cursor cursor, String problem)
      throws CheckpointFormatException {
    long[] offset = new long[1];
    long[] size = new long[1];
    if (!cursor.readVarint64(offset) || !cursor.readVarint64(size) || offset[0] < 0 || size[0] < 0) {
      throw corrupt(problem);
    }
    return new TableFormat.BlockHandle(offset[0], size[0]);
  }

  /** The block's contents after checking bounds, checksum and compression type. */
  private byte[] readBlock(TableFormat.BlockHandle handle, int limit, String what) throws CheckpointFormatException {
    long end = handle.offset() + handle.size() + TableFormat.BLOCK_TRAILER_LENGTH;
    if (handle.offset() > limit || handle.size() > limit || end > limit) {
      throw corrupt("truncated block read: " + what + " block [" + handle.offset() + ", " + end
          + ") extends past the blocks region of " + limit + " bytes");
    }
    int start = (int) handle.offset();
    int n = (int) handle.size();
    int stored = Crc32c.unmask(Coding.decodeFixed32(data, start + n + 1));
    int actual = Crc32c.value(data, start, n + 1);
    if (stored != actual) {
      throw corrupt("block checksum mismatch: " + what + " block at offset " + start + " stores "
          + Crc32c.hex(stored) + ", computed " + Crc32c.hex(actual));
    }
    byte type = data[start + n];
    if (type == TableFormat.NO_COMPRESSION) {
      return Arrays.copyOfRange(data, start, start + n);
    }
    if (type == TableFormat.SNAPPY_COMPRESSION) {
      try {
        return Snappy.uncompress(data, start, n);
      } catch (IllegalArgumentException e) {
        throw corrupt("corrupted compressed block contents: " + what + " block at offset " + start + ": "
            + e.getMessage());
      }
    }
    throw corrupt("bad block type " + (type & 0xFF) + " of " + what + " block at offset " + start);
  }

  /** Decodes every entry of a block, checking the restart array against the entries. */
  private List<Entry> parseBlock(byte[] block, String what) throws CheckpointFormatException {
    if (block.length < 4) {
      throw corrupt("bad block contents: " + what + " block of " + block.length + " bytes");
    }
    long numRestarts = Coding.decodeFixed32(block, block.length - 4) & 0xFFFFFFFFL;
    long maxRestarts = (block.length - 4) / 4;
    if (numRestarts > maxRestarts) {
      throw corrupt("bad block contents: " + what + " block claims " + numRestarts + " restart points");
    }
    int restartsOffset = (int) (block.length - (1 + numRestarts) * 4);
    if (restartsOffset == 0) {
      return List.of(); // an empty block, e.g. the metaindex block TF writes
    }
    if (numRestarts == 0) {
      throw corrupt("bad block contents: " + what + " block has entries but no restart points");
    }
    long[] restarts = new long[(int) numRestarts];
    for (int i = 0; i < numRestarts; i++) {
      restarts[i] = Coding.decodeFixed32(block, restartsOffset + 4 * i) & 0xFFFFFFFFL;
      if (restarts[i] >= restartsOffset || (i > 0 && restarts[i] <= restarts[i - 1])) {
        throw corrupt("bad block contents: " + what + " block has restart point " + restarts[i] + " out of order");
      }
    }
    if (numRestarts > 0 && restarts[0] != 0) {
      throw corrupt("bad block contents: first restart point of " + what + " block is " + restarts[0]);
    }
    List<Entry> entries = new ArrayList<>();
    Coding.Cursor cursor = new Coding.Cursor(block, 0, restartsOffset);
    byte[] key = new byte[0];
    int nextRestart = 0;
    while (!cursor.atEnd()) {
      int entryStart = cursor.pos;
      boolean isRestart = nextRestart < numRestarts && restarts[nextRestart] == entryStart;
      if (nextRestart < numRestarts && restarts[nextRestart] < entryStart) {
        throw corrupt("bad entry in block: restart point " + restarts[nextRestart] + " of " + what
            + " block is not at an entry");
      }
      long shared = cursor.readVarint32();
      long nonShared = shared < 0 ? -1 : cursor.readVarint32();
      long valueLength = nonShared < 0 ? -1 : cursor.readVarint32();
      if (valueLength < 0 || nonShared + valueLength > cursor.remaining() || shared > key.length
          || (isRestart && shared != 0)) {
        throw corrupt("bad entry in block: " + what + " block entry at offset " + entryStart);
      }
      byte[] next = Arrays.copyOf(key, (int) (shared + nonShared));
      System.arraycopy(block, cursor.pos, next, (int) shared, (int) nonShared);
      cursor.pos += (int) nonShared;
      byte[] value = Arrays.copyOfRange(block, cursor.pos, cursor.pos + (int) valueLength);
      cursor.pos += (int) valueLength;
      if (!entries.isEmpty() && TableFormat.compareKeys(next, key) <= 0) {
        throw corrupt("keys out of order in " + what + " block at offset " + entryStart);
      }
      entries.add(new Entry(next, value));
      key = next;
      if (isRestart) {
        nextRestart++;
      }
    }
    if (nextRestart != numRestarts) {
      throw corrupt("bad entry in block: restart point " + restarts[nextRestart] + " of " + what
          + " block is not at an entry");
    }
    return entries;
  }

  private CheckpointFormatException corrupt(String problem) {
    return CheckpointFormatException.dataLoss(file, problem);
  }
}
