package dev.scopeflow.checkpoint;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Reads a checkpoint in TensorFlow's V2 format (a tensor bundle, TF's {@code BundleReader}), whether TF or
 * {@link BundleWriter} wrote it.
 *
 * <p>{@link #open} reads and checks the whole index up front (SSTable structure and checksums, header and format
 * version, every entry's dtype, shape, size and position inside an existing data file), so a broken checkpoint fails
 * before anything is restored. {@link #read} then streams one tensor's bytes with positional reads and checks their
 * CRC32C before returning it. Entries of dtypes ScopeFlow has no tensors for ({@code string}, {@code half}, ...) are
 * listed but cannot be read.
 *
 * <p>Reads are thread-safe.
 */
public final class BundleReader implements AutoCloseable {
  private static final String SUPPORTED = "float, double, int32, int64, bool";

  private final Path prefix;
  private final Map<String, BundleEntry> entries;
  private final Map<String, List<TensorSlice>> slices;
  /** Entries of the pieces of partitioned tensors, by their raw key (bytes as ISO-8859-1 chars). */
  private final Map<String, BundleEntry> sliceParts;
  private final int numShards;
  private final ByteOrder byteOrder;
  private final Map<Integer, FileChannel> dataFiles;
  private volatile boolean closed;

  private BundleReader(Path prefix, Map<String, BundleEntry> entries, Map<String, List<TensorSlice>> slices,
      Map<String, BundleEntry> sliceParts, int numShards, ByteOrder byteOrder, Map<Integer, FileChannel> dataFiles) {
    this.prefix = prefix;
    this.entries = entries;
    this.slices = slices;
    this.sliceParts = sliceParts;
    this.numShards = numShards;
    this.byteOrder = byteOrder;
    this.dataFiles = dataFiles;
  }

  /**
   * Opens the checkpoint {@code prefix} ({@code <prefix>.index} and its data files) and validates its index.
   *
   * @throws CheckpointFormatException when a file is missing or the index is malformed, names the file and the fault
   */
  public static BundleReader open(Path prefix) throws IOException {
    Preconditions.checkNotNull(prefix, "prefix");
    Path indexFile = BundleFiles.indexFile(prefix);
    byte[] index;
    try {
      index = Files.readAllBytes(indexFile);
    } catch (NoSuchFileException e) {
      throw CheckpointFormatException.notFound(indexFile, " (the index of checkpoint " + prefix + ")");
    }
    List<TableReader.Entry> table = TableReader.readAll(indexFile, index);
    if (table.isEmpty() || table.get(0).key().length != 0) {
      throw corruptFile(indexFile, "failed to seek to header entry");
    }
    BundleProtos.Header header;
    try {
      header = BundleProtos.decodeHeader(table.get(0).value());
    } catch (ProtoReader.MalformedException e) {
      throw corruptFile(indexFile, "unable to parse header: " + e.getMessage());
    }
    checkVersion(indexFile, header);
    if (header.endianness() != BundleProtos.LITTLE_ENDIAN && header.endianness() != BundleProtos.BIG_ENDIAN) {
      throw CheckpointFormatException.dataLoss(indexFile, "unknown endianness " + header.endianness() + " in header");
    }
    ByteOrder order = header.endianness() == BundleProtos.BIG_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    if (table.size() > 1 && header.numShards() <= 0) {
      throw CheckpointFormatException.dataLoss(indexFile, "header has num_shards " + header.numShards());
    }

    Index parsed = parseEntries(indexFile, table.subList(1, table.size()), header.numShards());
    Map<Integer, FileChannel> channels = new HashMap<>();
    try {
      checkDataFiles(prefix, header.numShards(), parsed, channels);
    } catch (IOException | RuntimeException e) {
      closeAll(channels);
      throw e;
    }
    return new BundleReader(prefix, Collections.unmodifiableMap(parsed.entries()), Map.copyOf(parsed.slices()),
        Map.copyOf(parsed.sliceParts()), header.numShards(), order, channels);
  }

  /** The index's entries: tensors by name, the slices of partitioned ones, and their pieces by raw key. */
  private record Index(Map<String, BundleEntry> entries, Map<String, List<TensorSlice>> slices,
      Map<String, BundleEntry> sliceParts) {}

  private static Index parseEntries(Path indexFile, List<TableReader.Entry> table, int numShards)
      throws CheckpointFormatException {
    Map<String, BundleEntry> entries = new LinkedHashMap<>();
    Map<String, List<TensorSlice>> slices = new HashMap<>();
    Map<String, BundleEntry> sliceParts = new HashMap<>();
    for (TableReader.Entry raw : table) {
      boolean isSlicePart = raw.key()[0] == 0; // TF's slice keys start with OrderedCode's encoding of 0
      String key = new String(raw.key(), isSlicePart ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      BundleProtos.Entry proto;
      try {
        proto = BundleProtos.decodeEntry(raw.value());
      } catch (ProtoReader.MalformedException e) {
        throw CheckpointFormatException.dataLoss(indexFile, "Entry for key " + printable(key) + " not parseable ("
            + e.getMessage() + ")");
      }
      if (entries.containsKey(key)) {
        throw CheckpointFormatException.dataLoss(indexFile, "two keys that are not valid UTF-8 both read as " + key);
      }
      BundleEntry entry = toEntry(indexFile, key, proto, numShards);
      if (isSlicePart) {
        sliceParts.put(key, entry);
        continue;
      }
      entries.put(key, entry);
      if (!proto.slices().isEmpty()) {
        for (TensorSlice s : proto.slices()) {
          if (!s.fitsIn(entry.shape())) {
            throw CheckpointFormatException.dataLoss(indexFile, "slice " + s + " of key " + key
                + " does not fit its shape " + entry.shape().toRuntimeString());
          }
        }
        slices.put(key, proto.slices());
      }
    }
    for (Map.Entry<String, List<TensorSlice>> e : slices.entrySet()) {
      checkPartitioned(indexFile, entries.get(e.getKey()), e.getValue(), sliceParts);
    }
    return new Index(entries, slices, sliceParts);
  }

  /** The pieces of a partitioned tensor exist, have its dtype and their slice's shape, and do not overlap. */
  private static void checkPartitioned(Path indexFile, BundleEntry full, List<TensorSlice> slices,
      Map<String, BundleEntry> sliceParts) throws CheckpointFormatException {
    long[] dims = full.shape().dims();
    for (int i = 0; i < slices.size(); i++) {
      TensorSlice s = slices.get(i);
      BundleEntry part = sliceParts.get(partKey(full.key(), s));
      if (part == null) {
        throw CheckpointFormatException.dataLoss(indexFile, "partitioned tensor " + full.key() + " lists slice " + s
            + " but the index has no entry for it");
      }
      Shape expected = s.sliceShape(full.shape());
      if (!part.dtypeName().equals(full.dtypeName()) || !part.shape().equals(expected)) {
        throw CheckpointFormatException.dataLoss(indexFile, "slice " + s + " of " + full.key() + " is stored as "
            + part.dtypeName() + " " + part.shape().toRuntimeString() + " where " + full.dtypeName() + " "
            + expected.toRuntimeString() + " was expected");
      }
      for (int j = 0; j < i; j++) {
        if (Boxes.intersectionSize(Boxes.of(slices.get(j), dims), Boxes.of(s, dims)) > 0) {
          throw CheckpointFormatException.dataLoss(indexFile, "Overlapping slices: existing slice = " + slices.get(j)
              + ", new slice = " + s + " of " + full.key());
        }
      }
    }
  }

  private static String partKey(String key, TensorSlice slice) {
    return new String(OrderedCode.encodeTensorNameSlice(key, slice), StandardCharsets.ISO_8859_1);
  }

  private static void checkVersion(Path indexFile, BundleProtos.Header header) throws CheckpointFormatException {
    // TF's CheckVersions(header.version(), kTensorBundleVersion, kTensorBundleMinProducer, "Checkpoint", ...)
    if (header.producer() < 0) {
      throw new CheckpointFormatException(indexFile, "Invalid argument: Checkpoint producer version "
          + header.producer() + " below min producer 0 supported by ScopeFlow. Please regenerate your checkpoint ("
          + indexFile + ")");
    }
    if (header.minConsumer() > BundleProtos.BUNDLE_VERSION) {
      throw new CheckpointFormatException(indexFile, "Invalid argument: Checkpoint min consumer version "
          + header.minConsumer() + " above current version " + BundleProtos.BUNDLE_VERSION
          + " for ScopeFlow. Please upgrade ScopeFlow (" + indexFile + ")");
    }
    if (header.badConsumers().contains(BundleProtos.BUNDLE_VERSION)) {
      throw new CheckpointFormatException(indexFile, "Invalid argument: Checkpoint disallows consumer version "
          + BundleProtos.BUNDLE_VERSION + " (" + indexFile + ")");
    }
  }

  private static BundleEntry toEntry(Path indexFile, String key, BundleProtos.Entry proto, int numShards)
      throws CheckpointFormatException {
    String shown = printable(key);
    if (!TfDataTypes.isKnown(proto.dtype())) {
      throw CheckpointFormatException.dataLoss(indexFile, "Invalid dtype " + proto.dtype() + " for key " + shown);
    }
    Shape shape = validShape(proto.dims());
    if (shape == null) {
      throw CheckpointFormatException.dataLoss(indexFile, "Invalid tensor shape: " + shown + " "
          + (proto.dims() == null ? "unknown_rank: true" : java.util.Arrays.toString(proto.dims())));
    }
    BundleEntry entry = new BundleEntry(key, TfDataTypes.name(proto.dtype()), TfDataTypes.toDType(proto.dtype()), shape,
        proto.shardId(), proto.offset(), proto.size(), proto.maskedCrc32c());
    if (!proto.slices().isEmpty()) {
      return entry; // a partitioned tensor's entry: its position fields are ignored, as TF ignores them
    }
    if (proto.shardId() < 0 || proto.shardId() >= numShards) {
      throw CheckpointFormatException.dataLoss(indexFile, "shard_id " + proto.shardId() + " of key " + shown
          + " is outside [0, " + numShards + ")");
    }
    if (proto.offset() < 0 || proto.size() < 0 || proto.offset() + proto.size() < 0) {
      throw CheckpointFormatException.dataLoss(indexFile, "Invalid offset " + proto.offset() + " or size "
          + proto.size() + " of key " + shown);
    }
    int elementSize = TfDataTypes.elementSize(proto.dtype());
    long elements = shape.size();
    if (elementSize > 0) {
      if (elements > Long.MAX_VALUE / elementSize || proto.size() != elements * elementSize) {
        throw CheckpointFormatException.dataLoss(indexFile, "Invalid size in bundle entry: key " + shown
            + "; stored size " + proto.size() + "; expected size " + elements * elementSize);
      }
    } else if (proto.dtype() == 7 /* string: at least one length byte per element */ && proto.size() < elements) {
      throw CheckpointFormatException.dataLoss(indexFile, "Invalid size in bundle entry: key " + shown
          + "; stored size " + proto.size() + "; expected size is at least " + elements);
    }
    return entry;
  }

  /** TF's {@code TensorShape::IsValid}: known rank, no negative dimension, element count within int64. */
  private static Shape validShape(long[] dims) {
    if (dims == null || dims.length > 254) {
      return null;
    }
    long n = 1;
    for (long d : dims) {
      if (d < 0) {
        return null;
      }
      if (d > 0 && n > Long.MAX_VALUE / d) {
        return null;
      }
      n *= d;
    }
    return Shape.of(dims);
  }

  /** Opens every data file an entry refers to and checks that each entry's bytes lie inside its file. */
  private static void checkDataFiles(Path prefix, int numShards, Index index, Map<Integer, FileChannel> channels)
      throws IOException {
    Map<Integer, Long> sizes = new HashMap<>();
    List<BundleEntry> stored = new java.util.ArrayList<>(index.sliceParts().values());
    index.entries().values().stream().filter(e -> !index.slices().containsKey(e.key())).forEach(stored::add);
    for (BundleEntry e : stored) {
      Path dataFile = BundleFiles.dataFile(prefix, e.shardId(), numShards);
      if (!channels.containsKey(e.shardId())) {
        try {
          FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.READ);
          channels.put(e.shardId(), ch);
          sizes.put(e.shardId(), ch.size());
        } catch (NoSuchFileException ex) {
          throw CheckpointFormatException.notFound(dataFile, " (data file of checkpoint " + prefix
              + ", needed for key " + printable(e.key()) + ")");
        }
      }
      long fileSize = sizes.get(e.shardId());
      if (e.offset() + e.size() > fileSize) {
        throw CheckpointFormatException.dataLoss(dataFile, "entry for key " + printable(e.key()) + " occupies bytes ["
            + e.offset() + ", " + (e.offset() + e.size()) + ") but the file has only " + fileSize
            + " bytes (truncated data file?)");
      }
    }
  }

  /** The checkpoint prefix this reader reads. */
  public Path prefix() {
    return prefix;
  }

  /** Number of data files ({@code num_shards} in the header). */
  public int numShards() {
    return numShards;
  }

  /**
   * Every tensor of the checkpoint in key order (unsigned UTF-8 byte order, as the index stores them), the header
   * excluded. A partitioned tensor appears once, under its full name with its full shape (see {@link #slices}); the
   * entries of its pieces are internal.
   */
  public Map<String, BundleEntry> entries() {
    return entries;
  }

  /** The entry of {@code key}, if the checkpoint has it. */
  public Optional<BundleEntry> entry(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  /** The slices stored for a partitioned tensor; empty for an ordinary tensor or an unknown key. */
  public List<TensorSlice> slices(String key) {
    return slices.getOrDefault(key, List.of());
  }

  /**
   * Reads the tensor stored under {@code key}, checking that its bytes lie inside the data file and match the stored
   * CRC32C.
   *
   * @throws IllegalArgumentException when the checkpoint has no such key ({@code Key ... not found in checkpoint}),
   *     the entry's dtype has no ScopeFlow tensor type, or the tensor is too large for a Java array
   * @throws CheckpointFormatException when the bytes are missing or do not match their checksum
   */
  public Tensor read(String key) throws IOException {
    Preconditions.checkState(!closed, "BundleReader for %s is closed", prefix);
    BundleEntry entry = entries.get(key);
    if (entry == null) {
      throw new IllegalArgumentException("Key " + key + " not found in checkpoint");
    }
    DType dtype = requireReadable(entry, entry.numElements());
    if (slices.containsKey(key)) {
      return readSlice(key, TensorSlice.full(entry.shape().rank()));
    }
    return readValue(entry, dtype);
  }

  /**
   * Reads part {@code slice} of the tensor stored under {@code key} (TF's {@code BundleReader::LookupSlice}, what
   * {@code RestoreV2} does for a {@code shape_and_slices} entry like {@code "4 6 0,2:-"}), whether the checkpoint
   * holds the tensor whole or partitioned into pieces.
   *
   * @throws IllegalArgumentException as {@link #read} does, and when the slice does not fit the stored shape or the
   *     stored pieces do not cover it ({@code Does not have sufficient slices for partitioned tensor ...})
   */
  public Tensor readSlice(String key, TensorSlice slice) throws IOException {
    Preconditions.checkState(!closed, "BundleReader for %s is closed", prefix);
    Preconditions.checkNotNull(slice, "slice");
    BundleEntry entry = entries.get(key);
    if (entry == null) {
      throw new IllegalArgumentException("Key " + key + " not found in checkpoint");
    }
    if (!slice.fitsIn(entry.shape())) {
      throw new IllegalArgumentException("Slice " + slice + " does not fit in shape "
          + entry.shape().toRuntimeString() + " of key " + key + " in checkpoint " + prefix);
    }
    DType dtype = requireReadable(entry, slice.sliceShape(entry.shape()).size());
    long[] dims = entry.shape().dims();
    long[][] wanted = Boxes.of(slice, dims);
    Shape wantedShape = slice.sliceShape(entry.shape());
    List<TensorSlice> stored = slices.getOrDefault(key, List.of(TensorSlice.full(dims.length)));
    long covered = 0;
    for (TensorSlice s : stored) {
      covered += Boxes.intersectionSize(Boxes.of(s, dims), wanted);
    }
    if (covered != wantedShape.size()) {
      throw new IllegalArgumentException("Does not have sufficient slices for partitioned tensor " + key
          + " to restore in slice_spec: " + slice + " (checkpoint " + prefix + " holds slices " + stored + ")");
    }
    if (!slices.containsKey(key) && slice.coversAll(entry.shape())) {
      return readValue(entry, dtype);
    }
    Object result = Tensor.newArray(dtype, Math.toIntExact(wantedShape.size()));
    for (TensorSlice s : stored) {
      long[][] box = Boxes.of(s, dims);
      if (Boxes.intersectionSize(box, wanted) == 0) {
        continue;
      }
      BundleEntry piece = slices.containsKey(key) ? sliceParts.get(partKey(key, s)) : entry;
      requireReadable(piece, piece.numElements());
      Tensor value = readValue(piece, dtype);
      if (java.util.Arrays.equals(box[0], wanted[0]) && java.util.Arrays.equals(box[1], wanted[1])) {
        return value;
      }
      Boxes.copyIntersection(value.unsafeArray(), box, result, wanted);
    }
    return Tensor.unsafeWrap(dtype, wantedShape, result);
  }

  /** The entry's ScopeFlow dtype, when a tensor of {@code elements} of it can be built. */
  private static DType requireReadable(BundleEntry entry, long elements) {
    if (entry.dtype().isEmpty()) {
      throw new IllegalArgumentException("Cannot read key " + entry.key() + " of dtype " + entry.dtypeName()
          + ": ScopeFlow tensors hold " + SUPPORTED);
    }
    if (elements > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("Cannot read key " + entry.key() + ": " + elements
          + " elements do not fit in a Java array");
    }
    return entry.dtype().get();
  }

  private Tensor readValue(BundleEntry entry, DType dtype) throws IOException {
    FileChannel channel = dataFiles.get(entry.shardId());
    Path dataFile = BundleFiles.dataFile(prefix, entry.shardId(), numShards);
    CRC32C crc = new CRC32C();
    Object array;
    try {
      array = TensorCodec.read(dtype, (int) entry.numElements(), channel, entry.offset(), byteOrder,
          java.nio.ByteBuffer.allocate((int) Math.min(TensorCodec.CHUNK_BYTES, Math.max(8, entry.size()))), crc);
    } catch (EOFException e) {
      throw CheckpointFormatException.dataLoss(dataFile, "unexpected end of file reading key " + printable(entry.key())
          + " (bytes [" + entry.offset() + ", " + (entry.offset() + entry.size()) + "); " + e.getMessage() + ")");
    } catch (ClosedChannelException e) {
      throw new IllegalStateException("BundleReader for " + prefix + " is closed", e);
    }
    int stored = Crc32c.unmask(entry.maskedCrc32c());
    int actual = (int) crc.getValue();
    if (stored != actual) {
      throw CheckpointFormatException.dataLoss(dataFile, "TensorBundle at " + prefix + " shard " + entry.shardId()
          + " (" + entry.size() + " bytes): Checksum does not match: stored " + unsigned(stored)
          + " vs. calculated on the restored bytes " + unsigned(actual) + " for key " + printable(entry.key()));
    }
    return Tensor.unsafeWrap(dtype, entry.shape(), array);
  }

  /** TF prints checksums with {@code %08u}. */
  private static String unsigned(int crc) {
    return String.format("%08d", Integer.toUnsignedLong(crc));
  }

  private static String printable(String key) {
    if (!key.isEmpty() && key.charAt(0) == 0) {
      StringBuilder sb = new StringBuilder();
      for (char c : key.toCharArray()) {
        sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
      }
      return sb.toString();
    }
    return key;
  }

  private static CheckpointFormatException corruptFile(Path indexFile, String detail) {
    return new CheckpointFormatException(indexFile, "Data loss: Unable to read file (" + indexFile
        + "). Perhaps the file is corrupt or was produced by a newer version of TensorFlow with format changes ("
        + detail + ")");
  }

  /** Closes the data files. Reads after this fail. */
  @Override
  public void close() {
    closed = true;
    closeAll(dataFiles);
  }

  private static void closeAll(Map<Integer, FileChannel> channels) {
    for (FileChannel c : channels.values()) {
      try {
        c.close();
      } catch (IOException e) {
        // read-only channel: nothing was buffered, nothing is lost
      }
    }
  }
}
