package dev.scopeflow.train;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * TF's {@code CheckpointState} proto ({@code checkpoint_state.proto}): what the {@code checkpoint} file beside a
 * directory's checkpoints holds, the latest checkpoint prefix and the ones still kept, oldest first. The file is the
 * proto in text format, exactly as TF writes it, so Python's {@code tf.train.latest_checkpoint} and ours read each
 * other's files:
 *
 * <pre>
 * model_checkpoint_path: "model.ckpt-2000"
 * all_model_checkpoint_paths: "model.ckpt-1000"
 * all_model_checkpoint_paths: "model.ckpt-2000"
 * </pre>
 *
 * <p>{@link #get} is {@code tf.train.get_checkpoint_state}; {@link #update} is {@code update_checkpoint_state}
 * (written atomically: a temporary file renamed over the old one). Immutable.
 */
public final class CheckpointState {
  /** The default name of the state file ({@code latest_filename=None} in TF). */
  public static final String DEFAULT_FILENAME = "checkpoint";

  private static final System.Logger LOG = System.getLogger(CheckpointState.class.getName());

  private final String modelCheckpointPath;
  private final ImmutableList<String> allModelCheckpointPaths;
  private final ImmutableList<Double> allModelCheckpointTimestamps;
  private final OptionalDouble lastPreservedTimestamp;

  private CheckpointState(String modelCheckpointPath, List<String> allModelCheckpointPaths,
      List<Double> allModelCheckpointTimestamps, OptionalDouble lastPreservedTimestamp) {
    this.modelCheckpointPath = Preconditions.checkNotNull(modelCheckpointPath, "modelCheckpointPath");
    this.allModelCheckpointPaths = ImmutableList.copyOf(allModelCheckpointPaths);
    this.allModelCheckpointTimestamps = ImmutableList.copyOf(allModelCheckpointTimestamps);
    this.lastPreservedTimestamp = Preconditions.checkNotNull(lastPreservedTimestamp, "lastPreservedTimestamp");
  }

  /** A state with the latest checkpoint and the kept ones (oldest first), without timestamps. */
  public static CheckpointState of(String modelCheckpointPath, List<String> allModelCheckpointPaths) {
    return new CheckpointState(modelCheckpointPath, allModelCheckpointPaths, List.of(), OptionalDouble.empty());
  }

  /**
   * A state with timestamps (seconds since the epoch, one per kept checkpoint), as TF 2's {@code CheckpointManager}
   * writes them.
   */
  public static CheckpointState of(String modelCheckpointPath, List<String> allModelCheckpointPaths,
      List<Double> allModelCheckpointTimestamps, OptionalDouble lastPreservedTimestamp) {
    return new CheckpointState(modelCheckpointPath, allModelCheckpointPaths, allModelCheckpointTimestamps,
        lastPreservedTimestamp);
  }

  /** The latest checkpoint prefix ({@code model_checkpoint_path}). */
  public String modelCheckpointPath() {
    return modelCheckpointPath;
  }

  /** The checkpoints still on disk, oldest first, the latest last ({@code all_model_checkpoint_paths}). */
  public List<String> allModelCheckpointPaths() {
    return allModelCheckpointPaths;
  }

  /** {@code all_model_checkpoint_timestamps} (empty unless a TF 2 {@code CheckpointManager} wrote the file). */
  public List<Double> allModelCheckpointTimestamps() {
    return allModelCheckpointTimestamps;
  }

  /** {@code last_preserved_timestamp}, when set. */
  public OptionalDouble lastPreservedTimestamp() {
    return lastPreservedTimestamp;
  }

  // ---------------------------------------------------------------- the checkpoint file

  /** {@link #get(String, String)} with the file {@code checkpoint}. */
  public static Optional<CheckpointState> get(String checkpointDir) {
    return get(checkpointDir, DEFAULT_FILENAME);
  }

  /**
   * TF's {@code get_checkpoint_state(checkpoint_dir, latest_filename)}: the state file of {@code checkpointDir}, with
   * relative paths resolved against {@code checkpointDir} ({@code os.path.join}). Empty when there is no such file;
   * empty too (with a warning) when it cannot be read or parsed, as TF ignores such a file.
   *
   * @throws dev.scopeflow.graph.TfValueError {@code Invalid checkpoint state loaded from <dir>} if the file sets no
   *     {@code model_checkpoint_path}
   */
  public static Optional<CheckpointState> get(String checkpointDir, String latestFilename) {
    Preconditions.checkNotNull(checkpointDir, "checkpointDir");
    Path file = stateFile(checkpointDir, latestFilename);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    CheckpointState state;
    try {
      state = parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | UncheckedIOException | ParseException e) {
      LOG.log(Level.WARNING, e.getClass().getSimpleName() + ": " + e.getMessage());
      LOG.log(Level.WARNING, file + ": Checkpoint ignored");
      return Optional.empty();
    }
    if (state.modelCheckpointPath.isEmpty()) {
      throw new dev.scopeflow.graph.TfValueError("Invalid checkpoint state loaded from " + checkpointDir);
    }
    List<String> all = new ArrayList<>();
    for (String p : state.allModelCheckpointPaths) {
      all.add(joinIfRelative(checkpointDir, p));
    }
    return Optional.of(new CheckpointState(joinIfRelative(checkpointDir, state.modelCheckpointPath), all,
        state.allModelCheckpointTimestamps, state.lastPreservedTimestamp));
  }

  /**
   * TF's {@code update_checkpoint_state_internal}: writes the state file of {@code saveDir} atomically (a temporary
   * file in the same directory, renamed over the old file; removed again if anything fails). {@code
   * modelCheckpointPath} is appended to {@code allModelCheckpointPaths} when it is not already last. Paths are stored
   * relative to {@code saveDir} when {@code saveRelativePaths} is set or when {@code saveDir} itself is relative (TF's
   * rule); otherwise as given.
   *
   * @throws dev.scopeflow.graph.TfValueError {@code 'latest_filename' must not contain path components}
   * @throws IllegalStateException {@code Save path '<path>' conflicts with path used for checkpoint state.  Please
   *     use a different save path.} (TF's RuntimeError)
   * @throws UncheckedIOException if the file cannot be written; the previous file is then unchanged
   */
  public static void update(String saveDir, String modelCheckpointPath, List<String> allModelCheckpointPaths,
      String latestFilename, boolean saveRelativePaths) {
    Preconditions.checkNotNull(saveDir, "saveDir");
    Preconditions.checkNotNull(modelCheckpointPath, "modelCheckpointPath");
    Path file = stateFile(saveDir, latestFilename);
    boolean relative = saveRelativePaths || !Path.of(saveDir).isAbsolute();
    String model = relative ? relativeIfPossible(saveDir, modelCheckpointPath) : modelCheckpointPath;
    List<String> all = new ArrayList<>();
    for (String p : allModelCheckpointPaths) {
      all.add(relative ? relativeIfPossible(saveDir, p) : p);
    }
    if (all.isEmpty() || !all.get(all.size() - 1).equals(model)) {
      all.add(model);
    }
    if (file.toString().equals(model) || file.toAbsolutePath().normalize().equals(
        Path.of(saveDir).resolve(model).toAbsolutePath().normalize())) {
      throw new IllegalStateException("Save path '" + modelCheckpointPath + "' conflicts with path used for "
          + "checkpoint state.  Please use a different save path.");
    }
    writeAtomically(file, of(model, all).toText());
  }

  /** The state file's path: {@code <dir>/<latestFilename>} ({@code checkpoint} when null). */
  static Path stateFile(String dir, String latestFilename) {
    String name = latestFilename == null ? DEFAULT_FILENAME : latestFilename;
    checkLatestFilename(name);
    return Path.of(dir).resolve(name);
  }

  /** TF's check in {@code Saver.save}. */
  static void checkLatestFilename(String latestFilename) {
    if (latestFilename.isEmpty() || latestFilename.contains("/") || latestFilename.contains(
        java.io.File.separator)) {
      throw new dev.scopeflow.graph.TfValueError("'latest_filename' must not contain path components");
    }
  }

  /**
   * Writes {@code text} to {@code file} through a temporary file in the same directory renamed into place (TF's
   * {@code atomic_write_string_to_file}); the temporary file never stays behind.
   */
  static void writeAtomically(Path file, String text) {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = dir.resolve(file.getFileName() + ".tmp" + UUID.randomUUID().toString().replace("-", ""));
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to write checkpoint state file " + file + ": " + e, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // The rename failed and so did the clean-up; the original error is what matters.
      }
    }
  }

  private static String joinIfRelative(String dir, String p) {
    return Path.of(p).isAbsolute() ? p : Path.of(dir).resolve(p).toString();
  }

  /** {@code os.path.relpath(p, dir)}: both made absolute against the working directory first. */
  private static String relativeIfPossible(String dir, String p) {
    Path base = Path.of(dir).toAbsolutePath().normalize();
    Path target = Path.of(p).toAbsolutePath().normalize();
    if (base.getRoot() == null || !base.getRoot().equals(target.getRoot())) {
      return p;
    }
    String r = base.relativize(target).toString();
    return r.isEmpty() ? "." : r;
  }

  // ---------------------------------------------------------------- text format

  /**
   * The proto in text format as Python's {@code text_format.MessageToString} writes it: one {@code field: value}
   * line per set field, strings C-escaped (non-ASCII as octal escapes of their UTF-8 bytes).
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    if (!modelCheckpointPath.isEmpty()) {
      sb.append("model_checkpoint_path: ").append(quote(modelCheckpointPath)).append('\n');
    }
    for (String p : allModelCheckpointPaths) {
      sb.append("all_model_checkpoint_paths: ").append(quote(p)).append('\n');
    }
    for (double t : allModelCheckpointTimestamps) {
      sb.append("all_model_checkpoint_timestamps: ").append(formatDouble(t)).append('\n');
    }
    if (lastPreservedTimestamp.isPresent()) {
      sb.append("last_preserved_timestamp: ").append(formatDouble(lastPreservedTimestamp.getAsDouble()))
          .append('\n');
    }
    return sb.toString();
  }

  /**
   * Parses the text format (TF's {@code text_format.Merge} into a {@code CheckpointState}): the four fields in any
   * order, {@code #} comments, single- or double-quoted C-escaped strings (adjacent ones concatenated).
   *
   * @throws ParseException naming the line and what was expected, for anything else (e.g. an unknown field)
   */
  public static CheckpointState parse(String text) {
    return new TextParser(text).parse();
  }

  /** A state file that is not a {@code CheckpointState} in text format (Python's {@code text_format.ParseError}). */
  public static final class ParseException extends IllegalArgumentException {
    ParseException(String message) {
      super(message);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CheckpointState)) {
      return false;
    }
    CheckpointState s = (CheckpointState) o;
    return modelCheckpointPath.equals(s.modelCheckpointPath) && allModelCheckpointPaths.equals(
        s.allModelCheckpointPaths) && allModelCheckpointTimestamps.equals(s.allModelCheckpointTimestamps)
        && lastPreservedTimestamp.equals(s.lastPreservedTimestamp);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(modelCheckpointPath, allModelCheckpointPaths, allModelCheckpointTimestamps,
        lastPreservedTimestamp);
  }

  /** The text format. */
  @Override
  public String toString() {
    return toText();
  }

  private static String formatDouble(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d) + ".0";
    }
    return Double.toString(d);
  }

  /** protobuf's {@code CEscape} of the UTF-8 bytes, in double quotes. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      switch (c) {
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '"':
          sb.append("\\\"");
          break;
        case '\'':
          sb.append("\\'");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        default:
          if (c < 0x20 || c >= 0x7f) {
            sb.append(String.format(Locale.ROOT, "\\%03o", c));
          } else {
            sb.append((char) c);
          }
      }
    }
    return sb.append('"').toString();
  }

  /** A small tokenizer for the four scalar/repeated fields of {@code CheckpointState}. */
  private static final class TextParser {
    private final String text;
    private int pos;
    private int line = 1;

    TextParser(String text) {
      this.text = text;
    }

    CheckpointState parse() {
      String model = "";
      List<String> all = new ArrayList<>();
      List<Double> timestamps = new ArrayList<>();
      OptionalDouble lastPreserved = OptionalDouble.empty();
      skipSpace();
      while (pos < text.length()) {
        int fieldStart = pos;
        String field = identifier();
        skipSpace();
        expect(':');
        skipSpace();
        switch (field) {
          case "model_checkpoint_path":
            model = string();
            break;
          case "all_model_checkpoint_paths":
            all.add(string());
            break;
          case "all_model_checkpoint_timestamps":
            timestamps.add(number());
            break;
          case "last_preserved_timestamp":
            lastPreserved = OptionalDouble.of(number());
            break;
          default:
            pos = fieldStart;
            throw error("Message type \"tensorflow.CheckpointState\" has no field named \"" + field + "\".");
        }
        skipSpace();
        if (pos < text.length() && (text.charAt(pos) == ',' || text.charAt(pos) == ';')) {
          pos++;
          skipSpace();
        }
      }
      return new CheckpointState(model, all, timestamps, lastPreserved);
    }

    private void skipSpace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '#') {
          while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
          }
        } else if (Character.isWhitespace(c)) {
          if (c == '\n') {
            line++;
          }
          pos++;
        } else {
          return;
        }
      }
    }

    private String identifier() {
      int start = pos;
      while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        throw error("Expected identifier or number, got " + text.charAt(pos) + ".");
      }
      return text.substring(start, pos);
    }

    private void expect(char c) {
      if (pos >= text.length() || text.charAt(pos) != c) {
        throw error("Expected \"" + c + "\".");
      }
      pos++;
    }

    private double number() {
      int start = pos;
      while (pos < text.length() && "+-.0123456789eEinfINFa".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      String t = text.substring(start, pos);
      try {
        switch (t.toLowerCase(Locale.ROOT)) {
          case "inf":
          case "infinity":
            return Double.POSITIVE_INFINITY;
          case "-inf":
          case "-infinity":
            return Double.NEGATIVE_INFINITY;
          case "nan":
            return Double.NaN;
          default:
            return Double.parseDouble(t);
        }
      } catch (NumberFormatException e) {
        throw error("Couldn't parse float: " + t);
      }
    }

    /** One or more adjacent quoted strings, unescaped and decoded as UTF-8. */
    private String string() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      if (pos >= text.length() || (text.charAt(pos) != '"' && text.charAt(pos) != '\'')) {
        throw error("Expected string.");
      }
      while (pos < text.length() && (text.charAt(pos) == '"' || text.charAt(pos) == '\'')) {
        char quote = text.charAt(pos++);
        while (true) {
          if (pos >= text.length() || text.charAt(pos) == '\n') {
            throw error("String missing ending quote.");
          }
          char c = text.charAt(pos++);
          if (c == quote) {
            break;
          }
          if (c != '\\') {
            byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            bytes.write(b, 0, b.length);
            continue;
          }
          if (pos >= text.length()) {
            throw error("String missing ending quote.");
          }
          char e = text.charAt(pos++);
          switch (e) {
            case 'n':
              bytes.write('\n');
              break;
            case 'r':
              bytes.write('\r');
              break;
            case 't':
              bytes.write('\t');
              break;
            case 'a':
              bytes.write(7);
              break;
            case 'b':
              bytes.write('\b');
              break;
            case 'f':
              bytes.write('\f');
              break;
            case 'v':
              bytes.write(11);
              break;
            case 'x':
              bytes.write(digits(16, 2));
              break;
            default:
              if (e >= '0' && e <= '7') {
                pos--;
                bytes.write(digits(8, 3));
              } else {
                bytes.write(e);
              }
          }
        }
        skipSpace();
      }
      return bytes.toString(StandardCharsets.UTF_8);
    }

    private int digits(int radix, int max) {
      int start = pos;
      while (pos < text.length() && pos - start < max && Character.digit(text.charAt(pos), radix) >= 0) {
        pos++;
      }
      if (start == pos) {
        throw error("Invalid escape sequence in string.");
      }
      return Integer.parseInt(text.substring(start, pos), radix) & 0xff;
    }

    private ParseException error(String what) {
      return new ParseException(line + ":" + (column() + 1) + " : " + what);
    }

    private int column() {
      int lineStart = text.lastIndexOf('\n', Math.max(0, pos - 1));
      return pos - (lineStart + 1);
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (NoSuchFileException ignored) {
      // gone already
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Ignoring: " + e);
    }
  }
}
