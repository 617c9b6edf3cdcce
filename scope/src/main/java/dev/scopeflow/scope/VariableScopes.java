package dev.scopeflow.scope;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.GraphKeys;
import dev.scopeflow.graph.NameScope;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.TfTypeError;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.ops.init.Initializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * TF1's {@code variable_scope} and {@code get_variable} for one graph: the entry point of this module.
 *
 * <pre>{@code
 * VariableScopes vs = VariableScopes.of(graph);
 * try (var s = vs.variableScope("rnn", Reuse.AUTO_REUSE)) {
 *   Variable w = vs.getVariable("w", Shape.of(7, 16));   // rnn/w:0, glorot-uniform initialized
 * }
 * }</pre>
 *
 * <p>The variable store is per graph; the current scope and the default-name counters are per thread (a new thread
 * starts at the root scope), as in TF. Names, reuse rules and error messages are TF 1.15's.
 */
public final class VariableScopes {
  private final ScopeState state;

  private VariableScopes(ScopeState state) {
    this.state = state;
  }

  /** The variable scopes of {@code graph} (cheap; all instances for one graph share its state). */
  public static VariableScopes of(Graph graph) {
    return new VariableScopes(ScopeState.of(Preconditions.checkNotNull(graph, "graph")));
  }

  /** The graph. */
  public Graph graph() {
    return state.graph;
  }

  /** TF's {@code get_variable_scope()}: this thread's current scope (the root scope, name {@code ""}, at first). */
  public VariableScope getVariableScope() {
    return state.current().currentScope;
  }

  // ---------------------------------------------------------------- entering scopes

  /** {@code variable_scope(name)}. */
  public VariableScopeHandle variableScope(String name) {
    return variableScope(VariableScopeArgs.named(name));
  }

  /** {@code variable_scope(name, reuse=...)}. */
  public VariableScopeHandle variableScope(String name, Reuse reuse) {
    return variableScope(VariableScopeArgs.named(name).reuse(reuse));
  }

  /** {@code variable_scope(name, reuse=True/False)}; false inherits, as in TF. */
  public VariableScopeHandle variableScope(String name, boolean reuse) {
    return variableScope(VariableScopeArgs.named(name).reuse(reuse));
  }

  /** {@code variable_scope(captured_scope)}: re-enters it under its absolute name. */
  public VariableScopeHandle variableScope(VariableScope scope) {
    return variableScope(VariableScopeArgs.of(scope));
  }

  /** {@code variable_scope(captured_scope, reuse=...)}; the enclosing scope's reuse is ignored. */
  public VariableScopeHandle variableScope(VariableScope scope, Reuse reuse) {
    return variableScope(VariableScopeArgs.of(scope).reuse(reuse));
  }

  /**
   * {@code variable_scope(name_or_scope, default_name)}: {@code nameOrNull} if given, else {@code defaultName} made
   * unique among this scope's sub-scopes ({@code dense}, {@code dense_1}, ...).
   *
   * @throws TfTypeError {@code If default_name is None then name_or_scope is required} if both are null
   */
  public VariableScopeHandle variableScope(String nameOrNull, String defaultName) {
    return variableScope(VariableScopeArgs.of(nameOrNull, defaultName));
  }

