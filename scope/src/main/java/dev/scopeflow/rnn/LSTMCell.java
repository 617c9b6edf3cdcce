package dev.scopeflow.rnn;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operand;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.TfValueError;
import dev.scopeflow.graph.DType;
import dev.scopeflow.ops.LstmBlockGates;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.init.Initializer;
import dev.scopeflow.ops.init.Initializers;
import dev.scopeflow.scope.Partitioners;
import dev.scopeflow.ops.init.KerasInitializers;
import dev.scopeflow.scope.layers.WeightOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * TF's {@code tf.compat.v1.nn.rnn_cell.LSTMCell(num_units, use_peepholes=False, cell_clip=None, initializer=None,
 * num_proj=None, proj_clip=None, num_unit_shards=None, num_proj_shards=None, forget_bias=1.0, state_is_tuple=True,
 * activation=None, reuse=None, name=None, dtype=None)} (keras 2.9 {@code legacy_cells.LSTMCell}): an LSTM with
 * optional peepholes, cell clipping and a projection of the output.
 *
 * <p>Weights, in creation order (H = {@code num_proj} if set, else N): {@code kernel} {@code [depth + H, 4N]}
 * (partitioned into {@code kernel/part_<i>} with {@code num_unit_shards}), {@code bias} {@code [4N]} (zeros), with
 * peepholes {@code w_f_diag}, {@code w_i_diag}, {@code w_o_diag} {@code [N]}, with a projection {@code
 * projection/kernel} {@code [N, P]} (partitioned with {@code num_proj_shards}). All but the bias use {@code
 * initializer} (else the scope's, else glorot uniform). One step:
 *
 * <pre>
 * i, j, f, o = split(concat([x, m_prev], 1) @ kernel + bias, 4, axis=1)
 * c = sigmoid(f + forget_bias [+ w_f_diag * c_prev]) * c_prev + sigmoid(i [+ w_i_diag * c_prev]) * act(j)
 * c = clip(c, -cell_clip, cell_clip)                     if cell_clip is set
 * m = sigmoid(o [+ w_o_diag * c]) * act(c)                 (the new, clipped c)
 * m = clip(m @ projection_kernel, -proj_clip, proj_clip)   if num_proj is set (clip if proj_clip is set)
 * return m, LSTMStateTuple(c, m)   (or concat([c, m], 1))
 * </pre>
 *
 * <p>With the default tanh activation the gate math up to the unprojected {@code m} (peepholes and {@code cell_clip}
 * included) is one fused {@code LSTMBlockGates} op ({@link LSTMCellBase}); the projection and {@code proj_clip}
 * follow as ops. Another activation, or a {@code cell_clip} of 0 or less (which the op does not apply but TF's
 * LSTMCell does), builds the ops above as TF does.
 *
 * <pre>{@code
 * LSTMCell cell = LSTMCell.builder(graph, 128).usePeepholes(true).numProj(64).initializer("orthogonal").build();
 * }</pre>
 */
public class LSTMCell extends LSTMCellBase {
  private final boolean usePeepholes;
  private final Double cellClip;
  private final Initializer initializer;
  private final Integer numProj;
  private final Double projClip;
  private final Integer numUnitShards;
  private final Integer numProjShards;
  private final Object stateSize;
  private final int outputSize;
  private Operand wFDiag;
  private Operand wIDiag;
  private Operand wODiag;
  private Operand projectionKernel;

  /** {@code LSTMCell(num_units)} with TF's defaults. */
  public LSTMCell(Graph graph, int numUnits) {
    this(graph, builder(numUnits));
  }

  /**
   * The cell {@code builder} describes, in {@code graph}.
   *
   * @throws TfValueError {@code RNN cell only supports floating point inputs, but received dtype: <dtype: 'int32'>};
   *     Keras' {@code Unknown initializer: <name>. ...} / {@code Could not interpret initializer identifier: <x>};
   *     Keras' {@code Unknown activation function: <name>. ...}
   */
  public LSTMCell(Graph graph, Builder builder) {
    super(graph, builder, "LSTMCell");
    if (builder.numUnitShards != null || builder.numProjShards != null) {
      CellWarnings.warn(LSTMCell.class, this + ": The num_unit_shards and proj_unit_shards parameters are "
          + "deprecated and will be removed in Jan 2017.  Use a variable scope with a partitioner instead.");
    }
    this.usePeepholes = builder.usePeepholes;
    this.cellClip = builder.cellClip;
    this.initializer = builder.initializer == null ? null : KerasInitializers.get(builder.initializer);
    this.numProj = builder.numProj;
    this.projClip = builder.projClip;
    this.numUnitShards = builder.numUnitShards;
    this.numProjShards = builder.numProjShards;
    if (numProj != null) {
      this.stateSize = stateIsTuple ? LSTMStateTuple.of(numUnits, numProj) : numUnits + numProj;
      this.outputSize = numProj;
    } else {
      this.stateSize = stateIsTuple ? LSTMStateTuple.of(numUnits, numUnits) : 2 * numUnits;
      this.outputSize = numUnits;
    }
  }

  /** A builder for {@code LSTMCell(num_units, ...)} in {@code graph}; finish with {@link Builder#build()}. */
  public static Builder builder(Graph graph, int numUnits) {
    return new Builder(Preconditions.checkNotNull(graph, "graph"), numUnits);
  }

  /** A builder for {@code LSTMCell(num_units, ...)}; finish with {@link Builder#build(Graph)}. */
  public static Builder builder(int numUnits) {
    return new Builder(null, numUnits);
  }

  /** {@code LSTMStateTuple(N, P or N)}, or {@code N + (P or N)} for a concatenated state. */
  @Override
  public Object stateSize() {
    return stateSize;
  }

  /** {@code num_proj} if set, else {@code N}. */
  @Override
  public Object outputSize() {
    return outputSize;
  }

  /**
   * TF's {@code build(inputs_shape)}: {@code kernel}, {@code bias}, the peepholes and the projection, in that order.
   *
   * @throws TfValueError {@code as_list() is not defined on an unknown TensorShape.}; {@code Expected
   *     inputs.shape[-1] to be known, received shape: (2, None)} (keras 2.9, with the shape substituted); the dtype
   *     text of {@link RNNCell#checkSupportedDtype}
   */
  @Override
  public void build(Shape inputShape) {
    int depth = CellOps.knownDepth(requireKnownRank(inputShape));
    checkSupportedDtype(dtype().orElse(null));
    int hDepth = numProj != null ? numProj : numUnits;
    WeightOptions kernelOptions = withInitializer(WeightOptions.shape(Shape.of(depth + hDepth, 4L * numUnits)));
    if (numUnitShards != null) {
      kernelOptions = kernelOptions.partitioner(Partitioners.fixedSizePartitioner(numUnitShards));
    }
    kernel = addWeight("kernel", kernelOptions);
    bias = addWeight("bias", WeightOptions.shape(Shape.of(4L * numUnits)).initializer(Initializers.zeros()));
    if (usePeepholes) {
      wFDiag = addWeight("w_f_diag", withInitializer(WeightOptions.shape(Shape.of(numUnits))));
      wIDiag = addWeight("w_i_diag", withInitializer(WeightOptions.shape(Shape.of(numUnits))));
      wODiag = addWeight("w_o_diag", withInitializer(WeightOptions.shape(Shape.of(numUnits))));
    }
    if (numProj != null) {
      WeightOptions projOptions = withInitializer(WeightOptions.shape(Shape.of(numUnits, numProj)));
      if (numProjShards != null) {
        projOptions = projOptions.partitioner(Partitioners.fixedSizePartitioner(numProjShards));
      }
      projectionKernel = addWeight("projection/kernel", projOptions);
    }
    setBuilt(true);
  }

  /** The fused op clips only for {@code cell_clip > 0}; TF's LSTMCell also clips to 0 (and below): composed then. */
  @Override
  boolean usesFusedOp(DType dtype) {
    return super.usesFusedOp(dtype) && (cellClip == null || cellClip > 0);
  }

  private WeightOptions withInitializer(WeightOptions options) {
    return initializer == null ? options : options.initializer(initializer);
  }

  /**
   * One LSTM step (TF's {@code LSTMCell.call}).
   *
   * @throws TfValueError {@code Could not infer input size from inputs.get_shape()[-1].Received input shape: <s>}
   *     (keras 2.9's text, without a space) for an input of unknown depth after the cell was built; {@code Shape <s>
   *     must have rank 2} for another rank
   */
  @Override
  protected CellOutput call(Object inputs, Object state) {
    checkInputDtypes(Arrays.asList(inputs, state));
    Operand x = CellOps.singleInput(inputs);
    Ops tf = Ops.create(graph());
    int hDepth = numProj != null ? numProj : numUnits;
    Operand cPrev;
    Operand mPrev;
    if (stateIsTuple) {
      LSTMStateTuple<Object> pair = LSTMStateTuple.fromPair(state);
      cPrev = (Operand) pair.c();
      mPrev = (Operand) pair.h();
    } else {
      Operand s = CellOps.concatenatedState(state, numUnits + hDepth);
      cPrev = tf.array.slice(s, new int[] {0, 0}, new int[] {-1, numUnits});
      mPrev = tf.array.slice(s, new int[] {0, numUnits}, new int[] {-1, hDepth});
    }
    Shape xShape = x.shape();
    if (xShape.hasRank() && xShape.rank() != 2) {
      throw new TfValueError("Shape " + xShape + " must have rank 2");
    }
    if (!xShape.hasRank() || xShape.size(1) == Shape.UNKNOWN_DIM) {
      throw new TfValueError("Could not infer input size from inputs.get_shape()[-1].Received input shape: "
          + xShape);
    }
    Output c;
    Output m;
    if (usesFusedOp(x.dtype())) {
      List<Operand> peepholes = usePeepholes ? List.of(wIDiag, wFDiag, wODiag) : null;
      LstmBlockGates gates = fusedGates(tf, gatePreActivations(tf, x, mPrev, hDepth), cPrev, peepholes,
          cellClip == null ? -1 : cellClip);
      c = gates.cs();
      m = gates.h();
    } else {
      List<Output> gates = composedGates(tf, x, mPrev);
      Output i = gates.get(0);
      Output j = gates.get(1);
      Output f = gates.get(2);
      Output o = gates.get(3);
      // Python's + and * (ops add/mul), evaluated in Python's order so the op names follow TF's.
      if (usePeepholes) {
        Output forgetPre = CellOps.add(CellOps.add(f, forgetBias), CellOps.mul(wFDiag, cPrev));
        Output kept = CellOps.mul(tf.nn.sigmoid(forgetPre), cPrev);
        Output inputGate = tf.nn.sigmoid(CellOps.add(i, CellOps.mul(wIDiag, cPrev)));
        c = CellOps.add(kept, CellOps.mul(inputGate, activation.apply(j)));
      } else {
        Output kept = CellOps.mul(tf.nn.sigmoid(CellOps.add(f, forgetBias)), cPrev);
        c = CellOps.add(kept, CellOps.mul(tf.nn.sigmoid(i), activation.apply(j)));
      }
      if (cellClip != null) {
        c = CellOps.clipByValue(c, -cellClip, cellClip);
      }
      if (usePeepholes) {
        Output outputGate = tf.nn.sigmoid(CellOps.add(o, CellOps.mul(wODiag, c)));
        m = CellOps.mul(outputGate, activation.apply(c));
      } else {
        m = CellOps.mul(tf.nn.sigmoid(o), activation.apply(c));
      }
    }
    if (numProj != null) {
      m = tf.linalg.matmul(m, projectionKernel);
      if (projClip != null) {
        m = CellOps.clipByValue(m, -projClip, projClip);
      }
    }
    Object newState = stateIsTuple ? LSTMStateTuple.of(c, m) : tf.array.concat(List.of(c, m), 1);
    return CellOutput.of(m, newState);
  }

  @Override
  protected void resetCopiedState() {
    kernel = null;
    bias = null;
    wFDiag = null;
    wIDiag = null;
    wODiag = null;
    projectionKernel = null;
  }

  @Override
  public LSTMCell copy() {
    return (LSTMCell) super.copy();
  }

  /** {@code use_peepholes}. */
  public boolean usePeepholes() {
    return usePeepholes;
  }

  /** {@code cell_clip}, if set. */
  public Optional<Double> cellClip() {
    return Optional.ofNullable(cellClip);
  }

  /** The resolved {@code initializer}, if one was given. */
  public Optional<Initializer> initializer() {
    return Optional.ofNullable(initializer);
  }

  /** {@code num_proj} (P), if set. */
  public Optional<Integer> numProj() {
    return Optional.ofNullable(numProj);
  }

  /** {@code proj_clip}, if set. */
  public Optional<Double> projClip() {
    return Optional.ofNullable(projClip);
  }

  /** {@code num_unit_shards}, if set. */
  public Optional<Integer> numUnitShards() {
    return Optional.ofNullable(numUnitShards);
  }

  /** {@code num_proj_shards}, if set. */
  public Optional<Integer> numProjShards() {
    return Optional.ofNullable(numProjShards);
  }

  /** The peephole weights {@code w_f_diag}, {@code w_i_diag}, {@code w_o_diag}, with peepholes, once built. */
  public Optional<List<Operand>> peepholes() {
    built(kernel);
    return usePeepholes ? Optional.of(List.of(wFDiag, wIDiag, wODiag)) : Optional.empty();
  }

  /** The projection kernel {@code [N, P]}, with a projection, once built. */
  public Optional<Operand> projectionKernel() {
    built(kernel);
    return Optional.ofNullable(projectionKernel);
  }

  /**
   * The arguments of {@code LSTMCell(num_units, use_peepholes, cell_clip, initializer, num_proj, proj_clip,
   * num_unit_shards, num_proj_shards, forget_bias, state_is_tuple, activation, reuse, name, dtype)}.
   */
  public static final class Builder extends CellBuilder<Builder, LSTMCell> {
    private boolean usePeepholes;
    private Double cellClip;
    private Object initializer;
    private Integer numProj;
    private Double projClip;
    private Integer numUnitShards;
    private Integer numProjShards;

    private Builder(Graph graph, int numUnits) {
      super(graph, numUnits);
    }

    /** TF's {@code use_peepholes}: diagonal connections from the cell state to the gates. */
    public Builder usePeepholes(boolean usePeepholes) {
      this.usePeepholes = usePeepholes;
      return this;
    }

    /** TF's {@code cell_clip}: the cell state is clipped to {@code [-cellClip, cellClip]} before the output. */
    public Builder cellClip(double cellClip) {
      this.cellClip = cellClip;
      return this;
    }

    /** The initializer of the kernel, peepholes and projection; null means the scope's, else glorot uniform. */
    public Builder initializer(Initializer initializer) {
      this.initializer = initializer;
      return this;
    }

    /**
     * An initializer as Keras identifies one ({@link KerasInitializers#get(Object)}): a name such as {@code
     * "orthogonal"}, a config map, an initializer class; resolved when the cell is made, with Keras' texts. Null
     * means none.
     */
    public Builder initializer(Object identifier) {
      this.initializer = identifier;
      return this;
    }

    /**
     * TF's {@code num_proj}: the output and {@code h} state are projected to {@code numProj} columns.
     *
     * @throws IllegalArgumentException unless positive (TF's {@code num_proj=0} mixes "no projection" sizes with a
     *     zero-width projection in build, which cannot work)
     */
    public Builder numProj(int numProj) {
      Preconditions.checkArgument(numProj > 0, "num_proj must be positive (leave it unset for no projection), got %s",
          numProj);
      this.numProj = numProj;
      return this;
    }

    /** TF's {@code proj_clip}: the projected output is clipped to {@code [-projClip, projClip]} (needs numProj). */
    public Builder projClip(double projClip) {
      this.projClip = projClip;
      return this;
    }

    /** TF's deprecated {@code num_unit_shards}: the kernel is split into that many row shards. */
    public Builder numUnitShards(int numUnitShards) {
      this.numUnitShards = numUnitShards;
      return this;
    }

    /** TF's deprecated {@code num_proj_shards}: the projection kernel is split into that many row shards. */
    public Builder numProjShards(int numProjShards) {
      this.numProjShards = numProjShards;
      return this;
    }

    @Override
    public LSTMCell build(Graph graph) {
      return new LSTMCell(graph, this);
    }
  }
}
