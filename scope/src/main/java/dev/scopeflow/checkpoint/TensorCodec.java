package dev.scopeflow.checkpoint;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * Moves tensor elements between Java arrays and a bundle's data bytes (TF's in-memory layout: little-endian, bool as
 * one byte 0/1) through a fixed-size buffer, so a large tensor is streamed rather than copied whole, and checksums
 * the bytes as they pass.
 */
final class TensorCodec {
  /** Bytes per I/O chunk; a multiple of every element size. */
  static final int CHUNK_BYTES = 1 << 20;

  private TensorCodec() {}

  static ByteBuffer newChunkBuffer() {
    return ByteBuffer.allocateDirect(CHUNK_BYTES);
  }

  /** Writes all elements of {@code array} to {@code out}, extending {@code crc}; returns the number of bytes. */
  static long write(DType dtype, Object array, ByteBuffer buffer, WritableByteChannel out, CRC32C crc)
      throws IOException {
    int n = java.lang.reflect.Array.getLength(array);
    int perChunk = CHUNK_BYTES / dtype.byteSize();
    for (int start = 0; start < n; start += perChunk) {
      int count = Math.min(perChunk, n - start);
      buffer.clear();
      buffer.order(ByteOrder.LITTLE_ENDIAN);
      fill(dtype, array, start, count, buffer);
      buffer.flip();
      crc.update(buffer.duplicate());
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    }
    return (long) n * dtype.byteSize();
  }

  private static void fill(DType dtype, Object array, int start, int count, ByteBuffer buffer) {
    switch (dtype) {
      case FLOAT32:
        buffer.asFloatBuffer().put((float[]) array, start, count);
        break;
      case FLOAT64:
        buffer.asDoubleBuffer().put((double[]) array, start, count);
        break;
      case INT32:
        buffer.asIntBuffer().put((int[]) array, start, count);
        break;
      case INT64:
        buffer.asLongBuffer().put((long[]) array, start, count);
        break;
      case BOOL: {
        boolean[] b = (boolean[]) array;
        for (int i = 0; i < count; i++) {
          buffer.put(i, b[start + i] ? (byte) 1 : (byte) 0);
        }
        break;
      }
      default:
        throw new IllegalArgumentException("dtype " + dtype + " cannot be stored in a checkpoint");
    }
    buffer.position(count * dtype.byteSize());
  }

  /**
   * Reads {@code n} elements stored at {@code offset} of {@code in} with byte order {@code order} into a new array,
   * extending {@code crc} over the bytes as stored. Throws EOFException when the file ends first.
   */
  static Object read(DType dtype, int n, FileChannel in, long offset, ByteOrder order, ByteBuffer buffer, CRC32C crc)
      throws IOException {
    Object array = Tensor.newArray(dtype, n);
    int perChunk = CHUNK_BYTES / dtype.byteSize();
    long position = offset;
    for (int start = 0; start < n; start += perChunk) {
      int count = Math.min(perChunk, n - start);
      buffer.clear();
      buffer.limit(count * dtype.byteSize());
      while (buffer.hasRemaining()) {
        int r = in.read(buffer, position);
        if (r < 0) {
          throw new EOFException("file ends at byte " + position);
        }
        position += r;
      }
      buffer.flip();
      crc.update(buffer.duplicate());
      buffer.order(order);
      drain(dtype, buffer, array, start, count);
    }
    return array;
  }

  private static void drain(DType dtype, ByteBuffer buffer, Object array, int start, int count) {
    switch (dtype) {
      case FLOAT32:
        buffer.asFloatBuffer().get((float[]) array, start, count);
        break;
      case FLOAT64:
        buffer.asDoubleBuffer().get((double[]) array, start, count);
        break;
      case INT32:
        buffer.asIntBuffer().get((int[]) array, start, count);
        break;
      case INT64:
        buffer.asLongBuffer().get((long[]) array, start, count);
        break;
      case BOOL: {
        boolean[] b = (boolean[]) array;
        for (int i = 0; i < count; i++) {
          b[start + i] = buffer.get(i) != 0;
        }
        break;
      }
      default:
        throw new IllegalArgumentException("dtype " + dtype + " cannot be read from a checkpoint");
    }
  }
}
