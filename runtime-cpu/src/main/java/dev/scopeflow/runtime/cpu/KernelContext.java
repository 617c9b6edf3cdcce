package dev.scopeflow.runtime.cpu;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.RunException;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Subgraph;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.graph.runtime.OpKernelContext;
import dev.scopeflow.graph.runtime.RunErrors;
import dev.scopeflow.graph.runtime.TransactionalStore;
import dev.scopeflow.graph.runtime.VariableRef;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a kernel sees while it runs one op: the op, its inputs (values, or variable references for assignments), the
 * slots for its outputs, the run's view of the variables and the session's per-op state. A kernel that runs function
 * bodies (a loop) evaluates them through {@link #evaluate}, in the same run and transaction.
 */
public final class KernelContext extends OpKernelContext {
  private final CpuSession session;
  private final TransactionalStore<Tensor>.Transaction variables;
  private final RunBuffers buffers;
  private final VariableRecycling.Run recycling;
  /** Whether the current step did something through which it may keep references the slots do not show. */
  private boolean stepEscapes;
  /** Whether the current step used per-op session state, which outlives the run. */
  private boolean stepUsesState;

  KernelContext(CpuSession session, TransactionalStore<Tensor>.Transaction variables, RunBuffers buffers,
      VariableRecycling.Run recycling) {
    this.session = session;
    this.variables = variables;
    this.buffers = buffers;
    this.recycling = recycling;
  }

  void bind(Operation op, Object[] inputs, Object[] outputs) {
    bindStep(op, inputs, outputs);
    stepEscapes = false;
    stepUsesState = false;
  }

  /** Whether the step just run used per-op session state (see {@link RunArena}). */
  boolean stepUsesState() {
    return stepUsesState;
  }

  /** Whether the step just run evaluated a body or used session state (see {@link RunBuffers}). */
  boolean stepEscapes() {
    return stepEscapes;
  }

  /** The value of input {@code i}; a variable reference is read (failing if the variable is uninitialized). */
  public Tensor input(int i) {
    Object v = rawInput(i);
    if (v instanceof VariableRef) {
      return readVariable((VariableRef) v);
    }
    return (Tensor) v;
  }

  /**
   * Input {@code i} as the run holds it, unread: a {@link Tensor}, a {@link VariantValue}, or a
   * {@link VariableRef} (for kernels that hand values on without looking at them, such as a loop passing captures to
   * its body).
   */
  public Object inputValue(int i) {
    return rawInput(i);
  }

  /**
   * Input {@code i}, a {@code variant} tensor's value, as the kernel expects it.
   *
   * @throws RunException INTERNAL if it holds something else (an op wired to the wrong kind of variant)
   */
  public <V extends VariantValue> V variantInput(int i, Class<V> type) {
    Object v = rawInput(i);
    if (!type.isInstance(v)) {
      throw new RunException(RunException.Code.INTERNAL, "Input " + i + " holds " + describe(v) + ", expected a "
          + type.getSimpleName(), op());
    }
    return type.cast(v);
  }

  /** Sets output {@code i} to a value. The kernel must not write to {@code value}'s array afterwards. */
  public void setOutput(int i, Tensor value) {
    putOutput(i, value);
  }

  /** Sets output {@code i}, a {@code variant} tensor, to its value. */
  public void setOutput(int i, VariantValue value) {
    putOutput(i, value);
  }

  /**
   * Sets output {@code i} to a value taken from an input or a body result as it is: a {@link Tensor} or a
   * {@link VariantValue}.
   *
   * @throws IllegalArgumentException for anything else (a variable reference must be read first)
   */
  public void forwardOutput(int i, Object value) {
    Preconditions.checkArgument(value instanceof Tensor || value instanceof VariantValue,
        "output %s of %s must be a tensor or a variant value, got %s", i, op().name(), value);
    putOutput(i, value);
  }

  /**
   * Evaluates {@code body} once in this run: its arguments ({@link Subgraph#arguments()}: parameters then captures)
   * take {@code arguments} as they are (tensors, variant values, or variable references for captured variables),
   * its ops read and write variables in this run's transaction, and its results come back in order (a variable
   * reference result is read). The body's plan is compiled once per session.
   *
   * @throws RunException from a body op that fails, naming that op
   */
  public Object[] evaluate(Subgraph body, Object[] arguments) {
    stepEscapes = true;
    return session.evaluate(body, arguments, variables, recycling);
  }

  /** Sets output {@code i} to a variable reference (only {@code VariableV2} does this). */
  public void setOutput(int i, VariableRef ref) {
    putOutput(i, ref);
  }

  /**
   * The variable's value in this run.
   *
   * @throws RunException FAILED_PRECONDITION {@code Attempting to use uninitialized value <name>}
   */
  public Tensor readVariable(VariableRef ref) {
    return ref.read(variables, op());
  }

  /** The variable's value in this run, or empty if it is not initialized. */
  public Optional<Tensor> peekVariable(VariableRef ref) {
    return variables.read(ref.variable());
  }

  /**
   * Writes {@code updated}, whose array this kernel just allocated, in place of {@code old}, the variable's value that
   * it read and only copied (an optimizer update): once the run commits, the session may recycle {@code old}'s array
   * if it provably has no other holder ({@link VariableRecycling}).
   */
  public void replaceVariable(VariableRef ref, Tensor old, Tensor updated) {
    buffers.escape(updated);
    recycling.arena().escaped(updated);
    variables.write(ref.variable(), updated);
    recycling.replace(old, updated);
  }

  /** Writes the variable; visible to later ops of this run, and to other runs once this run succeeds. */
  public void writeVariable(VariableRef ref, Tensor value) {
    buffers.escape(value);
    recycling.arena().escaped(value);
    recycling.shared(value);
    variables.write(ref.variable(), value);
  }

  /**
   * State this op keeps for the session's life (e.g. a random generator's position), created on first use. Access
   * to it must be thread-safe: runs of one session may be concurrent.
   */
  public <T> T sessionState(Supplier<T> factory) {
    stepEscapes = true;
    stepUsesState = true;
    return session.opState(op(), factory);
  }

  /** The GEMM engine of this session. */
  public Gemm gemm() {
    return session.gemm();
  }

  /**
   * A zero-filled array for an output of {@code dtype} and {@code shape} (a fully defined shape). It may be a
   * recycled buffer of an intermediate that is provably dead; the kernel owns it until it sets it as an output.
   *
   * @throws RunException RESOURCE_EXHAUSTED, in TF's words, for more elements than a Java array holds
   */
  public Object allocate(DType dtype, Shape shape) {
    return buffers.allocate(dtype, checkedSize(dtype, shape), true);
  }

  /**
   * Like {@link #allocate}, but the contents are unspecified: for kernels that write every element (a GEMM with
   * {@code beta = 0}), which then save the zero-filling pass over a recycled buffer.
   */
  public Object allocateForOverwrite(DType dtype, Shape shape) {
    return buffers.allocate(dtype, checkedSize(dtype, shape), false);
  }

  private int checkedSize(DType dtype, Shape shape) {
    long size;
    try {
      size = shape.size();
    } catch (ArithmeticException overflow) {
      size = Long.MAX_VALUE;
    }
    if (size > Integer.MAX_VALUE) {
      throw RunErrors.outOfMemory(shape, dtype, ": a CPU tensor holds at most " + Integer.MAX_VALUE + " elements",
          op());
    }
    return (int) size;
  }

  /** A variant value is a scalar handle, as in TF. */
  @Override
  protected Optional<Shape> shapeOfValue(Object value) {
    if (value instanceof Tensor t) {
      return Optional.of(t.shape());
    }
    return value instanceof VariantValue ? Optional.of(Shape.scalar()) : Optional.empty();
  }

  private static String describe(Object value) {
    return value instanceof Tensor t ? "a " + t.dtype() + " tensor" : String.valueOf(value);
  }
}
