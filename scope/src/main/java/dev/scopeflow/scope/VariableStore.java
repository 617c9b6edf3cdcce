package dev.scopeflow.scope;

import dev.scopeflow.graph.ControlDependencies;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.GraphKeys;
import dev.scopeflow.graph.NameScope;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.ops.init.Initializer;
import dev.scopeflow.ops.init.Initializers;
import dev.scopeflow.ops.init.PartitionInfo;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * TF's {@code _VariableStore}: the variables {@code get_variable} made in one graph, by full name, and the store-level
 * algorithm (reuse checks, default initializers, partitioning, regularizers), following {@code variable_scope.py}
 * step by step. One per graph, shared by all threads.
 */
final class VariableStore {
  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
  private static final Set<CodeSource> LIBRARY_CODE = new HashSet<>(Arrays.asList(codeSource(Graph.class),
      codeSource(Ops.class), codeSource(VariableStore.class)));

  private final Graph graph;
  private final Map<String, Variable> vars = new HashMap<>();
  /** Creation sites of reference variables only: the "Originally defined at" suffix (resource variables have none). */
  private final Map<String, String> definedAt = new HashMap<>();
  private final Map<String, PartitionedVariable> partitionedVars = new HashMap<>();
  /**
   * TF's {@code var._save_slice_info} of each shard and of each variable given one by {@link #setSaveSliceInfo} (e.g.
   * an optimizer slot of a shard), keyed by the variable's reference output (identity).
   */
  private final Map<Output, SaveSliceInfo> saveSliceInfos = new IdentityHashMap<>();

  VariableStore(Graph graph) {
    this.graph = graph;
  }

  /** TF's {@code _VariableStore.get_variable} with resolved arguments ({@code reuse} and {@code dtype} set). */
  VariableResult getVariable(String name, GetVariableOptions options) {
    GetVariableOptions resolved = options.withTrainableValue(trainableValue(options));
    Optional<CustomGetter> getter = resolved.customGetter();
    if (getter.isPresent()) {
      return getter.get().get(this::trueGetter, name, resolved);
    }
    return trueGetter(name, resolved);
  }

  /**
   * TF 1.15's {@code _get_trainable_value}, run before any custom getter: ON_READ variables are never trainable (an
   * explicit {@code trainable=True} is an error), otherwise unset means true.
   *
   * @throws TfValueError {@code Synchronization value can be set to VariableSynchronization.ON_READ only for
   *     non-trainable variables. ...}
   */
  private static boolean trainableValue(GetVariableOptions options) {
    if (options.synchronization() == VariableSynchronization.ON_READ) {
      if (options.trainable().orElse(false)) {
        throw new TfValueError("Synchronization value can be set to VariableSynchronization.ON_READ only for "
            + "non-trainable variables. You have specified trainable=True and "
            + "synchronization=VariableSynchronization.ON_READ.");
      }
      return false;
    }
    return options.trainable().orElse(true);
  }

  /** TF's {@code _true_getter}: the partitioned or the single path. */
  private VariableResult trueGetter(String name, GetVariableOptions o) {
    Reuse reuse = o.reuse().orElse(Reuse.AUTO_REUSE);
    DType dtype = o.dtype().orElse(DType.FLOAT32);
    boolean isScalar = o.shape().map(s -> s.hasRank() && s.rank() == 0).orElse(false);
    synchronized (this) {
      if (o.partitioner().isPresent() && !isScalar) {
        return partitioned(name, o.partitioner().get(), o, dtype, reuse);
      }
      if (reuse == Reuse.REUSE && o.partitioner().isEmpty() && partitionedVars.containsKey(name)) {
        return partitioned(name, null, o, dtype, reuse);
      }
      if (vars.containsKey(name + "/part_0")) {
        throw new TfValueError("No partitioner was provided, but a partitioned version of the variable was found: "
            + name + "/part_0. Perhaps a variable of the same name was already created with partitioning?");
      }
      return single(name, o.shape().orElse(null), dtype, o.initializer().orElse(null), null, o, reuse);
    }
  }

