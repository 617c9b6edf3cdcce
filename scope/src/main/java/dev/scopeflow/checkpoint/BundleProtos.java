package dev.scopeflow.checkpoint;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written protobuf coding of the messages in TF's {@code tensor_bundle.proto} ({@code BundleHeaderProto},
 * {@code BundleEntryProto}) and the ones they embed ({@code TensorShapeProto}, {@code TensorSliceProto},
 * {@code VersionDef}). Writes produce the bytes TF's serializer produces; reads skip unknown fields.
 */
final class BundleProtos {
  private BundleProtos() {}

  /** {@code kTensorBundleVersion}: the producer version TF writes. */
  static final int BUNDLE_VERSION = 1;
  static final int LITTLE_ENDIAN = 0;
  static final int BIG_ENDIAN = 1;

  /** A decoded {@code BundleHeaderProto}. */
  record Header(int numShards, int endianness, int producer, int minConsumer, List<Integer> badConsumers) {}

  /**
   * A decoded {@code BundleEntryProto}; {@code dims} is null when the shape has unknown rank (invalid for a stored
   * tensor, reported by the caller).
   */
  record Entry(long dtype, long[] dims, int shardId, long offset, long size, int maskedCrc32c,
      List<TensorSlice> slices) {}

  static byte[] encodeHeader(int numShards) {
    byte[] version = new ProtoWriter().varint(1, BUNDLE_VERSION).toByteArray();
    return new ProtoWriter().varint(1, numShards).varint(2, LITTLE_ENDIAN).message(3, version).toByteArray();
  }

  static byte[] encodeEntry(long dtype, long[] dims, int shardId, long offset, long size, int maskedCrc32c,
      List<TensorSlice> slices) {
    ProtoWriter w = new ProtoWriter().varint(1, dtype).message(2, encodeShape(dims)).varint(3, shardId)
        .varint(4, offset).varint(5, size).fixed32(6, maskedCrc32c);
    for (TensorSlice slice : slices) {
      w.message(7, encodeSlice(slice));
    }
    return w.toByteArray();
  }

  static byte[] encodeShape(long[] dims) {
    ProtoWriter shape = new ProtoWriter();
    for (long d : dims) {
      shape.message(2, new ProtoWriter().varint(1, d).toByteArray());
    }
    return shape.toByteArray();
  }

  /** TF's {@code TensorSlice::AsProto}: a full extent is an empty {@code Extent}; a partial one has start and length. */
  static byte[] encodeSlice(TensorSlice slice) {
    ProtoWriter w = new ProtoWriter();
    for (TensorSlice.Extent e : slice.extents()) {
      ProtoWriter extent = new ProtoWriter();
      if (!e.isFull()) {
        extent.varint(1, e.start()).presentVarint(2, e.length());
      }
      w.message(1, extent.toByteArray());
    }
    return w.toByteArray();
  }

  static Header decodeHeader(byte[] bytes) throws ProtoReader.MalformedException {
    ProtoReader r = new ProtoReader(bytes);
    int numShards = 0;
    int endianness = 0;
    int producer = 0;
    int minConsumer = 0;
    List<Integer> bad = new ArrayList<>();
    for (int f = r.nextField(); f != -1; f = r.nextField()) {
      switch (f) {
        case 1:
          numShards = (int) r.readVarint();
          break;
        case 2:
          endianness = (int) r.readVarint();
          break;
        case 3: {
          ProtoReader v = r.readMessage();
          for (int g = v.nextField(); g != -1; g = v.nextField()) {
            if (g == 1) {
              producer = (int) v.readVarint();
            } else if (g == 2) {
              minConsumer = (int) v.readVarint();
            } else if (g == 3) {
              v.readRepeatedVarint(x -> bad.add((int) x));
            } else {
              v.skip();
            }
          }
          break;
        }
        default:
          r.skip();
      }
    }
    return new Header(numShards, endianness, producer, minConsumer, List.copyOf(bad));
  }

  static Entry decodeEntry(byte[] bytes) throws ProtoReader.MalformedException {
    ProtoReader r = new ProtoReader(bytes);
    long dtype = 0;
    long[] dims = new long[0];
    int shardId = 0;
    long offset = 0;
    long size = 0;
    int crc = 0;
    List<TensorSlice> slices = new ArrayList<>();
    for (int f = r.nextField(); f != -1; f = r.nextField()) {
      switch (f) {
        case 1:
          dtype = r.readVarint();
          break;
        case 2:
          dims = decodeShape(r.readMessage());
          break;
        case 3:
          shardId = (int) r.readVarint();
          break;
        case 4:
          offset = r.readVarint();
          break;
        case 5:
          size = r.readVarint();
          break;
        case 6:
          crc = r.readFixed32();
          break;
        case 7:
          slices.add(decodeSlice(r.readMessage()));
          break;
        default:
          r.skip();
      }
    }
    return new Entry(dtype, dims, shardId, offset, size, crc, List.copyOf(slices));
  }

  /** The dims of a {@code TensorShapeProto}, or null for an unknown rank. */
  private static long[] decodeShape(ProtoReader r) throws ProtoReader.MalformedException {
    List<Long> dims = new ArrayList<>();
    boolean unknownRank = false;
    for (int f = r.nextField(); f != -1; f = r.nextField()) {
      if (f == 2) {
        ProtoReader dim = r.readMessage();
        long size = 0;
        for (int g = dim.nextField(); g != -1; g = dim.nextField()) {
          if (g == 1) {
            size = dim.readVarint();
          } else {
            dim.skip(); // the dimension's name
          }
        }
        dims.add(size);
      } else if (f == 3) {
        unknownRank = r.readVarint() != 0;
      } else {
        r.skip();
      }
    }
    return unknownRank ? null : dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static TensorSlice decodeSlice(ProtoReader r) throws ProtoReader.MalformedException {
    List<TensorSlice.Extent> extents = new ArrayList<>();
    for (int f = r.nextField(); f != -1; f = r.nextField()) {
      if (f != 1) {
        r.skip();
        continue;
      }
      ProtoReader e = r.readMessage();
      long start = 0;
      long length = TensorSlice.Extent.FULL;
      for (int g = e.nextField(); g != -1; g = e.nextField()) {
        if (g == 1) {
          start = e.readVarint();
        } else if (g == 2) {
          length = e.readVarint();
        } else {
          e.skip();
        }
      }
      if (start < 0 || length < TensorSlice.Extent.FULL || (length == TensorSlice.Extent.FULL && start != 0)) {
        throw new ProtoReader.MalformedException("invalid slice extent start " + start + " length " + length);
      }
      extents.add(new TensorSlice.Extent(start, length));
    }
    return new TensorSlice(extents);
  }
}
