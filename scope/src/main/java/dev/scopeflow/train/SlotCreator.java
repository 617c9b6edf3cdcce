package dev.scopeflow.train;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.ops.init.Initializer;
import dev.scopeflow.ops.init.Initializers;
import dev.scopeflow.scope.GetVariableOptions;
import dev.scopeflow.scope.Partitioner;
import dev.scopeflow.scope.SaveSliceInfo;
import dev.scopeflow.scope.VariableInitializer;
import dev.scopeflow.scope.VariableScope;
import dev.scopeflow.scope.VariableScopeHandle;
import dev.scopeflow.scope.VariableScopes;
import java.util.Arrays;
import java.util.Optional;

/**
 * TF 1.15's {@code python/training/slot_creator.py}: a slot is a {@code get_variable} of name {@code ""} inside a
 * default-named variable scope {@code <primary op name>/<name>} opened in the current variable scope, so the first
 * slot of {@code rnn/basic_lstm_cell/kernel} for Adam is the variable {@code rnn/basic_lstm_cell/kernel/Adam} (store
 * key {@code .../Adam/}), the second {@code .../Adam_1}; inside {@code variable_scope("train")} they get the prefix
 * {@code train/}. Slots are not trainable and never partitioned; a slot of a shard of a partitioned variable gets
 * save-slice info that makes it a slice of the primary's full name plus the slot's name ({@code x/part_0/Adam} a
 * slice of {@code x/Adam}), so the Saver saves slots as TF does.
 */
final class SlotCreator {
  private SlotCreator() {}

  /** TF's {@code create_zeros_slot(primary, name)}: zeros of the primary's shape and dtype. */
  static Variable createZerosSlot(Variable primary, String name) {
    Shape shape = primary.shape();
    if (shape.isFullyDefined()) {
      return createSlotWithInitializer(primary, Initializers.zeros(), shape, primary.dtype(), name);
    }
    // TF: zeros(shape(primary.initialized_value())), whose static shape is unknown; the initial value has the shape
    // the variable starts with. As in TF the slot's shape is then not validated (unknown statically).
    Ops tf = Ops.create(primary.graph());
    Output val = tf.array.zeros(tf.array.shape(primary.initialValue()), primary.dtype());
    return createSlot(primary, val, name, false);
  }

  /** TF's {@code create_slot_with_initializer}: validates the shape when it is fully defined. */
  static Variable createSlotWithInitializer(Variable primary, Initializer initializer, Shape shape, DType dtype,
      String name) {
    VariableScopes vs = VariableScopes.of(primary.graph());
    try (VariableScopeHandle h = vs.variableScope(null, primary.op().name() + "/" + name)) {
      GetVariableOptions options = GetVariableOptions.defaults().initializer(initializer).withShape(shape)
          .dtype(dtype).validateShape(shape.isFullyDefined());
      return createSlotVar(vs, primary, options);
    }
  }

  /** TF's {@code create_slot(primary, val, name)}: the slot starts as {@code val}. */
  static Variable createSlot(Variable primary, Operand val, String name) {
    return createSlot(primary, val, name, val.shape().isFullyDefined());
  }

  private static Variable createSlot(Variable primary, Operand val, String name, boolean validateShape) {
    VariableScopes vs = VariableScopes.of(primary.graph());
    try (VariableScopeHandle h = vs.variableScope(null, primary.op().name() + "/" + name)) {
      GetVariableOptions options = GetVariableOptions.defaults().initializer(VariableInitializer.fromValue(val))
          .validateShape(validateShape);
      return createSlotVar(vs, primary, options);
    }
  }

  /**
   * TF's {@code _create_slot_var}: {@code get_variable("")}, not trainable, with the scope's partitioner off; a slot
   * of a primary with save-slice info gets its own.
   */
  private static Variable createSlotVar(VariableScopes vs, Variable primary, GetVariableOptions options) {
    VariableScope scope = vs.getVariableScope();
    Partitioner partitioner = scope.partitioner().orElse(null);
    scope.setPartitioner(null);
    Variable slot;
    try {
      slot = vs.getVariable("", options.trainable(false).useResource(false));
    } finally {
      scope.setPartitioner(partitioner);
    }
    Optional<SaveSliceInfo> primaryInfo = vs.saveSliceInfo(primary);
    if (primaryInfo.isPresent()) {
      slotSaveSliceInfo(primary, slot, primaryInfo.get()).ifPresent(info -> vs.setSaveSliceInfo(slot, info));
    }
    return slot;
  }

  /**
   * The save-slice info TF's {@code _create_slot_var} gives a slot of a primary with info {@code primaryInfo}: full
   * name {@code <primary full name>/<slot name>}, and the primary's full shape, offset and slice shape cut to the
   * slot's rank {@code n} (all of them when the rank is unknown); none for a scalar slot.
   */
  private static Optional<SaveSliceInfo> slotSaveSliceInfo(Variable primary, Variable slot, SaveSliceInfo primaryInfo) {
    // TF: real_slot_name = slot.name[len(primary.op.name + "/"):-2], i.e. the slot's name after "<primary op name>/"
    // without ":0" ("Adam" for x/part_0/Adam:0). TF cuts by length without checking the prefix, so when the slots of
    // x/part_0 are made inside variable scope "train" (slot train/x/part_0/Adam:0) the name is "art_0/Adam"; kept,
    // so that the checkpoint keys are TF's.
    String slotName = slot.name();
    int from = Math.min(primary.op().name().length() + 1, slotName.length());
    int to = Math.max(from, slotName.length() - 2);
    String realSlotName = slotName.substring(from, to);
    Shape slotShape = slot.shape();
    int n = slotShape.hasRank() ? slotShape.rank() : primaryInfo.fullShape().length;
    if (n == 0) {
      return Optional.empty();
    }
    // Python's [:n] takes at most the whole list.
    int keep = Math.min(n, primaryInfo.fullShape().length);
    return Optional.of(new SaveSliceInfo(primaryInfo.fullName() + "/" + realSlotName,
        Arrays.copyOf(primaryInfo.fullShape(), keep), Arrays.copyOf(primaryInfo.varOffset(), keep),
        Arrays.copyOf(primaryInfo.varShape(), keep)));
  }
}