  /** TF's {@code _get_partitioned_variable}. */
  private VariableResult partitioned(String name, Partitioner partitioner, GetVariableOptions o, DType dtype,
      Reuse reuse) {
    VariableInitializer initializer = o.initializer().orElse(null);
    // TF slices only a Tensor initializer here; host values are converted per shard below.
    boolean initializingFromValue = initializer != null && initializer.value().isPresent();
    if (vars.containsKey(name)) {
      throw new TfValueError("A partitioner was provided, but an unpartitioned version of the variable was found: "
          + name + ".  Perhaps a variable of the same name was already created without partitioning?");
    }
    Shape shape = o.shape().orElse(Shape.unknown());
    if (initializingFromValue) {
      shape = shape.mergeWith(initializer.constantShape());
    }
    int[] partitions = null;
    if (!reuse.isTruthy() || partitioner != null) {
      partitions = callPartitioner(partitioner, shape, dtype);
    }
    PartitionedVariable existing = partitionedVars.get(name);
    if (existing != null) {
      if (reuse == Reuse.INHERIT) {
        throw new TfValueError("Partitioned variable with name " + name + " already exists. Did you mean to set "
            + "reuse=True or reuse=tf.AUTO_REUSE in VarScope?");
      }
      if (!shape.isCompatibleWith(existing.shape())) {
        throw new TfValueError("Trying to reuse partitioned variable " + name + ", but specified shape " + shape
            + " and found shape " + existing.shape() + ".");
      }
      if (dtype != existing.dtype()) {
        throw new TfValueError("Trying to reuse partitioned variable " + name + ", but specified dtype " + dtype
            + " and found dtype " + existing.dtype() + ".");
      }
      if (partitions != null && !Arrays.equals(partitions, existing.partitions())) {
        throw new TfValueError("Trying to reuse partitioned variable " + name + ", but specified partitions "
            + pyList(partitions) + " and found partitions " + pyList(existing.partitions()) + ".");
      }
      return VariableResult.of(existing, false);
    }
    if (reuse == Reuse.REUSE) {
      throw new TfValueError("PartitionedVariable " + name + " does not exist, or was not created with "
          + "tf.get_variable(). Did you mean to set reuse=False or reuse=tf.AUTO_REUSE in VarScope?");
    }
    int sliceDim = 0;
    int numSlices = 1;
    for (int i = 0; i < partitions.length; i++) {
      if (partitions[i] > 1) {
        sliceDim = i;
        numSlices = partitions[i];
        break;
      }
    }
    if (vars.containsKey(name + "/part_0")) {
      if (!vars.containsKey(name + "/part_" + (numSlices - 1))) {
        throw new TfValueError("Partitioner returned a different partitioning than what was already found.  "
            + "Partitioner returned " + numSlices + " shards, and shard " + name + "/part_0 was found, but " + name
            + "/part_" + (numSlices - 1) + " was not.");
      }
      if (vars.containsKey(name + "/part_" + numSlices)) {
        throw new TfValueError("Partitioner returned a different partitioning than what was already found.  "
            + "Partitioner returned " + numSlices + " shards, and shard " + name + "/part_0 was found, but so was "
            + "the extra shard " + name + "/part_" + numSlices + ".");
      }
    }
    long[] full = shape.dims();
    long dimSize = full[sliceDim];
    long withExcess = dimSize % numSlices;
    long minSliceLen = dimSize / numSlices;
    long[] offset = new long[full.length];
    List<Variable> shards = new ArrayList<>();
    boolean allCreated = true;
    // TF rebinds `dtype = init.dtype.base_dtype` when slicing a tensor initializer, so the partitioned variable
    // reports the tensor's dtype, not the requested one.
    DType partitionedType = dtype;
    Ops tf = Ops.create(graph);
    for (int i = 0; i < numSlices; i++) {
      long[] varShape = full.clone();
      varShape[sliceDim] = minSliceLen + (i < withExcess ? 1 : 0);
      PartitionInfo partitionInfo = new PartitionInfo(Shape.of(full), offset);
      String shardName = name + "/part_" + i;
      VariableInitializer shardInit;
      Shape initShape;
      DType shardType = dtype;
      try (NameScope s = graph.nameScope(shardName + "/PartitionedInitializer")) {
        if (initializer == null) {
          shardInit = VariableInitializer.of(defaultInitializer(dtype));
          initShape = Shape.of(varShape);
        } else if (!initializer.isConstant()) {
          shardInit = initializer;
          initShape = Shape.of(varShape);
        } else {
          Operand whole = initializer.value().isPresent() ? initializer.value().get()
              : tf.constant(convert(initializer.hostValue().get(), dtype));
          shardInit = VariableInitializer.fromValue(tf.array.slice(whole, toInts(offset), toInts(varShape)));
          if (initializer.value().isPresent()) {
            shardType = whole.dtype();
            partitionedType = shardType;
          }
          initShape = null;
        }
      }
      VariableResult r;
      try (NameScope root = graph.nameScope("")) {
        r = single(shardName, initShape, shardType, shardInit, partitionInfo, o, reuse);
      }
      allCreated &= r.created();
      shards.add(r.variable());
      // TF: var._set_save_slice_info(SaveSliceInfo(name, shape.as_list(), var_offset, var_shape)), also when the
      // shard was reused.
      saveSliceInfos.put(r.variable().ref(), new SaveSliceInfo(name, full, offset, varShape));
      offset[sliceDim] += varShape[sliceDim];
    }
    PartitionedVariable pv = new PartitionedVariable(graph, name, shape, partitionedType, shards, partitions);
    partitionedVars.put(name, pv);
    return VariableResult.of(pv, allCreated);
  }

