package dev.scopeflow.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that cannot be read as a TF V2 tensor bundle: missing, truncated, corrupted or of an unsupported
 * format version. The message starts with TF's error class ({@code Data loss: }, {@code Not found: }) and names the
 * file and what is wrong with it.
 */
public class CheckpointFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public CheckpointFormatException(Path file, String message) {
    super(message);
    this.file = file;
  }

  public CheckpointFormatException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The file that is missing or broken. */
  public Path file() {
    return file;
  }

  /** TF's {@code errors::DataLoss}: the file exists but its contents are wrong. */
  static CheckpointFormatException dataLoss(Path file, String problem) {
    return new CheckpointFormatException(file, "Data loss: " + problem + " in " + file);
  }

  /** TF's {@code errors::NotFound} for a file of the bundle that does not exist. */
  static CheckpointFormatException notFound(Path file, String context) {
    return new CheckpointFormatException(file, "Not found: " + file + "; No such file or directory" + context);
  }
}
