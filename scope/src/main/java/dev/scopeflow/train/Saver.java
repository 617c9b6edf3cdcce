package dev.scopeflow.train;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import dev.scopeflow.checkpoint.BundleEntry;
import dev.scopeflow.checkpoint.BundleReader;
import dev.scopeflow.checkpoint.BundleWriter;
import dev.scopeflow.checkpoint.TensorSlice;
import dev.scopeflow.graph.ControlDependencies;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.GraphKeys;
import dev.scopeflow.graph.NameScope;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.RunException;
import dev.scopeflow.graph.Runner;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.graph.TfTypeError;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.ops.defs.StateDefs;
import dev.scopeflow.scope.PartitionedVariable;
import dev.scopeflow.scope.SaveSliceInfo;
import dev.scopeflow.scope.VariableScopes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code tf.compat.v1.train.Saver}: saves variables to, and restores them from, checkpoints in TensorFlow's V2 format
 * (a tensor bundle: {@code <prefix>.index} and {@code <prefix>.data-00000-of-00001}), under the variables' graph names
 * ({@code rnn/basic_lstm_cell/kernel}) or names of the caller's choosing, so checkpoints move between Python TF and
 * ScopeFlow both ways. Keeps the {@code checkpoint} state file ({@link CheckpointState}) and the last {@code
 * maxToKeep} checkpoints of a directory, as TF does.
 *
 * <pre>{@code
 * Saver saver = Saver.create(graph);                       // all global variables
 * String path = saver.save(session, "train/model.ckpt", globalStep);   // "train/model.ckpt-1000"
 * ...
 * saver.restore(newSession, Saver.latestCheckpoint("train").orElseThrow());
 * }</pre>
 *
 * <p>Like TF, construction adds a name scope {@code save} to the graph holding, per saved variable (sorted by
 * checkpoint name), an {@code Assign} ({@code save/Assign}, {@code save/Assign_1}, ...) and {@code
 * save/restore_all} grouping them. ScopeFlow has no file ops ({@code SaveV2}/{@code RestoreV2}) and no string
 * tensors, so the Saver does the file I/O in Java: the {@code Assign}s read {@code Placeholder}s ({@code
 * save/restored_value}, ...) that {@link #restore} feeds in place of TF's {@code save/RestoreV2} outputs, and there is
 * no {@code save/Const} filename tensor. No MetaGraph ({@code .meta}) is written: ScopeFlow has no {@code
 * MetaGraphDef}; rebuild the graph in code and restore into it.
 *
 * <p>Consistency: {@link #save} fetches every value in ONE {@code session.run} (a consistent snapshot) and writes the
 * bundle through temporary files renamed into place (data first, index last); the state file is rewritten (again
 * atomically) only after the bundle is in place, and old checkpoints are deleted only after that. A save that fails
 * midway leaves the previous checkpoint loadable and the state file as it was. {@link #restore} checks that every
 * key exists with the right dtype and shape, and reads and CRC-checks every tensor, before it assigns all variables
 * in ONE run: a failed restore changes no variable.
 *
 * <p>Errors: construction errors are TF's {@code ValueError}/{@code TypeError} ({@link TfValueError}, {@link
 * TfTypeError}). At save/restore time a wrong argument (a path that is no checkpoint) is a {@link TfValueError};
 * a checkpoint that does not fit the graph is a {@link RunException} with TF's code and text ({@code NOT_FOUND}:
 * {@code Key <name> not found in checkpoint}; {@code INVALID_ARGUMENT}: dtype or shape mismatch), wrapped in TF's
 * {@code Restoring from checkpoint failed. ...} message; a file that cannot be read or written, or is corrupt, is an
 * {@link UncheckedIOException} whose cause (for a corrupt file a {@code CheckpointFormatException}) names the file
 * and the problem; a failing {@code session.run} (e.g. an uninitialized variable) throws its {@link RunException}.
 *
 * <p>Partitioned variables are saved as TF saves them: one tensor under the partitioned variable's name, stored as
 * one slice per shard at the place its {@link SaveSliceInfo} names, and restored shard by shard from slices of the
 * stored tensor, so a checkpoint restores into any partitioning, or into an unpartitioned variable, both ways between
 * TF and ScopeFlow. This holds whether the {@link PartitionedVariable} is listed, or its shards ({@code x/part_0},
 * ...) are, as in the default list (GLOBAL_VARIABLES): like TF's {@code op_list_to_dict}, shards with save-slice info
 * ({@link VariableScopes#saveSliceInfo}) are grouped under their full name. The optimizers' slots of shards carry
 * save-slice info too, as TF's {@code slot_creator} gives them ({@code x/part_0/Adam} is a slice of {@code x/Adam}), so
 * a training state saved in one partitioning resumes in another. A name map may give a partitioned variable or a list
 * of its shards as a value.
 *
 * <p>Not supported: sharded saves, {@code reshape}, V1 checkpoints, object-based (TF 2 {@code tf.train.Checkpoint})
 * name mapping, {@code allow_empty}. Thread-safe.
 */
public final class Saver {
  private static final System.Logger LOG = System.getLogger(Saver.class.getName());
  private static final String NOT_FOUND_VERBIAGE = "a Variable name or other graph key that is missing";
  private static final String MISMATCH_VERBIAGE = "a mismatch between the current graph and the graph";

  private final Graph graph;
  private final ImmutableList<Saveable> saveables;
  private final Operation restoreOp;
  private final int maxToKeep;
  private final double keepCheckpointEveryNHours;
  private final String latestFilename;
  private final boolean padStepNumber;
  private final boolean saveRelativePaths;

  /** TF's {@code _last_checkpoints}: (path, time in seconds), oldest first. Guarded by {@code this}. */
  private final List<Kept> lastCheckpoints = new ArrayList<>();
  /** TF's {@code _checkpoints_to_be_deleted}. Guarded by {@code this}. */
  private final List<Kept> toBeDeleted = new ArrayList<>();
  /** TF's {@code _next_checkpoint_time}, in seconds. Guarded by {@code this}. */
  private double nextCheckpointTime;

  private Saver(Builder b) {
    this.graph = b.graph;
    this.maxToKeep = b.maxToKeep;
    this.keepCheckpointEveryNHours = b.keepCheckpointEveryNHours;
    this.latestFilename = b.latestFilename;
    this.padStepNumber = b.padStepNumber;
    this.saveRelativePaths = b.saveRelativePaths;
    Map<String, Object> named = b.varMap != null ? b.varMap : opListToDict(b.varList != null ? b.varList
        : allSaveableObjects(graph));
    if (named.isEmpty()) {
      throw new TfValueError("No variables to save");
    }
    this.saveables = validateAndSliceInputs(named);
    this.restoreOp = buildRestoreOps(graph, b.name, saveables);
    this.nextCheckpointTime = nowSeconds() + keepCheckpointEveryNHours * 3600;
  }

  /** A Saver of all saveable objects (GLOBAL_VARIABLES and SAVEABLE_OBJECTS) with TF's defaults. */
  public static Saver create(Graph graph) {
    return builder(graph).build();
  }

  /** A builder for a Saver of {@code graph}'s variables; see {@link Builder} for the options and their defaults. */
  public static Builder builder(Graph graph) {
    return new Builder(graph);
  }

  // ---------------------------------------------------------------- saving

  /**
   * {@code saver.save(sess, save_path)}: saves to {@code savePath} itself (a prefix: {@code <savePath>.index} and
   * {@code <savePath>.data-00000-of-00001}) and returns it. Missing directories are created (TF creates only the
   * last one). Then the state file of {@code savePath}'s directory names it, and checkpoints beyond {@code
   * maxToKeep} are deleted.
   *
   * @throws TfValueError {@code 'latest_filename' collides with 'save_path': ...}
   * @throws RunException if the run that reads the variables fails (e.g. an uninitialized variable)
   * @throws UncheckedIOException if the files cannot be written; the previous checkpoint and state file then stay
   */
  public String save(Session session, String savePath) {
    return save(session, savePath, Optional.empty(), OptionalLong.empty());
  }

  /** {@code saver.save(sess, save_path, global_step=1000)}: saves to {@code <savePath>-1000}; returns that prefix. */
  public String save(Session session, String savePath, long globalStep) {
    return save(session, savePath, Optional.empty(), OptionalLong.of(globalStep));
  }

  /**
   * {@code saver.save(sess, save_path, global_step=tensor)}: the step is read through the session (in the same run
   * that reads the variables) and appended, {@code <savePath>-<step>}; returns that prefix.
   */
  public String save(Session session, String savePath, Operand globalStep) {
    return save(session, savePath, Optional.of(Preconditions.checkNotNull(globalStep, "globalStep")),
        OptionalLong.empty());
  }

  private String save(Session session, String savePath, Optional<Operand> stepTensor, OptionalLong step) {
    Preconditions.checkNotNull(session, "session");
    Preconditions.checkNotNull(savePath, "savePath");
    Preconditions.checkArgument(session.graph() == graph, "The session does not run the Saver's graph");
    boolean hasStep = stepTensor.isPresent() || step.isPresent();
    if (!hasStep && Path.of(savePath).getFileName() != null && Path.of(savePath).getFileName().toString().equals(
        latestFilename)) {
      throw new TfValueError("'latest_filename' collides with 'save_path': '" + latestFilename + "' and '"
          + savePath + "'");
    }
    Runner runner = session.runner();
    for (Saveable s : saveables) {
      s.reads.forEach(runner::fetch);
    }
    stepTensor.ifPresent(runner::fetch);
    List<Tensor> fetched = runner.run();

    String checkpointFile = savePath;
    if (hasStep) {
      long n = step.isPresent() ? step.getAsLong() : stepValue(fetched.get(fetched.size() - 1));
      checkpointFile = savePath + "-" + (padStepNumber ? String.format(Locale.ROOT, "%08d", n) : Long.toString(n));
    }
    Path prefix = Path.of(checkpointFile);
    try {
      Path parent = prefix.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      BundleWriter writer = BundleWriter.create(prefix);
      int i = 0;
      for (Saveable s : saveables) {
        if (s.partitioned()) {
          List<TensorSlice> slices = s.slices();
          for (int j = 0; j < slices.size(); j++) {
            writer.addSlice(s.key, s.shape, slices.get(j), fetched.get(i + j));
          }
        } else {
          writer.add(s.key, fetched.get(i));
        }
        i += s.reads.size();
      }
      writer.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to save checkpoint " + checkpointFile + ": " + e.getMessage(), e);
    }
    synchronized (this) {
      List<Kept> last = new ArrayList<>(lastCheckpoints);
      List<Kept> deleting = new ArrayList<>(toBeDeleted);
      recordLastCheckpoint(last, deleting, checkpointFile);
      String saveDir = parentOf(savePath);
      CheckpointState.update(saveDir, checkpointFile, paths(last), latestFilename, saveRelativePaths);
      // Only now, with the state file pointing at the new checkpoint, does the bookkeeping move on.
      lastCheckpoints.clear();
      lastCheckpoints.addAll(last);
      toBeDeleted.clear();
      toBeDeleted.addAll(deleting);
      maybeDeleteOldCheckpoints();
    }
    return checkpointFile;
  }

  /** TF's {@code _RecordLastCheckpoint}. */
  private void recordLastCheckpoint(List<Kept> last, List<Kept> deleting, String path) {
    if (maxToKeep == 0) {
      return;
    }
    last.removeIf(k -> k.path.equals(path));
    last.add(new Kept(path, nowSeconds()));
    if (last.size() > maxToKeep) {
      deleting.add(last.remove(0));
    }
  }

  /** TF's {@code _MaybeDeleteOldCheckpoints}: one pending deletion per save, unless N hours have passed. */
  private void maybeDeleteOldCheckpoints() {
    if (toBeDeleted.isEmpty()) {
      return;
    }
    Kept p = toBeDeleted.remove(0);
    if (p.time > nextCheckpointTime) {
      nextCheckpointTime += keepCheckpointEveryNHours * 3600;
      return;
    }
    removeCheckpoint(p.path);
  }

  /**
   * TF's {@code checkpoint_management.remove_checkpoint}: deletes {@code <prefix>.index}, every {@code
   * <prefix>.data-?????-of-?????} and {@code <prefix>.meta}; failures are logged and ignored, as TF does.
   */
  static void removeCheckpoint(String prefix) {
    Path p = Path.of(prefix);
    Path dir = p.toAbsolutePath().getParent();
    String base = p.getFileName().toString();
    CheckpointState.deleteQuietly(dir.resolve(base + ".meta"));
    CheckpointState.deleteQuietly(dir.resolve(base + ".index"));
    Pattern data = Pattern.compile(Pattern.quote(base) + "\\.data-\\d{5}-of-\\d{5}");
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> data.matcher(
        f.getFileName().toString()).matches())) {
      for (Path f : files) {
        CheckpointState.deleteQuietly(f);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Ignoring: " + e);
    }
  }

  // ---------------------------------------------------------------- restoring

  /**
   * {@code saver.restore(sess, save_path)}: sets every variable of this Saver from the checkpoint {@code savePath} (a
   * prefix, as {@link #save} and {@link #latestCheckpoint} return), all in one run after everything was checked.
   *
   * @throws TfValueError {@code The passed save_path is not a valid checkpoint: <path>} if there is no {@code
   *     <path>.index}
   * @throws RunException {@code NOT_FOUND} ({@code Key <name> not found in checkpoint}) or {@code INVALID_ARGUMENT}
   *     (dtype or shape mismatch), with TF's {@code Restoring from checkpoint failed. ...} wrapper
   * @throws UncheckedIOException if the files cannot be read or are corrupt
   */
  public void restore(Session session, String savePath) {
    Preconditions.checkNotNull(session, "session");
    if (savePath == null) {
      throw new TfValueError("Can't load save_path when it is None.");
    }
    Preconditions.checkArgument(session.graph() == graph, "The session does not run the Saver's graph");
    if (!checkpointExists(savePath)) {
      throw new TfValueError("The passed save_path is not a valid checkpoint: " + savePath);
    }
    LOG.log(Level.DEBUG, "Restoring parameters from " + savePath);
    Runner runner = session.runner();
    try {
      BundleReader reader = BundleReader.open(Path.of(savePath));
      try {
        List<BundleEntry> entries = new ArrayList<>();
        for (Saveable s : saveables) {
          Optional<BundleEntry> e = reader.entry(s.key);
          if (e.isEmpty()) {
            throw wrap(RunException.Code.NOT_FOUND, NOT_FOUND_VERBIAGE, "Key " + s.key + " not found in checkpoint",
                null);
          }
          entries.add(e.get());
        }
        for (int i = 0; i < saveables.size(); i++) {
          checkDType(saveables.get(i), entries.get(i));
        }
        for (int i = 0; i < saveables.size(); i++) {
          checkShape(saveables.get(i), entries.get(i));
        }
        for (Saveable s : saveables) {
          if (s.partitioned()) {
            // TF's LookupSlice: each shard reads its slice, whether TF stored the tensor whole or in other pieces.
            List<TensorSlice> slices = s.slices();
            for (int j = 0; j < slices.size(); j++) {
              runner.feed(s.restoredValues.get(j), reader.readSlice(s.key, slices.get(j)));
            }
          } else {
            runner.feed(s.restoredValues.get(0), reader.read(s.key));
          }
        }
      } finally {
        reader.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to restore from checkpoint " + savePath + ": " + e.getMessage(), e);
    }
    runner.addTarget(restoreOp).run();
  }

  private void checkDType(Saveable s, BundleEntry e) {
    if (e.dtype().isEmpty() || e.dtype().get() != s.dtype) {
      String restored = e.dtype().map(DType::runtimeName).orElse(e.dtypeName());
      throw wrap(RunException.Code.INVALID_ARGUMENT, MISMATCH_VERBIAGE, "tensor_name = " + s.key + "; expected dtype "
          + s.dtype.runtimeName() + " does not equal restored dtype " + restored, null);
    }
  }

  private void checkShape(Saveable s, BundleEntry e) {
    Shape saved = e.shape();
    if (s.partitioned()) {
      if (!saved.equals(s.shape)) {
        throw wrap(RunException.Code.INVALID_ARGUMENT, MISMATCH_VERBIAGE, "tensor_name = " + s.key
            + "; shape in shape_and_slice spec " + s.shape.toRuntimeString()
            + " does not match the shape stored in checkpoint: " + saved.toRuntimeString(), null);
      }
      return;
    }
    if (s.shape.isFullyDefined() && !saved.equals(s.shape)) {
      throw wrap(RunException.Code.INVALID_ARGUMENT, MISMATCH_VERBIAGE, "Assign requires shapes of both tensors to "
          + "match. lhs shape= " + s.shape.toRuntimeString() + " rhs shape= " + saved.toRuntimeString(),
          s.assigns.get(0));
    }
  }

  /** TF's {@code _wrap_restore_error_with_msg}. */
  private static RunException wrap(RunException.Code code, String verbiage, String original, Operation op) {
    return new RunException(code, "Restoring from checkpoint failed. This is most likely due to " + verbiage
        + " from the checkpoint. Please ensure that you have not altered the graph expected based on the checkpoint. "
        + "Original error:\n\n" + original, op);
  }

  // ---------------------------------------------------------------- bookkeeping

  /** TF's {@code last_checkpoints}: the checkpoints this Saver keeps (not deleted yet), oldest first. */
  public synchronized List<String> lastCheckpoints() {
    return ImmutableList.copyOf(paths(lastCheckpoints));
  }

  /**
   * TF's {@code recover_last_checkpoints(checkpoint_paths)}: takes over a previous run's checkpoints (e.g. {@link
   * CheckpointState#allModelCheckpointPaths()}), timestamped by their index files' modification times; paths
   * whose files are gone are skipped. Later saves then delete them when they fall out of the last {@code maxToKeep}.
   */
  public synchronized void recoverLastCheckpoints(List<String> checkpointPaths) {
    List<Kept> recovered = new ArrayList<>();
    for (String p : checkpointPaths) {
      Path index = Path.of(p + ".index");
      Path v1 = Path.of(p);
      try {
        Path f = Files.exists(index) ? index : v1;
        recovered.add(new Kept(p, Files.getLastModifiedTime(f).toMillis() / 1000.0));
      } catch (IOException e) {
        // TF skips checkpoints another process deleted meanwhile.
      }
    }
    lastCheckpoints.clear();
    lastCheckpoints.addAll(recovered);
  }

  /** {@code save/restore_all}: the op that assigns every fed restored value. */
  public Operation restoreOp() {
    return restoreOp;
  }

  /** The checkpoint names of the saved variables, sorted. */
  public List<String> keys() {
    return saveables.stream().map(s -> s.key).collect(ImmutableList.toImmutableList());
  }

  /** {@code max_to_keep}: how many recent checkpoints are kept (0 keeps all). */
  public int maxToKeep() {
    return maxToKeep;
  }

  // ---------------------------------------------------------------- checkpoint lookup

  /** {@link #latestCheckpoint(String, String)} with the state file {@code checkpoint}. */
  public static Optional<String> latestCheckpoint(String checkpointDir) {
    return latestCheckpoint(checkpointDir, CheckpointState.DEFAULT_FILENAME);
  }

  /**
   * TF's {@code tf.train.latest_checkpoint(checkpoint_dir, latest_filename)}: the latest checkpoint prefix the state
   * file names, if its index file exists; empty (TF's {@code None}) when there is no state file or its latest
   * checkpoint is gone.
   */
  public static Optional<String> latestCheckpoint(String checkpointDir, String latestFilename) {
    Optional<CheckpointState> state = CheckpointState.get(checkpointDir, latestFilename);
    if (state.isEmpty() || state.get().modelCheckpointPath().isEmpty()) {
      return Optional.empty();
    }
    String p = state.get().modelCheckpointPath();
    if (checkpointExists(p)) {
      return Optional.of(p);
    }
    LOG.log(Level.ERROR, "Couldn't match files for checkpoint " + p);
    return Optional.empty();
  }

  /** TF's {@code checkpoint_exists}: whether {@code <prefix>.index} (or a V1 file at {@code prefix}) exists. */
  public static boolean checkpointExists(String prefix) {
    return Files.isRegularFile(Path.of(prefix + ".index")) || Files.isRegularFile(Path.of(prefix));
  }

  // ---------------------------------------------------------------- construction

  /** TF's {@code variables._all_saveable_objects()}: GLOBAL_VARIABLES, then SAVEABLE_OBJECTS. */
  private static List<Object> allSaveableObjects(Graph graph) {
    List<Object> all = new ArrayList<>(graph.getCollection(GraphKeys.GLOBAL_VARIABLES));
    all.addAll(graph.getCollection(GraphKeys.SAVEABLE_OBJECTS));
    return all;
  }

  /**
   * TF's {@code saveable_object_util.op_list_to_dict}: variables are keyed by their op names, partitioned variables by
   * their names, and shards with save-slice info are grouped (a list) under their full variable's name.
   */
  private static Map<String, Object> opListToDict(List<?> opList) {
    Map<String, Object> named = new LinkedHashMap<>();
    List<Object> sorted = new ArrayList<>(opList);
    for (Object var : sorted) {
      Preconditions.checkNotNull(var, "var_list holds null");
    }
    sorted.sort((a, b) -> nameForSorting(a).compareTo(nameForSorting(b)));
    for (Object var : sorted) {
      Optional<SaveSliceInfo> slice = saveSliceInfoOf(var);
      if (var instanceof PartitionedVariable) {
        String name = ((PartitionedVariable) var).name();
        if (named.containsKey(name)) {
          throw new TfValueError("At least two variables have the same name: " + name);
        }
        named.put(name, var);
      } else if (slice.isPresent()) {
        String name = slice.get().fullName();
        Object existing = named.get(name);
        if (existing == null) {
          List<Object> slices = new ArrayList<>();
          slices.add(var);
          named.put(name, slices);
        } else if (existing instanceof List) {
          @SuppressWarnings("unchecked")
          List<Object> slices = (List<Object>) existing;
          slices.add(var);
        } else {
          throw new TfValueError("Mixing slices and non-slices with the same name: " + name);
        }
      } else {
        Output ref = referenceOf(var).orElseThrow(() -> new TfTypeError("Variable to save is not a Variable: "
            + var));
        String name = ref.op().name();
        if (named.containsKey(name)) {
          throw new TfValueError("At least two variables have the same name: " + name);
        }
        named.put(name, var);
      }
    }
    return named;
  }

  private static String nameForSorting(Object o) {
    return o instanceof dev.scopeflow.graph.Named ? ((dev.scopeflow.graph.Named) o).name() : String.valueOf(o);
  }

  /** TF's {@code var._save_slice_info}: set on the shards of partitioned variables made by {@code getVariable}. */
  private static Optional<SaveSliceInfo> saveSliceInfoOf(Object o) {
    if (!(o instanceof Variable)) {
      return Optional.empty();
    }
    Variable v = (Variable) o;
    return VariableScopes.of(v.graph()).saveSliceInfo(v);
  }

  /** The {@code VariableV2} reference behind a {@link Variable} or a reference output; empty for anything else. */
  private static Optional<Output> referenceOf(Object o) {
    if (o instanceof Variable) {
      return Optional.of(((Variable) o).ref());
    }
    if (o instanceof Output && StateDefs.isReference((Output) o)) {
      return Optional.of((Output) o);
    }
    return Optional.empty();
  }

  /**
   * TF's {@code validate_and_slice_inputs}: saveables sorted by name (a sliced one per partitioned variable or list
   * of shards); no variable twice.
   */
  private ImmutableList<Saveable> validateAndSliceInputs(Map<String, Object> named) {
    List<Saveable> result = new ArrayList<>();
    Map<Output, Boolean> seen = new IdentityHashMap<>();
    for (Map.Entry<String, Object> e : new TreeMap<>(named).entrySet()) {
      String name = Preconditions.checkNotNull(e.getKey(), "a checkpoint name is null");
      Object op = Preconditions.checkNotNull(e.getValue(), "the variable of %s is null", name);
      Saveable s;
      if (op instanceof PartitionedVariable || op instanceof List) {
        s = slicedSaveable(name, op instanceof PartitionedVariable ? ((PartitionedVariable) op).variables()
            : (List<?>) op);
      } else {
        Output ref = referenceOf(op).orElseThrow(() -> new TfTypeError("names_to_saveables must be a dict mapping "
            + "string names to Tensors/Variables. Not a variable: " + op));
        Preconditions.checkArgument(ref.graph() == graph, "%s is not from the Saver's graph", op);
        Output read = op instanceof Variable ? ((Variable) op).value() : ref;
        s = new Saveable(name, ref.dtype(), ref.shape(), List.of(ref), List.of(read), Optional.empty());
      }
      for (Output ref : s.refs) {
        if (seen.put(ref, Boolean.TRUE) != null) {
          throw new TfValueError("The same saveable will be restored with two names: " + name);
        }
      }
      result.add(s);
    }
    return ImmutableList.copyOf(result);
  }

  /**
   * TF's {@code saveable_objects_for_op} for a set of slices (a partitioned variable's shards, or the shards grouped
   * by their full name): every one a variable with save-slice info of the same full variable, each saved and
   * restored as the slice its {@code SaveSliceInfo.spec} names, under {@code name}.
   */
  private Saveable slicedSaveable(String name, List<?> slices) {
    String sliceName = null;
    Shape fullShape = null;
    DType dtype = null;
    List<Output> refs = new ArrayList<>();
    List<Output> reads = new ArrayList<>();
    List<TensorSlice> specs = new ArrayList<>();
    for (Object o : slices) {
      Preconditions.checkNotNull(o, "the slices of %s hold null", name);
      if (!(o instanceof Variable)) {
        throw new TfValueError("Slices must all be Variables: " + o);
      }
      Variable variable = (Variable) o;
      SaveSliceInfo info = saveSliceInfoOf(variable).orElseThrow(() -> new TfValueError(
          "Slices must all be slices: " + variable));
      if (sliceName == null) {
        sliceName = info.fullName();
        fullShape = Shape.of(info.fullShape());
        dtype = variable.ref().dtype();
      } else if (!sliceName.equals(info.fullName())) {
        throw new TfValueError("Slices must all be from the same tensor: " + sliceName + " != " + info.fullName());
      }
      // TF only finds these when SaveV2 runs (a CHECK in the bundle writer); ScopeFlow refuses them up front.
      Preconditions.checkArgument(fullShape.equals(Shape.of(info.fullShape())) && dtype == variable.ref().dtype(),
          "The slices of %s disagree on the full variable: %s %s and %s %s", name, fullShape, dtype,
          Shape.of(info.fullShape()), variable.ref().dtype());
      Preconditions.checkArgument(variable.graph() == graph, "%s is not from the Saver's graph", variable);
      refs.add(variable.ref());
      reads.add(variable.value());
      specs.add(sliceOf(info));
    }
    Preconditions.checkArgument(!refs.isEmpty(), "No slices to save under %s", name);
    return new Saveable(name, dtype, fullShape, refs, reads, Optional.of(specs));
  }

  /** The slice a {@code SaveSliceInfo.spec} names: an explicit extent in every dimension. */
  private static TensorSlice sliceOf(SaveSliceInfo info) {
    long[] offset = info.varOffset();
    long[] shape = info.varShape();
    List<TensorSlice.Extent> extents = new ArrayList<>();
    for (int d = 0; d < offset.length; d++) {
      extents.add(new TensorSlice.Extent(offset[d], shape[d]));
    }
    return new TensorSlice(extents);
  }

  /**
   * Builds, under the name scope {@code save} (uniquified), a placeholder and an {@code Assign} per variable, sorted
   * by checkpoint name, and {@code restore_all} grouping the assignments, as TF's {@code _AddRestoreOps} does.
   */
  private static Operation buildRestoreOps(Graph graph, String name, List<Saveable> saveables) {
    Ops tf = Ops.create(graph);
    try (ControlDependencies none = graph.noControlDependencies(); NameScope scope = graph.nameScope(name)) {
      List<Operation> assigns = new ArrayList<>();
      for (Saveable s : saveables) {
        for (Output ref : s.refs) {
          // A restored tensor's static shape is unknown, like RestoreV2's outputs; the Assign validates the shape
          // when the variable's is fully defined (TF: validate_shape = shape.is_fully_defined()).
          Output value = tf.withName("restored_value").placeholder(ref.dtype(), Shape.unknown());
          Output assign = tf.state.assign(ref, value, ref.shape().isFullyDefined());
          s.restoredValues.add(value);
          s.assigns.add(assign.op());
          assigns.add(assign.op());
        }
      }
      return tf.withName("restore_all").group(assigns);
    }
  }

  private static long stepValue(Tensor t) {
    if (t.size() != 1) {
      throw new TfTypeError("global_step must be a scalar, got shape " + t.shape());
    }
    switch (t.dtype()) {
      case INT64:
        return t.toLongArray()[0];
      case INT32:
        return t.toIntArray()[0];
      case BOOL:
        throw new TfTypeError("global_step must be a number, got " + t.dtype());
      default:
        return (long) t.getDouble(0);
    }
  }

  private static String parentOf(String savePath) {
    Path parent = Path.of(savePath).getParent();
    return parent == null ? "" : parent.toString();
  }

  private static List<String> paths(List<Kept> kept) {
    List<String> p = new ArrayList<>();
    for (Kept k : kept) {
      p.add(k.path);
    }
    return p;
  }

  private static double nowSeconds() {
    return System.currentTimeMillis() / 1000.0;
  }

  // ---------------------------------------------------------------- types

  /** One checkpoint entry: a variable, or the shards of a partitioned variable saved as slices of one tensor. */
  private static final class Saveable {
    final String key;
    final DType dtype;
    /** The variable's shape; for slices, the full variable's. */
    final Shape shape;
    final List<Output> refs;
    final List<Output> reads;
    /** Per shard, the slice its {@code SaveSliceInfo} names; empty for a single variable. */
    private final Optional<List<TensorSlice>> slices;
    final List<Output> restoredValues = new ArrayList<>();
    final List<Operation> assigns = new ArrayList<>();

    Saveable(String key, DType dtype, Shape shape, List<Output> refs, List<Output> reads,
        Optional<List<TensorSlice>> slices) {
      this.key = key;
      this.dtype = dtype;
      this.shape = shape;
      this.refs = ImmutableList.copyOf(refs);
      this.reads = ImmutableList.copyOf(reads);
      this.slices = slices.map(ImmutableList::copyOf);
    }

    boolean partitioned() {
      return slices.isPresent();
    }

    /** Each shard's place in the full tensor, as TF's {@code SaveSliceInfo.spec} puts it ({@code "0,3:0,2"}). */
    List<TensorSlice> slices() {
      return slices.orElseThrow();
    }
  }

  private static final class Kept {
    final String path;
    final double time;

    Kept(String path, double time) {
      this.path = path;
      this.time = time;
    }
  }

  /**
   * The arguments of {@code tf.compat.v1.train.Saver(...)}: {@code varList} (a list of variables, keyed by their op
   * names, or partitioned variables, keyed by their names) or {@code varMap} ({@code {"checkpoint name":
   * variable}}); default all saveable objects. {@code maxToKeep} (default 5; 0 keeps every checkpoint), {@code
   * keepCheckpointEveryNHours} (default 10000), {@code name} (the name scope; default {@code save}), {@code
   * padStepNumber} (default false: {@code model-00001000} when true), {@code saveRelativePaths} (default true: the
   * state file lists paths relative to its directory; false keeps TF 1's default of paths as given when the save
   * directory is absolute), {@code latestFilename} (the state file's name; default {@code checkpoint}; TF passes it
   * to {@code save}).
   */
  public static final class Builder {
    private final Graph graph;
    private List<?> varList;
    private Map<String, Object> varMap;
    private int maxToKeep = 5;
    private double keepCheckpointEveryNHours = 10000.0;
    private String name = "save";
    private boolean padStepNumber;
    private boolean saveRelativePaths = true;
    private String latestFilename = CheckpointState.DEFAULT_FILENAME;

    private Builder(Graph graph) {
      this.graph = Preconditions.checkNotNull(graph, "graph");
    }

    /**
     * The variables to save, each under its op name: {@link Variable}s, reference outputs of {@code VariableV2} ops,
     * or {@link PartitionedVariable}s (under their names); shards of partitioned variables are grouped under their
     * full variable's name and saved as its slices. Replaces a {@link #varMap}.
     */
    public Builder varList(List<?> varList) {
      this.varList = ImmutableList.copyOf(varList);
      this.varMap = null;
      return this;
    }

    /**
     * The variables to save under the given checkpoint names ({@code {"name": variable}}); a value may also be a
     * {@link PartitionedVariable} or a list of shards (variables with save-slice info) of one partitioned variable,
     * saved as slices of one tensor. Replaces a list.
     */
    public Builder varMap(Map<String, ?> varMap) {
      this.varMap = Collections.unmodifiableMap(new LinkedHashMap<>(varMap));
      this.varList = null;
      return this;
    }

    public Builder maxToKeep(int maxToKeep) {
      Preconditions.checkArgument(maxToKeep >= 0, "max_to_keep must be >= 0 (0 keeps all), got %s", maxToKeep);
      this.maxToKeep = maxToKeep;
      return this;
    }

    public Builder keepCheckpointEveryNHours(double hours) {
      Preconditions.checkArgument(hours > 0, "keep_checkpoint_every_n_hours must be positive, got %s", hours);
      this.keepCheckpointEveryNHours = hours;
      return this;
    }

    public Builder name(String name) {
      this.name = Preconditions.checkNotNull(name, "name");
      return this;
    }

    public Builder padStepNumber(boolean padStepNumber) {
      this.padStepNumber = padStepNumber;
      return this;
    }

    public Builder saveRelativePaths(boolean saveRelativePaths) {
      this.saveRelativePaths = saveRelativePaths;
      return this;
    }

    /** @throws TfValueError {@code 'latest_filename' must not contain path components} */
    public Builder latestFilename(String latestFilename) {
      Preconditions.checkNotNull(latestFilename, "latestFilename");
      CheckpointState.checkLatestFilename(latestFilename);
      this.latestFilename = latestFilename;
      return this;
    }

    /**
     * Builds the Saver and its restore ops.
     *
     * @throws TfValueError {@code No variables to save}; {@code At least two variables have the same name: <name>};
     *     {@code Mixing slices and non-slices with the same name: <name>}; {@code The same saveable will be restored
     *     with two names: <name>}; {@code Slices must all be Variables: ...}; {@code Slices must all be slices: ...};
     *     {@code Slices must all be from the same tensor: <a> != <b>}
     * @throws TfTypeError {@code Variable to save is not a Variable: ...}; {@code names_to_saveables must be a dict
     *     mapping string names to Tensors/Variables. Not a variable: ...}
     */
    public Saver build() {
      return new Saver(this);
    }
  }
}