  /** TF's {@code _call_partitioner}: runs the partitioner and validates its answer. */
  private static int[] callPartitioner(Partitioner partitioner, Shape shape, DType dtype) {
    if (!shape.isFullyDefined()) {
      throw new TfValueError(
          "Shape of a new partitioned variable must be fully defined, but instead was " + shape + ".");
    }
    if (shape.rank() < 1) {
      throw new TfValueError("A partitioned Variable must have rank at least 1, shape: " + shape);
    }
    int[] slicing = partitioner.partition(shape, dtype);
    if (slicing == null) {
      throw new TfValueError("Partitioner must return a sequence, but saw: None");
    }
    if (slicing.length != shape.rank()) {
      throw new TfValueError("Partitioner returned a partition list that does not match the Variable's rank: "
          + pyList(slicing) + " vs. " + shape);
    }
    int sliced = 0;
    for (int p : slicing) {
      if (p < 1) {
        throw new TfValueError("Partitioner returned zero partitions for some axes: " + pyList(slicing));
      }
      sliced += p > 1 ? 1 : 0;
    }
    if (sliced > 1) {
      throw new TfValueError("Can only slice a variable along one dimension: shape: " + shape + ", partitioning: "
          + pyList(slicing));
    }
    return slicing.clone();
  }

  /** TF's {@code _get_single_variable}; runs at the root name scope. */
  private VariableResult single(String name, Shape shape, DType dtype, VariableInitializer initializer,
      PartitionInfo partitionInfo, GetVariableOptions o, Reuse reuse) {
    boolean initializingFromValue = initializer != null && initializer.isConstant();
    if (shape != null && initializingFromValue) {
      throw new TfValueError("If initializer is a constant, do not specify shape.");
    }
    Shape s = shape == null ? Shape.unknown() : shape;
    Variable found = vars.get(name);
    if (found != null) {
      if (reuse == Reuse.INHERIT) {
        String message = "Variable " + name + " already exists, disallowed. Did you mean to set reuse=True or "
            + "reuse=tf.AUTO_REUSE in VarScope?";
        // TF has no creation traceback for resource variables (no op to take it from) and omits the suffix.
        String site = definedAt.get(name);
        throw new TfValueError(site == null ? message : message + " Originally defined at:\n\n" + site);
      }
      if (!s.isCompatibleWith(found.shape())) {
        throw new TfValueError("Trying to share variable " + name + ", but specified shape " + s
            + " and found shape " + found.shape() + ".");
      }
      if (dtype != found.dtype()) {
        throw new TfValueError("Trying to share variable " + name + ", but specified dtype " + dtype
            + " and found dtype " + found.dtype().refName() + ".");
      }
      return VariableResult.of(found, false);
    }
    if (reuse == Reuse.REUSE) {
      throw new TfValueError("Variable " + name + " does not exist, or was not created with tf.get_variable(). "
          + "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?");
    }
    if (initializer == null) {
      initializer = VariableInitializer.of(defaultInitializer(dtype));
    }
    Variable.Options vo = Variable.options().name(name).trainable(o.trainable().orElse(true))
        .validateShape(o.validateShape());
    if (o.collections().isPresent()) {
      vo = vo.collections(o.collections().get());
    }
    Ops tf = Ops.create(graph);
    Variable v;
    if (initializer.value().isPresent()) {
      v = tf.state.variable(initializer.value().get(), vo);
    } else if (initializer.hostValue().isPresent()) {
      v = tf.state.variable(initializer.hostValue().get(), vo);
    } else {
      if (!s.isFullyDefined()) {
        throw new TfValueError("The initializer passed is not valid. It should be a callable with no arguments and "
            + "the shape should not be provided or an instance of `tf.keras.initializers.*' and `shape` should be "
            + "fully defined.");
      }
      Initializer init = initializer.initializer().get();
      v = tf.state.variable(partitionInfo == null ? init.initialValue(s, dtype)
          : init.initialValue(s, dtype, partitionInfo), vo.dtype(dtype));
    }
    vars.put(name, v);
    if (!o.useResource().orElse(false)) {
      definedAt.put(name, callerFrames());
    }
    Optional<Regularizer> regularizer = o.regularizer();
    if (regularizer.isPresent()) {
      Optional<Output> loss;
      // TF builds the loss under init_scope, in name scope "<name>/Regularizer/".
      try (ControlDependencies none = graph.noControlDependencies();
          NameScope regScope = graph.nameScope(name + "/Regularizer/")) {
        loss = regularizer.get().apply(v);
      }
      loss.ifPresent(l -> graph.addToCollection(GraphKeys.REGULARIZATION_LOSSES, l));
    }
    return VariableResult.of(v, true);
  }