  /**
   * {@code variable_scope(...)} with every argument. Opens a name scope alongside unless {@code
   * auxiliaryNameScope(false)}: the scope's name (uniquified, so a second {@code "foo"} block puts its ops under
   * {@code foo_1/} while its variables stay under {@code foo/}), the last name component of a captured scope, or the
   * default name.
   *
   * @throws TfTypeError {@code If default_name is None then name_or_scope is required}
   * @throws TfValueError {@code reuse=True cannot be used without a name_or_scope}; {@code '<name>' is not a valid
   *     scope name}
   * @throws IllegalArgumentException if the captured scope or a value belongs to another graph
   */
  public VariableScopeHandle variableScope(VariableScopeArgs args) {
    Preconditions.checkNotNull(args, "args");
    Graph graph = state.graph;
    boolean byName = args.name().isPresent();
    boolean captured = args.scope().isPresent();
    if (!byName && !captured && args.defaultName().isEmpty()) {
      throw new TfTypeError("If default_name is None then name_or_scope is required");
    }
    if (captured && args.scope().get().graph() != graph) {
      // TF's VariableScope objects carry no graph, so TF would silently open the scope in the current default graph.
      // Here a scope belongs to the graph whose store it names, so mixing graphs is refused.
      throw new IllegalArgumentException("Cannot enter " + args.scope().get() + " of graph " + args.scope().get()
          .graph() + " in graph " + graph + ": a VariableScope belongs to the graph it was created in");
    }
    for (Operand v : args.values()) {
      Preconditions.checkArgument(v.graph() == graph, "%s must be from the same graph as %s", v, graph);
    }
    if (!byName && !captured && args.reuseValue().isTruthy()) {
      throw new TfValueError("reuse=True cannot be used without a name_or_scope");
    }
    ScopeState.PerThread thread = state.current();
    NameScope nameScope = null;
    try {
      if (!args.auxiliaryNameScopeValue()) {
        // TF's "re-enter hack": the current name scope, re-entered as it is.
        String current = graph.getNameScope();
        nameScope = graph.nameScope(current.isEmpty() ? "" : current + "/");
      }
      if (byName || captured) {
        String nameScopeName = byName ? args.name().get() : lastComponent(args.scope().get().name());
        String oldNameScope = null;
        if (!nameScopeName.isEmpty() || nameScope != null) {
          if (nameScope == null) {
            nameScope = graph.nameScope(nameScopeName);
          }
          oldNameScope = byName ? nameScope.name() : args.scope().get().originalNameScope();
        }
        return enterPure(thread, args, byName ? args.name().get() : null, oldNameScope, nameScope, args.reuseValue());
      }
      if (nameScope == null) {
        nameScope = graph.nameScope(args.defaultName().get());
      }
      String unique = uniqueVariableScope(thread, args.defaultName().get());
      return enterPure(thread, args, unique, nameScope.name(), nameScope, Reuse.INHERIT);
    } catch (RuntimeException e) {
      if (nameScope != null) {
        nameScope.close();
      }
      throw e;
    }
  }

  /** TF's {@code _pure_variable_scope.__enter__}: makes the new scope object and makes it current. */
  private VariableScopeHandle enterPure(ScopeState.PerThread thread, VariableScopeArgs args, String name,
      String oldNameScope, NameScope nameScope, Reuse reuse) {
    VariableScope old = thread.currentScope;
    VariableScope entered;
    if (name == null) {
      VariableScope vs = args.scope().get();
      entered = new VariableScope(state.graph, reuse.isTruthy() ? reuse : vs.reuse(), vs.name(),
          vs.initializer().orElse(null), vs.regularizer().orElse(null), vs.cachingDevice().orElse(null),
          vs.partitioner().orElse(null), vs.customGetter().orElse(null), vs.originalNameScope(), vs.dtype(),
          vs.useResource().orElse(null), args.constraintValue());
      applyOverrides(entered, args, vs.customGetter().orElse(null));
      thread.openVariableScope(vs.name());
      HashMap<String, Integer> snapshot = new HashMap<>(thread.counts);
      thread.currentScope = entered;
      return new VariableScopeHandle(thread, entered, old, nameScope, true, snapshot);
    }
    String newName = old.name().isEmpty() ? name : old.name() + "/" + name;
    entered = new VariableScope(state.graph, reuse.isTruthy() ? reuse : old.reuse(), newName,
        old.initializer().orElse(null), old.regularizer().orElse(null), old.cachingDevice().orElse(null),
        old.partitioner().orElse(null), old.customGetter().orElse(null), oldNameScope != null ? oldNameScope : name,
        old.dtype(), old.useResource().orElse(null), args.constraintValue());
    applyOverrides(entered, args, old.customGetter().orElse(null));
    thread.openVariableScope(newName);
    thread.currentScope = entered;
    return new VariableScopeHandle(thread, entered, old, nameScope, false, null);
  }

  private static void applyOverrides(VariableScope scope, VariableScopeArgs args, CustomGetter outerGetter) {
    if (args.initializerValue() != null) {
      scope.setInitializer(args.initializerValue());
    }
    if (args.regularizerValue() != null) {
      scope.setRegularizer(args.regularizerValue());
    }
    if (args.cachingDeviceValue() != null) {
      scope.setCachingDevice(args.cachingDeviceValue());
    }
    if (args.partitionerValue() != null) {
      scope.setPartitioner(args.partitionerValue());
    }
    if (args.customGetterValue() != null) {
      scope.setCustomGetter(chain(args.customGetterValue(), outerGetter));
    }
    if (args.dtypeValue() != null) {
      scope.setDtype(args.dtypeValue());
    }
    if (args.useResourceValue() != null) {
      scope.setUseResource(args.useResourceValue());
    }
  }

