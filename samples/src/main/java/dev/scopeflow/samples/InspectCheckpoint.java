package dev.scopeflow.samples;

import dev.scopeflow.checkpoint.BundleEntry;
import dev.scopeflow.checkpoint.BundleReader;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.train.Saver;
import dev.scopeflow.samples.cli.Option;
import dev.scopeflow.samples.cli.Sample;
import dev.scopeflow.samples.cli.SampleContext;
import dev.scopeflow.samples.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Lists the tensors of a checkpoint in TensorFlow's V2 format, like TF's {@code inspect_checkpoint} tool ({@code
 * python -m tensorflow.python.tools.inspect_checkpoint --file_name=...}): one line per tensor, sorted by name, in TF's
 * {@code debug_string} form {@code name (DT_FLOAT) [2,3]}; with {@code --tensor NAME} that tensor's values, with
 * {@code --all-tensors} every tensor's values.
 *
 * <pre>
 * InspectCheckpoint &lt;checkpoint prefix or directory&gt; [--tensor NAME] [--all-tensors]
 * </pre>
 *
 * <p>A directory stands for its latest checkpoint (its {@code checkpoint} state file). Exit codes: 0 on success, 1
 * when the checkpoint is missing or corrupt or has no such tensor (the message names the file and the problem), 2
 * for wrong arguments.
 */
public final class InspectCheckpoint {
  /** Exit code for a missing or corrupt checkpoint or an unknown tensor. */
  public static final int EXIT_FAILURE = 1;
  /** Exit code for wrong arguments. */
  public static final int EXIT_USAGE = 2;

  private static final String USAGE =
      "Usage: InspectCheckpoint <checkpoint prefix or directory> [--tensor NAME] [--all-tensors]";

  private InspectCheckpoint() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the tool: writes the listing (or values) to {@code out}, errors to {@code err}.
   *
   * @return the exit code: 0, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String prefix = null;
    String tensor = null;
    boolean all = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tensor":
          if (i + 1 >= args.length) {
            err.println("--tensor needs a tensor name\n" + USAGE);
            return EXIT_USAGE;
          }
          tensor = args[++i];
          break;
        case "--all-tensors":
          all = true;
          break;
        case "-h":
        case "--help":
          out.println(USAGE);
          return 0;
        default:
          if (args[i].startsWith("--") || prefix != null) {
            err.println("Unexpected argument: " + args[i] + "\n" + USAGE);
            return EXIT_USAGE;
          }
          prefix = args[i];
      }
    }
    if (prefix == null) {
      err.println(USAGE);
      return EXIT_USAGE;
    }
    return inspect(prefix, tensor, all, out, err);
  }

  /**
   * Lists the checkpoint {@code prefix} (a directory: its latest checkpoint), or prints one tensor's values
   * ({@code tensor} not null) or every tensor's ({@code all}).
   *
   * @return 0, or {@link #EXIT_FAILURE} with the reason written to {@code err}
   */
  static int inspect(String prefix, String tensor, boolean all, PrintStream out, PrintStream err) {
    if (Files.isDirectory(Path.of(prefix))) {
      Optional<String> latest = Saver.latestCheckpoint(prefix);
      if (latest.isEmpty()) {
        err.println("No checkpoint found in directory " + prefix + " (no readable 'checkpoint' state file naming an "
            + "existing checkpoint); pass a checkpoint prefix such as " + Path.of(prefix, "model.ckpt-1000"));
        return EXIT_FAILURE;
      }
      prefix = latest.get();
    }
    try (BundleReader reader = BundleReader.open(Path.of(prefix))) {
      if (tensor != null) {
        if (reader.entry(tensor).isEmpty()) {
          err.println("Key " + tensor + " not found in checkpoint " + prefix);
          return EXIT_FAILURE;
        }
        printTensor(reader, tensor, out);
      } else if (all) {
        for (String key : reader.entries().keySet()) {
          printTensor(reader, key, out);
        }
      } else {
        for (BundleEntry e : reader.entries().values()) {
          out.println(describe(e));
        }
      }
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      err.println("Error reading checkpoint " + prefix + ": " + e.getMessage());
      return EXIT_FAILURE;
    }
  }

  /** TF's {@code BundleReader::DebugString} line: {@code name (DT_FLOAT) [2,3]}. */
  static String describe(BundleEntry e) {
    return e.key() + " (" + tfEnumName(e.dtypeName()) + ") " + e.shape().toRuntimeString();
  }

  /** {@code float} becomes {@code DT_FLOAT}, as {@code DataType_Name} prints it. */
  private static String tfEnumName(String dtypeName) {
    return dtypeName.matches("[a-z0-9_]+") ? "DT_" + dtypeName.toUpperCase(Locale.ROOT) : dtypeName;
  }

  private static void printTensor(BundleReader reader, String key, PrintStream out) throws IOException {
    Tensor t = reader.read(key);
    out.println("tensor_name:  " + key);
    out.println(format(t));
  }

  /** Every value, nested by dimension: {@code [[1.0, 2.0], [3.0, 4.0]]}; a scalar is its value. */
  static String format(Tensor t) {
    Object flat = t.unsafeArray();
    long[] dims = t.shape().dims();
    StringBuilder sb = new StringBuilder();
    appendNested(sb, flat, dims, 0, 0);
    return sb.toString();
  }

  private static int appendNested(StringBuilder sb, Object flat, long[] dims, int axis, int index) {
    if (axis == dims.length) {
      Object v = Array.get(flat, index);
      sb.append(v instanceof Boolean ? ((Boolean) v ? "True" : "False") : String.valueOf(v));
      return index + 1;
    }
    sb.append('[');
    for (long i = 0; i < dims[axis]; i++) {
      if (i > 0) {
        sb.append(axis == dims.length - 1 ? ", " : ",\n" + " ".repeat(axis + 1));
      }
      index = appendNested(sb, flat, dims, axis + 1, index);
    }
    sb.append(']');
    return index;
  }

  /** The launcher's {@code inspect-checkpoint} sample. */
  static final class AsSample implements Sample {
    @Override
    public String name() {
      return "inspect-checkpoint";
    }

    @Override
    public String summary() {
      return "list a TF V2 checkpoint's tensors (name, dtype, shape) or print their values, like TF's "
          + "inspect_checkpoint";
    }

    @Override
    public String positionalUsage() {
      return "<checkpoint prefix or directory>";
    }

    @Override
    public List<Option> options() {
      return List.of(
          Option.optional("tensor", "NAME", "print this tensor's values"),
          Option.flag("all-tensors", "print every tensor's values"));
    }

    @Override
    public int run(SampleContext context) {
      List<String> positional = context.args().positional();
      if (positional.size() != 1) {
        throw new UsageException(positional.isEmpty() ? "name a checkpoint prefix or a directory"
            : "expects one checkpoint, got " + positional);
      }
      return inspect(positional.get(0), context.args().string("tensor").orElse(null),
          context.args().flag("all-tensors"), context.out(), context.err());
    }
  }
}
