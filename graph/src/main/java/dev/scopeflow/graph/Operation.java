package dev.scopeflow.graph;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node of the graph: a type (which op definition it instantiates), a unique name, data inputs, control inputs,
 * immutable attributes and typed outputs. Created only through {@link Graph#opBuilder}. The graph holds no math: what
 * a type means is defined in the ops module, and how it runs is a runtime's kernel.
 */
public final class Operation implements Named, AttributeReader {
  private final Graph graph;
  private final int id;
  private final String type;
  private final String name;
  // Not final: a loop's gradient adds accumulators to its forward loop op (TF2's while_v2 does the same), see
  // Graph#extendOperation. Each field is replaced whole, never changed in place.
  private volatile ImmutableList<Output> inputs;
  private final ImmutableList<Operation> controlInputs;
  private volatile ImmutableMap<String, Object> attrs;
  private DType[] outputTypes;
  private Shape[] outputShapes;
  private volatile ImmutableList<Output> outputs;
  private final Subgraph subgraph;

  Operation(Graph graph, int id, String type, String name, List<Output> inputs, List<Operation> controlInputs,
      Map<String, Object> attrs, List<DType> outputTypes, List<Shape> outputShapes, Subgraph subgraph) {
    this.graph = graph;
    this.subgraph = subgraph;
    this.id = id;
    this.type = type;
    this.name = name;
    this.inputs = ImmutableList.copyOf(inputs);
    this.controlInputs = ImmutableList.copyOf(controlInputs);
    this.attrs = ImmutableMap.copyOf(attrs);
    this.outputTypes = outputTypes.toArray(new DType[0]);
    this.outputShapes = outputShapes.toArray(new Shape[0]);
    ImmutableList.Builder<Output> outs = ImmutableList.builder();
    for (int i = 0; i < this.outputTypes.length; i++) {
      outs.add(new Output(this, i));
    }
    this.outputs = outs.build();
  }

  public Graph graph() {
    return graph;
  }

  /** Position in the graph's creation order (0-based), stable for the graph's life. */
  public int id() {
    return id;
  }

  /**
   * The function body (a loop's cond or body) this op was created in; empty for an ordinary graph op. A body op runs
   * only when the op owning the body runs it, and only body ops (or ops of bodies nested in it) read its tensors.
   */
  public Optional<Subgraph> subgraph() {
    return Optional.ofNullable(subgraph);
  }

  public String type() {
    return type;
  }

  @Override
  public String name() {
    return name;
  }

  public List<Output> inputs() {
    return inputs;
  }

  public Output input(int i) {
    return inputs.get(i);
  }

  public int numInputs() {
    return inputs.size();
  }

  public List<Operation> controlInputs() {
    return controlInputs;
  }

  public List<Output> outputs() {
    return outputs;
  }

  public Output output(int i) {
    if (i < 0 || i >= outputs.size()) {
      // The message is built only on failure: runtimes call this for every output of every step.
      Preconditions.checkElementIndex(i, outputs.size(), "output index of op '" + name + "' (" + type + ")");
    }
    return outputs.get(i);
  }

  public int numOutputs() {
    return outputs.size();
  }

  synchronized DType outputDType(int i) {
    return outputTypes[i];
  }

  /** Replaces inputs and attributes and appends outputs; existing outputs keep their index, dtype and shape. */
  synchronized void extend(List<Output> newInputs, Map<String, Object> newAttrs, List<DType> addedTypes,
      List<Shape> addedShapes) {
    int n = outputTypes.length;
    DType[] types = java.util.Arrays.copyOf(outputTypes, n + addedTypes.size());
    Shape[] shapes = java.util.Arrays.copyOf(outputShapes, n + addedTypes.size());
    ImmutableList.Builder<Output> outs = ImmutableList.<Output>builder().addAll(outputs);
    for (int i = 0; i < addedTypes.size(); i++) {
      types[n + i] = addedTypes.get(i);
      shapes[n + i] = addedShapes.get(i);
      outs.add(new Output(this, n + i));
    }
    this.outputTypes = types;
    this.outputShapes = shapes;
    this.inputs = ImmutableList.copyOf(newInputs);
    this.attrs = ImmutableMap.copyOf(newAttrs);
    this.outputs = outs.build();
  }

  synchronized Shape outputShape(int i) {
    return outputShapes[i];
  }

  synchronized void refineOutputShape(int i, Shape shape) {
    Shape old = outputShapes[i];
    if (!old.isCompatibleWith(shape)) {
      throw new TfValueError("Shapes " + old + " and " + shape + " are incompatible (setting the shape of "
          + name + ":" + i + ")");
    }
    outputShapes[i] = old.mergeWith(shape);
  }

  // ---------------------------------------------------------------- attributes

  public Map<String, Object> attrs() {
    return attrs;
  }

  public boolean hasAttr(String key) {
    return attrs.containsKey(key);
  }

  public Optional<Object> attr(String key) {
    return Optional.ofNullable(attrs.get(key));
  }

  @Override
  public Object requiredAttr(String key) {
    Object v = attrs.get(key);
    if (v == null) {
      throw new IllegalArgumentException("Op '" + name + "' (" + type + ") has no attribute '" + key + "'; it has "
          + attrs.keySet());
    }
    return v;
  }

  @Override
  public String toString() {
    return "<Operation '" + name + "' type=" + type + ">";
  }
}
