package dev.scopeflow.checkpoint;

/**
 * Constants of the SSTable layout TF's {@code tensorflow/core/lib/io/format.h} and {@code table_options.h} define,
 * with the options TF's {@code BundleWriter} builds its index with (defaults, no compression).
 */
final class TableFormat {
  private TableFormat() {}

  /** {@code kTableMagicNumber}, stored little-endian in the last 8 bytes of the file. */
  static final long MAGIC = 0xdb4775248b80fb57L;
  /** {@code BlockHandle::kMaxEncodedLength}: two varint64s. */
  static final int MAX_HANDLE_LENGTH = 20;
  /** {@code Footer::kEncodedLength}: two padded handles and the magic. */
  static final int FOOTER_LENGTH = 2 * MAX_HANDLE_LENGTH + 8;
  /** {@code kBlockTrailerSize}: a compression-type byte and a masked CRC32C. */
  static final int BLOCK_TRAILER_LENGTH = 5;
  static final byte NO_COMPRESSION = 0;
  static final byte SNAPPY_COMPRESSION = 1;
  /** {@code Options::block_size}. */
  static final int BLOCK_SIZE = 262144;
  /** {@code Options::block_restart_interval} for data blocks; index blocks use 1. */
  static final int RESTART_INTERVAL = 16;

  /** Offset and size of a block, without its trailer. */
  record BlockHandle(long offset, long size) {}

  /** Unsigned bytewise order, the order of TF's default comparator. */
  static int compareKeys(byte[] a, byte[] b) {
    return java.util.Arrays.compareUnsigned(a, b);
  }
}
