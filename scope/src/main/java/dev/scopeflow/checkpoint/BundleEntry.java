package dev.scopeflow.checkpoint;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import java.util.Optional;

/**
 * One tensor's entry in a checkpoint's index (TF's {@code BundleEntryProto}): where its bytes lie and how to check
 * them. A partitioned tensor's entry (see {@link BundleReader#slices}) has its full shape and zero position fields: its
 * pieces hold the bytes.
 *
 * @param key the tensor's name in the checkpoint, e.g. {@code rnn/basic_lstm_cell/kernel}
 * @param dtypeName TF's name of the element type ({@code float}, {@code double}, {@code int32}, {@code int64},
 *     {@code bool}, and for types ScopeFlow cannot hold e.g. {@code string}, {@code half}, {@code uint8})
 * @param dtype the ScopeFlow type, empty for types ScopeFlow has no tensors for
 * @param shape the full, fully defined shape
 * @param shardId which data file ({@code <prefix>.data-<shardId>-of-<numShards>}) holds the bytes
 * @param offset where the bytes start in that file
 * @param size how many bytes
 * @param maskedCrc32c TF's masked CRC32C of those bytes ({@link Crc32c#mask})
 */
public record BundleEntry(String key, String dtypeName, Optional<DType> dtype, Shape shape, int shardId, long offset,
    long size, int maskedCrc32c) {
  public BundleEntry {
    Preconditions.checkNotNull(key, "key");
    Preconditions.checkNotNull(dtypeName, "dtypeName");
    Preconditions.checkNotNull(dtype, "dtype");
    Preconditions.checkNotNull(shape, "shape");
    Preconditions.checkArgument(shape.isFullyDefined(), "Checkpoint entry %s has shape %s, which is not fully defined",
        key, shape);
  }

  /** Number of elements of the tensor. */
  public long numElements() {
    return shape.size();
  }
}
