package dev.scopeflow.samples.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes an output file under a temporary name beside it, then renames it into place, so a reader (or a run that was
 * stopped midway) never sees half a file. The temporary file is created like any other file, so the result has the
 * usual permissions (a {@code Files.createTempFile} would leave it readable by its owner only).
 */
public final class AtomicFiles {
  /** Writes the content to the path it is given. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path file) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Writes {@code file} through {@code content}, creating missing folders; on failure the previous file, if any, is
   * unchanged and no temporary file is left.
   *
   * @return {@code file}
   */
  public static Path write(Path file, Content content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      content.writeTo(tmp);
      if (!Files.isRegularFile(tmp)) {
        throw new IOException("nothing was written for " + file);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return file;
  }

  /** Writes {@code text} as UTF-8 to {@code file}, atomically. */
  public static Path writeString(Path file, CharSequence text) throws IOException {
    return write(file, tmp -> Files.writeString(tmp, text, java.nio.charset.StandardCharsets.UTF_8));
  }
}
