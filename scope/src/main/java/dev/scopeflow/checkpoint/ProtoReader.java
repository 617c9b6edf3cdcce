package dev.scopeflow.checkpoint;

/**
 * Reads the protobuf wire format field by field; fields a caller does not know are skipped with {@link #skip()}, so
 * messages from newer TF versions parse. Malformed input raises {@link MalformedException}, which callers turn into a
 * {@link CheckpointFormatException} that names the file and the entry.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  /** Thrown for truncated or malformed protobuf bytes. */
  static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message);
    }
  }

  private final Coding.Cursor cursor;
  private int wireType = -1;
  private final long[] scratch = new long[1];

  ProtoReader(byte[] data, int offset, int limit) {
    this.cursor = new Coding.Cursor(data, offset, limit);
  }

  ProtoReader(byte[] data) {
    this(data, 0, data.length);
  }

  /** The next field number, or -1 at the end of the message. */
  int nextField() throws MalformedException {
    if (cursor.atEnd()) {
      return -1;
    }
    long tag = readRawVarint();
    int field = (int) (tag >>> 3);
    wireType = (int) (tag & 7);
    if (field <= 0 || tag >>> 3 > Integer.MAX_VALUE) {
      throw new MalformedException("invalid field tag " + tag);
    }
    return field;
  }

  int wireType() {
    return wireType;
  }

  long readVarint() throws MalformedException {
    expect(VARINT);
    return readRawVarint();
  }

  int readFixed32() throws MalformedException {
    expect(FIXED32);
    if (cursor.remaining() < 4) {
      throw new MalformedException("truncated fixed32 field");
    }
    int v = Coding.decodeFixed32(cursor.data, cursor.pos);
    cursor.pos += 4;
    return v;
  }

  /** A length-delimited field as a reader over its bytes. */
  ProtoReader readMessage() throws MalformedException {
    int[] range = readLengthDelimited();
    return new ProtoReader(cursor.data, range[0], range[1]);
  }

  /** A length-delimited field's bytes. */
  byte[] readBytes() throws MalformedException {
    int[] range = readLengthDelimited();
    return java.util.Arrays.copyOfRange(cursor.data, range[0], range[1]);
  }

  /** Values of a repeated int field, packed or not: calls {@code sink} for each. */
  void readRepeatedVarint(java.util.function.LongConsumer sink) throws MalformedException {
    if (wireType == LENGTH_DELIMITED) {
      ProtoReader packed = readMessage();
      while (!packed.cursor.atEnd()) {
        sink.accept(packed.readRawVarint());
      }
    } else {
      sink.accept(readVarint());
    }
  }

  /** Skips the current field's value, whatever its wire type. */
  void skip() throws MalformedException {
    switch (wireType) {
      case VARINT:
        readRawVarint();
        break;
      case FIXED64:
        advance(8);
        break;
      case LENGTH_DELIMITED:
        readLengthDelimited();
        break;
      case FIXED32:
        advance(4);
        break;
      default:
        throw new MalformedException("unsupported wire type " + wireType);
    }
  }

  private int[] readLengthDelimited() throws MalformedException {
    expect(LENGTH_DELIMITED);
    long length = readRawVarint();
    if (length < 0 || length > cursor.remaining()) {
      throw new MalformedException("length-delimited field of " + length + " bytes runs past the end of the message");
    }
    int start = cursor.pos;
    cursor.pos += (int) length;
    return new int[] {start, cursor.pos};
  }

  private void advance(int n) throws MalformedException {
    if (cursor.remaining() < n) {
      throw new MalformedException("truncated field");
    }
    cursor.pos += n;
  }

  private long readRawVarint() throws MalformedException {
    if (!cursor.readVarint64(scratch)) {
      throw new MalformedException("malformed varint");
    }
    return scratch[0];
  }

  private void expect(int type) throws MalformedException {
    if (wireType != type) {
      throw new MalformedException("wire type " + wireType + " where " + type + " was expected");
    }
  }
}
