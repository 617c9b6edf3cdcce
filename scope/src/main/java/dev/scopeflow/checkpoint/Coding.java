package dev.scopeflow.checkpoint;

import java.io.ByteArrayOutputStream;

/**
 * LevelDB/TF coding primitives ({@code tensorflow/core/lib/core/coding.h}): little-endian fixed-width integers and
 * base-128 varints. Decoding works on a {@link Cursor} that reports malformed input as {@code null}/-1 results so the
 * caller can name the file and structure that is broken.
 */
final class Coding {
  private Coding() {}

  static void putVarint64(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static void putFixed32(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }

  static int varintLength(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  static int decodeFixed32(byte[] b, int p) {
    return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
  }

  static long decodeFixed64(byte[] b, int p) {
    return (decodeFixed32(b, p) & 0xFFFFFFFFL) | ((long) decodeFixed32(b, p + 4) << 32);
  }

  static void encodeFixed32(byte[] b, int p, int v) {
    b[p] = (byte) v;
    b[p + 1] = (byte) (v >>> 8);
    b[p + 2] = (byte) (v >>> 16);
    b[p + 3] = (byte) (v >>> 24);
  }

  static void encodeFixed64(byte[] b, int p, long v) {
    encodeFixed32(b, p, (int) v);
    encodeFixed32(b, p + 4, (int) (v >>> 32));
  }

  /** A read position inside {@code data[.., limit)}. */
  static final class Cursor {
    final byte[] data;
    int pos;
    final int limit;

    Cursor(byte[] data, int pos, int limit) {
      this.data = data;
      this.pos = pos;
      this.limit = limit;
    }

    boolean atEnd() {
      return pos >= limit;
    }

    int remaining() {
      return limit - pos;
    }

    /** Reads a varint of at most 10 bytes; returns false (position unspecified) when malformed or truncated. */
    boolean readVarint64(long[] out) {
      long result = 0;
      for (int shift = 0; shift <= 63; shift += 7) {
        if (pos >= limit) {
          return false;
        }
        int b = data[pos++] & 0xFF;
        if (shift == 63 && b > 1) {
          return false; // more than 64 bits
        }
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          out[0] = result;
          return true;
        }
      }
      return false;
    }

    /** Reads a varint32 (at most 5 bytes, value < 2^32); returns -1 when malformed or truncated. */
    long readVarint32() {
      long result = 0;
      for (int shift = 0; shift <= 28; shift += 7) {
        if (pos >= limit) {
          return -1;
        }
        int b = data[pos++] & 0xFF;
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return result > 0xFFFFFFFFL ? -1 : result;
        }
      }
      return -1;
    }
  }
}
