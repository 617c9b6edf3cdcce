package dev.scopeflow.checkpoint;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli) as TensorFlow's {@code tensorflow/core/lib/hash/crc32c.h} uses it: the plain checksum, and the
 * masked form TF stores next to data ({@link #mask}), since a CRC stored inside the bytes it covers checksums badly.
 */
public final class Crc32c {
  /** TF's {@code kMaskDelta}. */
  private static final int MASK_DELTA = 0xa282ead8;

  private Crc32c() {}

  /** CRC-32C of {@code data[offset, offset + length)}. */
  public static int value(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  /** CRC-32C of all of {@code data}. */
  public static int value(byte[] data) {
    return value(data, 0, data.length);
  }

  /** CRC-32C of the remaining bytes of {@code buffer}; the buffer's position is left unchanged. */
  public static int value(ByteBuffer buffer) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.duplicate());
    return (int) crc.getValue();
  }

  /** TF's {@code crc32c::Mask}: rotate right by 15 bits and add a constant. */
  public static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  /** TF's {@code crc32c::Unmask}, the inverse of {@link #mask}. */
  public static int unmask(int maskedCrc) {
    int rot = maskedCrc - MASK_DELTA;
    return (rot >>> 17) | (rot << 15);
  }

  /** Eight lowercase hex digits, the way checksums appear in our messages. */
  static String hex(int crc) {
    return String.format("%08x", crc);
  }
}
