package dev.scopeflow.checkpoint;

/**
 * Snappy decompression (format_description.txt of google/snappy), for SSTable blocks stored with TF's
 * {@code kSnappyCompression}. TF's {@code BundleWriter} never compresses, but TF's table reader accepts such blocks,
 * so we do too.
 */
final class Snappy {
  private Snappy() {}

  /** Uncompresses {@code in[offset, offset + length)}; throws IllegalArgumentException for malformed input. */
  static byte[] uncompress(byte[] in, int offset, int length) {
    Coding.Cursor cursor = new Coding.Cursor(in, offset, offset + length);
    long expected = cursor.readVarint32();
    if (expected < 0 || expected > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("bad uncompressed length");
    }
    byte[] out = new byte[(int) expected];
    int op = 0;
    while (!cursor.atEnd()) {
      int tag = in[cursor.pos++] & 0xFF;
      int len;
      switch (tag & 3) {
        case 0: {
          len = tag >>> 2;
          if (len >= 60) {
            int bytes = len - 59;
            len = (int) readLittleEndian(cursor, bytes);
          }
          long n = (len & 0xFFFFFFFFL) + 1;
          if (n > cursor.remaining() || n > out.length - op) {
            throw new IllegalArgumentException("literal runs past the end");
          }
          System.arraycopy(in, cursor.pos, out, op, (int) n);
          cursor.pos += (int) n;
          op += (int) n;
          continue;
        }
        case 1: {
          len = 4 + ((tag >>> 2) & 7);
          int copyOffset = ((tag >>> 5) << 8) | (int) readLittleEndian(cursor, 1);
          op = copy(out, op, copyOffset, len);
          continue;
        }
        case 2: {
          len = (tag >>> 2) + 1;
          op = copy(out, op, (int) readLittleEndian(cursor, 2), len);
          continue;
        }
        default: {
          len = (tag >>> 2) + 1;
          long copyOffset = readLittleEndian(cursor, 4);
          if (copyOffset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("copy offset out of range");
          }
          op = copy(out, op, (int) copyOffset, len);
        }
      }
    }
    if (op != out.length) {
      throw new IllegalArgumentException("uncompressed " + op + " bytes where " + out.length + " were announced");
    }
    return out;
  }

  private static int copy(byte[] out, int op, int offset, int len) {
    if (offset <= 0 || offset > op || len > out.length - op) {
      throw new IllegalArgumentException("bad copy (offset " + offset + ", length " + len + ")");
    }
    for (int i = 0; i < len; i++) { // byte by byte: source and destination may overlap
      out[op + i] = out[op - offset + i];
    }
    return op + len;
  }

  private static long readLittleEndian(Coding.Cursor cursor, int bytes) {
    if (cursor.remaining() < bytes) {
      throw new IllegalArgumentException("truncated input");
    }
    long v = 0;
    for (int i = 0; i < bytes; i++) {
      v |= (long) (cursor.data[cursor.pos++] & 0xFF) << (8 * i);
    }
    return v;
  }
}
