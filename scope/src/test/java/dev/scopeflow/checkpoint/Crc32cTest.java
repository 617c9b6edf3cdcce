package dev.scopeflow.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CRC-32C against published test vectors (RFC 3720 B.4, TF's crc32c_test.cc) and TF's mask. */
class Crc32cTest {
  @Test
  void rfc3720Vectors() {
    byte[] buf = new byte[32];
    assertEquals(0x8a9136aa, Crc32c.value(buf));
    Arrays.fill(buf, (byte) 0xff);
    assertEquals(0x62a8ab43, Crc32c.value(buf));
    for (int i = 0; i < 32; i++) {
      buf[i] = (byte) i;
    }
    assertEquals(0x46dd794e, Crc32c.value(buf));
    for (int i = 0; i < 32; i++) {
      buf[i] = (byte) (31 - i);
    }
    assertEquals(0x113fdb5c, Crc32c.value(buf));
    // The iSCSI SCSI Read (10) command PDU of RFC 3720 B.4.
    byte[] pdu = new byte[48];
    pdu[0] = 0x01;
    pdu[1] = (byte) 0xc0;
    pdu[16] = 0x14;
    pdu[22] = 0x04;
    pdu[27] = 0x14;
    pdu[31] = 0x18;
    pdu[32] = 0x28;
    pdu[40] = 0x02;
    assertEquals(0xd9963a56, Crc32c.value(pdu));
  }

  @Test
  void checkString() {
    assertEquals(0xe3069283, Crc32c.value("123456789".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(0, Crc32c.value(new byte[0]));
  }

  @Test
  void offsetLengthAndBufferVariantsAgree() {
    byte[] hello = "xxhello worldyy".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0xc99465aa, Crc32c.value(hello, 2, 11));
    ByteBuffer b = ByteBuffer.wrap(hello, 2, 11);
    assertEquals(0xc99465aa, Crc32c.value(b));
    assertEquals(2, b.position(), "value(ByteBuffer) leaves the position alone");
  }

  @Test
  void maskMatchesTf() {
    // Expected masked values from a bitwise CRC-32C and TF's Mask ((crc >> 15 | crc << 17) + 0xa282ead8).
    assertEquals(0xfebe8a61, Crc32c.mask(Crc32c.value("foo".getBytes(StandardCharsets.US_ASCII))));
    assertEquals(0xc78ab0e5, Crc32c.mask(0xe3069283));
    assertEquals(0x0fd7fffa, Crc32c.mask(0x8a9136aa));
    assertEquals(0xa282ead8, Crc32c.mask(0));
  }

  @Test
  void maskRoundTripsLikeTfTest() {
    int crc = Crc32c.value("foo".getBytes(StandardCharsets.US_ASCII));
    assertNotEquals(crc, Crc32c.mask(crc));
    assertNotEquals(crc, Crc32c.mask(Crc32c.mask(crc)));
    assertEquals(crc, Crc32c.unmask(Crc32c.mask(crc)));
    assertEquals(crc, Crc32c.unmask(Crc32c.unmask(Crc32c.mask(Crc32c.mask(crc)))));
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      int v = random.nextInt();
      assertEquals(v, Crc32c.unmask(Crc32c.mask(v)));
    }
  }

  @Test
  void agreesWithBitwiseReferenceOnRandomInput() {
    Random random = new Random(11);
    for (int len = 0; len < 300; len += 7) {
      byte[] data = new byte[len];
      random.nextBytes(data);
      assertEquals(bitwiseCrc32c(data), Crc32c.value(data), "length " + len);
    }
  }

  /** The reflected CRC-32C polynomial 0x82f63b78, one bit at a time. */
  static int bitwiseCrc32c(byte[] data) {
    int crc = 0xffffffff;
    for (byte b : data) {
      crc ^= b & 0xff;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
      }
    }
    return ~crc;
  }
}
