package dev.scopeflow.checkpoint;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of a checkpoint's files, as TF's {@code MetaFilename} and {@code DataFilename} build them from the
 * prefix: {@code <prefix>.index} and {@code <prefix>.data-00000-of-00001}.
 */
public final class BundleFiles {
  private static final Pattern DATA_SUFFIX = Pattern.compile("\\.data-\\d{5,}-of-\\d{5,}");

  private BundleFiles() {}

  /** {@code <prefix>.index}: the table of entries. */
  public static Path indexFile(Path prefix) {
    return sibling(prefix, ".index");
  }

  /** {@code <prefix>.data-00000-of-00001}: the data file of a single-shard bundle, the only kind we write. */
  public static Path dataFile(Path prefix) {
    return dataFile(prefix, 0, 1);
  }

  /** {@code <prefix>.data-<shard>-of-<numShards>}, numbers with five digits at least. */
  public static Path dataFile(Path prefix, int shard, int numShards) {
    return sibling(prefix, String.format(".data-%05d-of-%05d", shard, numShards));
  }

  /** Whether a checkpoint with this prefix exists (its index file does, as TF's {@code checkpoint_exists} checks). */
  public static boolean exists(Path prefix) {
    return Files.isRegularFile(indexFile(prefix));
  }

  /**
   * The files of the checkpoint with this prefix that exist: its index and every {@code <prefix>.data-N-of-M}, sorted
   * by name. Empty when there are none.
   */
  public static List<Path> files(Path prefix) throws IOException {
    Path dir = directory(prefix);
    String name = prefix.getFileName().toString();
    List<Path> result = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        String f = p.getFileName().toString();
        if (f.equals(name + ".index")
            || (f.startsWith(name) && DATA_SUFFIX.matcher(f.substring(name.length())).matches())) {
          result.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    Collections.sort(result);
    return List.copyOf(result);
  }

  /** Deletes the checkpoint's files (index first, so no reader sees an index without data); returns them. */
  public static List<Path> delete(Path prefix) throws IOException {
    List<Path> files = new ArrayList<>(files(prefix));
    files.sort((a, b) -> Boolean.compare(!a.equals(indexFile(prefix)), !b.equals(indexFile(prefix))));
    for (Path p : files) {
      Files.deleteIfExists(p);
    }
    return List.copyOf(files);
  }

  static Path directory(Path prefix) {
    Path parent = prefix.toAbsolutePath().getParent();
    return parent == null ? prefix.toAbsolutePath().getRoot() : parent;
  }

  private static Path sibling(Path prefix, String suffix) {
    Preconditions.checkNotNull(prefix, "prefix");
    Preconditions.checkArgument(prefix.getFileName() != null, "Checkpoint prefix %s has no file name", prefix);
    return prefix.resolveSibling(prefix.getFileName() + suffix);
  }
}
