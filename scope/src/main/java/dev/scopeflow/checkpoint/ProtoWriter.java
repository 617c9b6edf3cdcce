package dev.scopeflow.checkpoint;

import java.io.ByteArrayOutputStream;

/**
 * The few protobuf wire-format writes the bundle messages need, in field-number order with proto3's rule that scalar
 * fields holding their default value are left out, so our bytes equal those of TF's {@code SerializeAsString}.
 */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** An int32/int64/enum/bool field; omitted when zero. Negative values take ten bytes, as protobuf writes them. */
  ProtoWriter varint(int field, long value) {
    if (value != 0) {
      Coding.putVarint64(out, (long) field << 3 | VARINT);
      Coding.putVarint64(out, value);
    }
    return this;
  }

  /** A fixed32 field; omitted when zero. */
  ProtoWriter fixed32(int field, int value) {
    if (value != 0) {
      Coding.putVarint64(out, (long) field << 3 | FIXED32);
      Coding.putFixed32(out, value);
    }
    return this;
  }

  /** A present sub-message or bytes field, written even when empty (the message was set). */
  ProtoWriter message(int field, byte[] bytes) {
    Coding.putVarint64(out, (long) field << 3 | LENGTH_DELIMITED);
    Coding.putVarint64(out, bytes.length);
    out.write(bytes, 0, bytes.length);
    return this;
  }

  /** A oneof member or explicitly present int64: written even when zero. */
  ProtoWriter presentVarint(int field, long value) {
    Coding.putVarint64(out, (long) field << 3 | VARINT);
    Coding.putVarint64(out, value);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
