package dev.scopeflow.checkpoint;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Writes a checkpoint in TensorFlow's V2 format (a tensor bundle, TF's {@code BundleWriter}): {@code <prefix>.index}
 * holds an SSTable of a header and one {@code BundleEntryProto} per tensor, {@code <prefix>.data-00000-of-00001} the
 * tensors' raw little-endian bytes back to back. Python's {@code tf.train.load_checkpoint} and TF's
 * {@code RestoreV2} read what this writes.
 *
 * <p>{@link #add} only records the tensors (they are immutable); nothing touches the disk before {@link #finish},
 * which writes data and index to temporary files in the prefix's directory, syncs them, and renames them into place,
 * data first and index last, so a reader never sees a new index without its data. When {@code finish} fails, the
 * temporary files are deleted and files a previous checkpoint with the same prefix left are kept (its data file is
 * put back if the new one had already replaced it).
 *
 * <p>Not thread-safe.
 */
public final class BundleWriter {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What goes under one key: a tensor whose bytes go to the data file, or a partitioned tensor's metadata. */
  private sealed interface Item permits Whole, Partitioned {}

  private record Whole(Tensor tensor) implements Item {}

  private record Partitioned(DType dtype, Shape shape, List<TensorSlice> slices) implements Item {}

  private final Path prefix;
  /** By raw key in unsigned byte order, the table's order. */
  private final Map<byte[], Item> items = new TreeMap<>(TableFormat::compareKeys);
  private boolean finished;
  /** For tests: called with the name of each step of {@link #finish}, so a test can fail it there. */
  StepHook stepHook = step -> {};

  /** Test hook into {@link #finish}. */
  interface StepHook {
    void reached(String step) throws IOException;
  }

  private BundleWriter(Path prefix) {
    this.prefix = prefix;
  }

  /** A writer for the checkpoint {@code prefix} (e.g. {@code /tmp/train/model.ckpt-1000}). */
  public static BundleWriter create(Path prefix) {
    Preconditions.checkNotNull(prefix, "prefix");
    Preconditions.checkArgument(prefix.getFileName() != null && !prefix.getFileName().toString().isEmpty(),
        "Checkpoint prefix %s has no file name", prefix);
    return new BundleWriter(prefix);
  }

  /** The checkpoint prefix this writer writes. */
  public Path prefix() {
    return prefix;
  }

  /**
   * Records {@code value} under {@code key}. Keys may come in any order; the index lists them sorted.
   *
   * @throws IllegalArgumentException for an empty key (reserved for the header) or one added before
   */
  public BundleWriter add(String key, Tensor value) {
    byte[] k = checkKey(key);
    Preconditions.checkNotNull(value, "value");
    Preconditions.checkArgument(!items.containsKey(k), "Adding duplicate key: %s", key);
    TfDataTypes.number(value.dtype()); // fails for types without a checkpoint form
    items.put(k, new Whole(value));
    return this;
  }

  /**
   * Records one piece of a partitioned tensor (TF's {@code BundleWriter::AddSlice}, what {@code SaveV2} does for a
   * {@code shape_and_slices} entry like {@code "4 6 0,2:-"}): {@code value} holds the part {@code slice} of a tensor
   * of shape {@code fullShape} stored under {@code key}. Pieces may come in any order; readers assemble them. A slice
   * that covers the whole tensor is the same as {@link #add}.
   *
   * @throws IllegalArgumentException when the slice does not fit the shape, the value's shape is not the slice's, the
   *     dtype or full shape differs from earlier pieces, the slice overlaps one added before, or the key holds a
   *     whole tensor
   */
  public BundleWriter addSlice(String key, Shape fullShape, TensorSlice slice, Tensor value) {
    byte[] k = checkKey(key);
    Preconditions.checkNotNull(fullShape, "fullShape");
    Preconditions.checkNotNull(slice, "slice");
    Preconditions.checkNotNull(value, "value");
    Preconditions.checkArgument(fullShape.isFullyDefined(), "Full shape %s of %s is not fully defined", fullShape, key);
    Preconditions.checkArgument(slice.fitsIn(fullShape), "Slice %s does not fit in shape %s of %s", slice,
        fullShape.toRuntimeString(), key);
    Shape sliceShape = slice.sliceShape(fullShape);
    Preconditions.checkArgument(value.shape().equals(sliceShape),
        "Slice %s of %s has shape %s but the value has shape %s", slice, key, sliceShape.toRuntimeString(),
        value.shape().toRuntimeString());
    TfDataTypes.number(value.dtype());
    if (slice.coversAll(fullShape)) {
      return add(key, value);
    }
    Item existing = items.get(k);
    List<TensorSlice> slices = new ArrayList<>();
    if (existing != null) {
      Preconditions.checkArgument(existing instanceof Partitioned, "Adding duplicate key: %s", key);
      Partitioned p = (Partitioned) existing;
      Preconditions.checkArgument(p.dtype() == value.dtype(), "Slice %s of %s has dtype %s, earlier slices %s", slice,
          key, value.dtype(), p.dtype());
      Preconditions.checkArgument(p.shape().equals(fullShape), "Slice %s of %s gives full shape %s, earlier slices %s",
          slice, key, fullShape.toRuntimeString(), p.shape().toRuntimeString());
      long[] dims = fullShape.dims();
      for (TensorSlice other : p.slices()) {
        Preconditions.checkArgument(Boxes.intersectionSize(Boxes.of(other, dims), Boxes.of(slice, dims)) == 0,
            "Overlapping slices: existing slice = %s, new slice = %s", other, slice);
      }
      slices.addAll(p.slices());
    }
    byte[] partKey = OrderedCode.encodeTensorNameSlice(key, slice);
    Preconditions.checkArgument(!items.containsKey(partKey), "Adding duplicate slice %s of %s", slice, key);
    slices.add(slice);
    items.put(k, new Partitioned(value.dtype(), fullShape, List.copyOf(slices)));
    items.put(partKey, new Whole(value));
    return this;
  }

  private byte[] checkKey(String key) {
    Preconditions.checkState(!finished, "BundleWriter is closed");
    Preconditions.checkNotNull(key, "key");
    Preconditions.checkArgument(!key.isEmpty(), "The empty key is reserved for the checkpoint header");
    Preconditions.checkArgument(key.charAt(0) != 0, "Checkpoint key %s starts with NUL, which marks slice keys", key);
    Preconditions.checkArgument(StandardCharsets.UTF_8.newEncoder().canEncode(key),
        "Checkpoint key %s is not valid Unicode", key);
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the checkpoint: data file, then index, each complete and synced before it becomes visible. */
  public void finish() throws IOException {
    Preconditions.checkState(!finished, "BundleWriter is closed");
    finished = true;
    Path dir = BundleFiles.directory(prefix);
    Files.createDirectories(dir);
    Path dataFile = BundleFiles.dataFile(prefix);
    Path indexFile = BundleFiles.indexFile(prefix);
    long tag = RANDOM.nextLong() & Long.MAX_VALUE;
    // TF's temporary names: "<file>.tempstate<random>".
    Path dataTemp = dataFile.resolveSibling(dataFile.getFileName() + ".tempstate" + tag);
    Path indexTemp = indexFile.resolveSibling(indexFile.getFileName() + ".tempstate" + tag);
    Path dataBackup = dataFile.resolveSibling(dataFile.getFileName() + ".tempstate" + tag + ".previous");
    boolean backedUp = false;
    boolean dataInPlace = false;
    try {
      byte[] index = writeData(dataTemp);
      stepHook.reached("data-written");
      writeFile(indexTemp, index);
      stepHook.reached("index-written");
      backedUp = linkPrevious(dataFile, dataBackup);
      move(dataTemp, dataFile);
      dataInPlace = true;
      stepHook.reached("data-renamed");
      move(indexTemp, indexFile);
      syncDirectory(dir);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(dataTemp);
        Files.deleteIfExists(indexTemp);
        if (dataInPlace) {
          if (backedUp) {
            move(dataBackup, dataFile);
          } else {
            Files.deleteIfExists(dataFile);
          }
        } else if (backedUp) {
          Files.deleteIfExists(dataBackup);
        }
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup); // the backup, if any, stays on disk under its temporary name
      }
      throw e;
    }
    if (backedUp) {
      Files.deleteIfExists(dataBackup);
    }
  }

  /** Streams every tensor into {@code dataTemp} in key order; returns the index table for what was written. */
  private byte[] writeData(Path dataTemp) throws IOException {
    TableWriter table = new TableWriter();
    table.add(new byte[0], BundleProtos.encodeHeader(1));
    ByteBuffer buffer = TensorCodec.newChunkBuffer();
    long offset = 0;
    try (FileChannel out = FileChannel.open(dataTemp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (Map.Entry<byte[], Item> e : items.entrySet()) {
        byte[] entry;
        if (e.getValue() instanceof Whole whole) {
          Tensor t = whole.tensor();
          CRC32C crc = new CRC32C();
          long size = TensorCodec.write(t.dtype(), t.unsafeArray(), buffer, out, crc);
          entry = BundleProtos.encodeEntry(TfDataTypes.number(t.dtype()), t.shape().dims(), 0, offset, size,
              Crc32c.mask((int) crc.getValue()), List.of());
          offset += size;
        } else {
          // TF leaves shard_id, offset, size and crc32c unset in a partitioned tensor's entry
          Partitioned p = (Partitioned) e.getValue();
          entry = BundleProtos.encodeEntry(TfDataTypes.number(p.dtype()), p.shape().dims(), 0, 0, 0, 0, p.slices());
        }
        table.add(e.getKey(), entry);
      }
      out.force(true);
    }
    return table.finish();
  }

  private static void writeFile(Path file, byte[] bytes) throws IOException {
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        out.write(b);
      }
      out.force(true);
    }
  }

  /** Gives an existing data file a second name, so it can be put back if the index cannot follow the new data. */
  private static boolean linkPrevious(Path dataFile, Path backup) {
    if (!Files.exists(dataFile)) {
      return false;
    }
    try {
      Files.createLink(backup, dataFile);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false; // no hard links here: a failure after the data rename cannot restore the old data file
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Makes the renames durable; directories cannot be opened for syncing on every platform, which is harmless. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // best effort
    }
  }
}
