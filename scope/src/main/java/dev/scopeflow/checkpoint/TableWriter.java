package dev.scopeflow.checkpoint;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Builds an SSTable in memory exactly as TF's {@code table::TableBuilder} writes it with the options
 * {@code BundleWriter} uses: data blocks of about 256 KiB (restart interval 16), an empty metaindex block, an index
 * block (restart interval 1) whose keys are TF's shortened separators, and the 48-byte footer. Keys must be added in
 * strictly increasing unsigned-byte order.
 */
final class TableWriter {
  private static final int OVERLY_LARGE_BLOCK_RATIO = 2;

  private final ByteArrayOutputStream file = new ByteArrayOutputStream();
  private final BlockBuilder dataBlock = new BlockBuilder(TableFormat.RESTART_INTERVAL);
  private final BlockBuilder indexBlock = new BlockBuilder(1);
  private final int blockSize;
  private byte[] lastKey;
  private boolean pendingIndexEntry;
  private TableFormat.BlockHandle pendingHandle;
  private boolean finished;

  TableWriter() {
    this(TableFormat.BLOCK_SIZE);
  }

  /** With a smaller block size, so tests can build many-block tables from few keys. */
  TableWriter(int blockSize) {
    this.blockSize = blockSize;
  }

  void add(byte[] key, byte[] value) {
    if (finished) {
      throw new IllegalStateException("table already finished");
    }
    if (lastKey != null) {
      if (TableFormat.compareKeys(key, lastKey) <= 0) {
        throw new IllegalArgumentException("keys must be added in increasing order");
      }
      if ((long) key.length + value.length >= (long) OVERLY_LARGE_BLOCK_RATIO * blockSize) {
        flush();
      }
    }
    if (pendingIndexEntry) {
      indexBlock.add(shortestSeparator(lastKey, key), encodeHandle(pendingHandle));
      pendingIndexEntry = false;
    }
    lastKey = key.clone();
    dataBlock.add(key, value);
    if (dataBlock.currentSizeEstimate() >= blockSize) {
      flush();
    }
  }

  /** Writes the remaining blocks and the footer; returns the whole file. */
  byte[] finish() {
    flush();
    finished = true;
    TableFormat.BlockHandle metaindex = writeBlock(new BlockBuilder(TableFormat.RESTART_INTERVAL));
    if (pendingIndexEntry) {
      indexBlock.add(shortSuccessor(lastKey), encodeHandle(pendingHandle));
      pendingIndexEntry = false;
    }
    TableFormat.BlockHandle index = writeBlock(indexBlock);
    byte[] footer = new byte[TableFormat.FOOTER_LENGTH];
    byte[] handles = concat(encodeHandle(metaindex), encodeHandle(index));
    System.arraycopy(handles, 0, footer, 0, handles.length);
    Coding.encodeFixed64(footer, 2 * TableFormat.MAX_HANDLE_LENGTH, TableFormat.MAGIC);
    file.write(footer, 0, footer.length);
    return file.toByteArray();
  }

  private void flush() {
    if (dataBlock.isEmpty()) {
      return;
    }
    pendingHandle = writeBlock(dataBlock);
    pendingIndexEntry = true;
    dataBlock.reset();
  }

  private TableFormat.BlockHandle writeBlock(BlockBuilder block) {
    byte[] contents = block.finish();
    TableFormat.BlockHandle handle = new TableFormat.BlockHandle(file.size(), contents.length);
    file.write(contents, 0, contents.length);
    byte[] trailer = new byte[TableFormat.BLOCK_TRAILER_LENGTH];
    trailer[0] = TableFormat.NO_COMPRESSION;
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(contents);
    crc.update(trailer, 0, 1); // the CRC covers the block type too
    Coding.encodeFixed32(trailer, 1, Crc32c.mask((int) crc.getValue()));
    file.write(trailer, 0, trailer.length);
    return handle;
  }

  static byte[] encodeHandle(TableFormat.BlockHandle handle) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(TableFormat.MAX_HANDLE_LENGTH);
    Coding.putVarint64(out, handle.offset());
    Coding.putVarint64(out, handle.size());
    return out.toByteArray();
  }

  /** TF's {@code FindShortestSeparator}: a short key in {@code [start, limit)}. */
  static byte[] shortestSeparator(byte[] start, byte[] limit) {
    int min = Math.min(start.length, limit.length);
    int diff = 0;
    while (diff < min && start[diff] == limit[diff]) {
      diff++;
    }
    if (diff >= min) {
      return start.clone(); // one is a prefix of the other
    }
    int diffByte = start[diff] & 0xFF;
    if (diffByte < 0xFF && diffByte + 1 < (limit[diff] & 0xFF)) {
      byte[] r = Arrays.copyOf(start, diff + 1);
      r[diff]++;
      return r;
    }
    return start.clone();
  }

  /** TF's {@code FindShortSuccessor}: a short key {@code >= key}. */
  static byte[] shortSuccessor(byte[] key) {
    for (int i = 0; i < key.length; i++) {
      if ((key[i] & 0xFF) != 0xFF) {
        byte[] r = Arrays.copyOf(key, i + 1);
        r[i]++;
        return r;
      }
    }
    return key.clone();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