  /** TF's {@code _maybe_wrap_custom_getter}: the new getter runs first; its next getter is the outer one. */
  private static CustomGetter chain(CustomGetter inner, CustomGetter outer) {
    if (outer == null) {
      return inner;
    }
    return (getter, name, options) -> inner.get((n, o) -> outer.get(getter, n, o), name, options);
  }

  /** TF's {@code _get_unique_variable_scope(prefix)}: the first of prefix, prefix_1, ... never entered here. */
  private static String uniqueVariableScope(ScopeState.PerThread thread, String prefix) {
    String current = thread.currentScope.name();
    String name = current.isEmpty() ? prefix : current + "/" + prefix;
    if (thread.variableScopeCount(name) == 0) {
      return prefix;
    }
    int idx = 1;
    while (thread.variableScopeCount(name + "_" + idx) > 0) {
      idx++;
    }
    return prefix + "_" + idx;
  }

  private static String lastComponent(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  // ---------------------------------------------------------------- get_variable

  /** {@code get_variable(name, shape)} in the current scope; float32 unless the scope says otherwise. */
  public Variable getVariable(String name, Shape shape) {
    return getVariable(name, GetVariableOptions.shape(shape));
  }

  /** {@code get_variable(name, shape, dtype)}. */
  public Variable getVariable(String name, Shape shape, DType dtype) {
    return getVariable(name, GetVariableOptions.shape(shape).dtype(dtype));
  }

  /** {@code get_variable(name, shape, initializer=...)}. */
  public Variable getVariable(String name, Shape shape, Initializer initializer) {
    return getVariable(name, GetVariableOptions.shape(shape).initializer(initializer));
  }

  /** {@code get_variable(name, shape, dtype, initializer)}. */
  public Variable getVariable(String name, Shape shape, DType dtype, Initializer initializer) {
    return getVariable(name, GetVariableOptions.shape(shape).dtype(dtype).initializer(initializer));
  }

  /**
   * {@code get_variable(name, ...)} for a single variable.
   *
   * @throws IllegalStateException if a partitioner made a {@link PartitionedVariable} or a custom getter returned
   *     something else (use {@link #getVariableResult})
   * @throws TfValueError TF's messages: {@code Variable <name> already exists, disallowed. ...}, {@code Variable <name>
   *     does not exist, or was not created with tf.get_variable(). ...}, {@code Trying to share variable ...}, ...
   */
  public Variable getVariable(String name, GetVariableOptions options) {
    return getVariableResult(name, options).variable();
  }

  /**
   * TF's {@code VariableScope._get_partitioned_variable} (behind {@code create_partitioned_variables}): like {@link
   * #getVariableResult}, but a partitioner (the call's or the scope's) is required and the variable must have rank at
   * least 1; both are checked before anything is created.
   *
   * @throws TfValueError {@code No partitioner was specified}; {@code A partitioned Variable must have rank at least 1,
   *     shape: ()}; {@code Private access to _get_partitioned_variable is not allowed when a custom getter is set. ...}
   */
  public PartitionedVariable getPartitionedVariable(String name, GetVariableOptions options) {
    VariableScope scope = getVariableScope();
    if (scope.customGetter().isPresent()) {
      throw new TfValueError("Private access to _get_partitioned_variable is not allowed when a custom getter is set.  "
          + "Current custom getter: " + scope.customGetter().get() + ".  It is likely that you're using "
          + "create_partitioned_variables.  If so, consider instead using get_variable with a non-empty partitioner "
          + "parameter instead.");
    }
    if (options.partitioner().or(scope::partitioner).isEmpty()) {
      throw new TfValueError("No partitioner was specified");
    }
    Optional<Shape> shape = options.shape();
    if (shape.isPresent() && shape.get().hasRank() && shape.get().rank() == 0) {
      throw new TfValueError("A partitioned Variable must have rank at least 1, shape: " + shape.get());
    }
    return getVariableResult(name, options).partitioned();
  }

  /**
   * {@code get_variable(name, ...)} in general: the variable, partitioned variable or custom getter's value, and
   * whether it was created by this call. Full name: the current variable scope's name + "/" + {@code name},
   * whatever the current name scope; initializer ops go under {@code <full name>/Initializer/}.
   */
  public VariableResult getVariableResult(String name, GetVariableOptions options) {
    Preconditions.checkNotNull(name, "name");
    Preconditions.checkNotNull(options, "options");
    return getVariableScope().getVariable(state.store, name, options);
  }

  /** {@code get_local_variable(name, shape)}: not trainable, in LOCAL_VARIABLES only. */
  public Variable getLocalVariable(String name, Shape shape) {
    return getLocalVariable(name, GetVariableOptions.shape(shape));
  }

  /**
   * {@code get_local_variable(name, ...)}: {@code getVariable} with {@code trainable=false} and LOCAL_VARIABLES added
   * to the given collections (or as the only collection: not GLOBAL_VARIABLES).
   */
  public Variable getLocalVariable(String name, GetVariableOptions options) {
    return getLocalVariableResult(name, options).variable();
  }

  /** {@link #getLocalVariable(String, GetVariableOptions)} in general (partitioned, created flag). */
  public VariableResult getLocalVariableResult(String name, GetVariableOptions options) {
    List<String> collections = new ArrayList<>(options.collections().orElse(List.of()));
    collections.add(GraphKeys.LOCAL_VARIABLES);
    return getVariableResult(name, options.collections(collections).trainable(false));
  }

  /**
   * TF's {@code variable._save_slice_info}: for a shard of a partitioned variable made by {@code getVariable} with a
   * partitioner ({@code <name>/part_<i>}), its place in the full variable {@code <name>}; empty for any other variable
   * (TF's {@code None}). The Saver groups the shards it finds in its variable list by {@link SaveSliceInfo#fullName()}
   * into one sliced checkpoint tensor, as TF's does.
   */
  public Optional<SaveSliceInfo> saveSliceInfo(Variable variable) {
    Preconditions.checkNotNull(variable, "variable");
    return state.store.saveSliceInfo(variable);
  }

  /**
   * TF's {@code variable._set_save_slice_info(info)}: from now on {@code variable} is the slice {@code info} names of
   * the checkpoint tensor {@link SaveSliceInfo#fullName()}, for {@link #saveSliceInfo} and so for the Saver; replaces
   * any info the variable had. The optimizers' slot creator sets it on the slots of shards ({@code x/part_0/Adam} is
   * a slice of {@code x/Adam}), as TF's {@code slot_creator} does.
   *
   * @throws IllegalArgumentException if {@code variable} is not of this graph, or {@code info}'s slice shape does not
   *     fit the variable's static shape (equal where that is fully defined, compatible where it is partly known; TF
   *     does not check, and its {@code SaveV2} fails at run time instead)
   */
  public void setSaveSliceInfo(Variable variable, SaveSliceInfo info) {
    Preconditions.checkNotNull(variable, "variable");
    Preconditions.checkNotNull(info, "info");
    Preconditions.checkArgument(variable.graph() == state.graph, "%s is not a variable of this graph", variable);
    Shape sliceShape = Shape.of(info.varShape());
    Preconditions.checkArgument(sliceShape.isCompatibleWith(variable.shape()),
        "The slice shape %s of %s does not match the shape %s of %s", sliceShape, info, variable.shape(), variable);
    state.store.setSaveSliceInfo(variable, info);
  }

  // ---------------------------------------------------------------- collections

  /** {@code tf.compat.v1.global_variables(scope)}: GLOBAL_VARIABLES whose names match {@code scope} (null: all). */
  public List<Variable> globalVariables(String scope) {
    return state.graph.getCollection(GraphKeys.GLOBAL_VARIABLES, scope, Variable.class);
  }

  /** {@code tf.compat.v1.trainable_variables(scope)}. */
  public List<Variable> trainableVariables(String scope) {
    return state.graph.getCollection(GraphKeys.TRAINABLE_VARIABLES, scope, Variable.class);
  }

  /** {@code tf.compat.v1.local_variables(scope)}. */
  public List<Variable> localVariables(String scope) {
    return state.graph.getCollection(GraphKeys.LOCAL_VARIABLES, scope, Variable.class);
  }

  /** {@code tf.compat.v1.model_variables(scope)} (filled only by variables created with that collection). */
  public List<Variable> modelVariables(String scope) {
    return state.graph.getCollection(GraphKeys.MODEL_VARIABLES, scope, Variable.class);
  }

  /** REGULARIZATION_LOSSES, in creation order ({@code tf.compat.v1.losses.get_regularization_losses()}). */
  public List<Object> regularizationLosses() {
    return state.graph.getCollection(GraphKeys.REGULARIZATION_LOSSES);
  }
}