  /**
   * TF's {@code _get_default_initializer}: glorot uniform for floating types, zeros for integers and bool. TF's third
   * branch ({@code An initializer for variable <name> of <dtype> is required}, e.g. complex64) cannot be reached:
   * every ScopeFlow dtype is floating, integer or bool.
   */
  private static Initializer defaultInitializer(DType dtype) {
    switch (dtype) {
      case FLOAT32:
      case FLOAT64:
        return Initializers.glorotUniform();
      case INT32:
      case INT64:
      case BOOL:
        return Initializers.zeros();
      default:
        throw new AssertionError(dtype);
    }
  }

  /** Whether the store holds a variable (not a partitioned one) under {@code name}. */
  synchronized boolean hasVariable(String name) {
    return vars.containsKey(name);
  }

  /** The save-slice info of a shard this store made, or one set by {@link #setSaveSliceInfo}; else empty. */
  synchronized Optional<SaveSliceInfo> saveSliceInfo(Variable variable) {
    return Optional.ofNullable(saveSliceInfos.get(variable.ref()));
  }

  /** TF's {@code var._set_save_slice_info(info)}: replaces what {@code variable} had (arguments checked by caller). */
  synchronized void setSaveSliceInfo(Variable variable, SaveSliceInfo info) {
    saveSliceInfos.put(variable.ref(), info);
  }

  /** Whether the store holds a partitioned variable under {@code name}. */
  synchronized boolean hasPartitionedVariable(String name) {
    return partitionedVars.containsKey(name);
  }

  private static Tensor convert(Tensor value, DType dtype) {
    return value.dtype() == dtype ? value : Tensor.fromDoubles(dtype, value.shape(), value.asDoubles());
  }

  private static int[] toInts(long[] v) {
    return Arrays.stream(v).mapToInt(Math::toIntExact).toArray();
  }

  /** Python's rendering of a list of ints: {@code [2, 1]}. */
  static String pyList(int[] v) {
    return Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * The creation site for TF's "Originally defined at:" suffix: up to five frames outside ScopeFlow, innermost first,
   * each as Python's {@code traceback.format_list} prints a frame without source text.
   */
  private static String callerFrames() {
    return WALKER.walk(frames -> frames.filter(VariableStore::isUserFrame)
        .limit(5)
        .map(f -> "  File \"" + f.getFileName() + "\", line " + f.getLineNumber() + ", in " + f.getMethodName()
            + "\n")
        .collect(Collectors.joining()));
  }

  /** Not ScopeFlow's own code and not the JDK's (which has no code source). */
  private static boolean isUserFrame(StackWalker.StackFrame frame) {
    CodeSource source = codeSource(frame.getDeclaringClass());
    return source != null && !LIBRARY_CODE.contains(source);
  }

  private static CodeSource codeSource(Class<?> c) {
    return c.getProtectionDomain().getCodeSource();
  }
}
