package dev.scopeflow.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The parts of TF's {@code strings::OrderedCode} that name the pieces of a partitioned tensor in a bundle
 * ({@code checkpoint::EncodeTensorNameSlice}): {@code <0><name><rank><start_0><length_0>...}, where a whole
 * dimension is start 0, length -1.
 */
final class OrderedCode {
  private OrderedCode() {}

  /** {@code kLengthToHeaderBits}: the first two bytes' header bits for each encoding length. */
  private static final int[][] HEADER_BITS = {
    {0, 0}, {0x80, 0}, {0xc0, 0}, {0xe0, 0}, {0xf0, 0}, {0xf8, 0}, {0xfc, 0}, {0xfe, 0}, {0xff, 0}, {0xff, 0x80},
    {0xff, 0xc0},
  };

  /** TF's {@code EncodeTensorNameSlice}. */
  static byte[] encodeTensorNameSlice(String name, TensorSlice slice) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeNumIncreasing(out, 0);
    writeString(out, name.getBytes(StandardCharsets.UTF_8));
    writeNumIncreasing(out, slice.rank());
    for (TensorSlice.Extent e : slice.extents()) {
      writeSignedNumIncreasing(out, e.start());
      writeSignedNumIncreasing(out, e.length());
    }
    return out.toByteArray();
  }

  /** A length byte, then the value big-endian without leading zero bytes. */
  static void writeNumIncreasing(ByteArrayOutputStream out, long value) {
    int len = value == 0 ? 0 : 8 - Long.numberOfLeadingZeros(value) / 8;
    out.write(len);
    for (int i = len - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
  }

  /** The bytes with 0x00 escaped as 00 ff and 0xff as ff 00, then the separator 00 01. */
  static void writeString(ByteArrayOutputStream out, byte[] s) {
    for (byte b : s) {
      if (b == 0) {
        out.write(0);
        out.write(0xff);
      } else if (b == (byte) 0xff) {
        out.write(0xff);
        out.write(0);
      } else {
        out.write(b);
      }
    }
    out.write(0);
    out.write(1);
  }

  /**
   * Sign bit, then as many copies of it as bytes follow, a delimiter bit and the two's-complement value: 1 byte for
   * [-64, 64), 2 for [-2^13, 2^13), and so on up to 10.
   */
  static void writeSignedNumIncreasing(ByteArrayOutputStream out, long value) {
    long x = value < 0 ? ~value : value;
    if (x < 64) {
      out.write((0x80 ^ (int) value) & 0xff);
      return;
    }
    int bits = 64 - Long.numberOfLeadingZeros(x);
    int len = bits / 7 + 1;
    byte[] buf = new byte[10];
    byte sign = value < 0 ? (byte) 0xff : 0;
    buf[0] = sign;
    buf[1] = sign;
    for (int i = 0; i < 8; i++) {
      buf[2 + i] = (byte) (value >>> (56 - 8 * i));
    }
    int begin = 10 - len;
    buf[begin] ^= (byte) HEADER_BITS[len][0];
    buf[begin + 1] ^= (byte) HEADER_BITS[len][1];
    out.write(buf, begin, len);
  }
}
