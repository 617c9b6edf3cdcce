package dev.scopeflow.runtime.cpu;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.ExecutionPlan;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.RunException;
import dev.scopeflow.graph.RunRequest;
import dev.scopeflow.graph.SessionOptions;
import dev.scopeflow.graph.Subgraph;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.graph.runtime.KernelPlan;
import dev.scopeflow.graph.runtime.PlannedSession;
import dev.scopeflow.graph.runtime.TransactionalStore;
import dev.scopeflow.graph.runtime.VariableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A session on the CPU. Each distinct (feeds, fetches, targets) signature is compiled once into a {@link CpuPlan}
 * and cached by {@link PlannedSession}; a run then only executes kernels over heap arrays, dropping each
 * intermediate after its last reader and handing its buffer to the session's {@link BufferPool} when that is provably
 * safe ({@link RunBuffers}), handing back what the run still holds when it ends ({@link RunArena}) and the variable
 * values optimizer updates replaced ({@link VariableRecycling}), so that repeated steps reuse buffers instead of
 * allocating. Runs may be concurrent; each has its own buffers and its own transaction over the variables, committed
 * on success.
 *
 * <p>Function bodies (a loop's cond and body) are compiled once per session too, when the first plan that runs them
 * is compiled, and evaluated by their op's kernel through {@link KernelContext#evaluate} with the same step loop as a
 * session step, in the run's transaction: a loop does not re-enter {@code Session.run}, its body reads the variables
 * as the run has written them so far, and a failure anywhere in it rolls the whole run back.
 */
final class CpuSession extends PlannedSession<CpuPlan> {
  /** Session option: {@code false} turns off the reuse of intermediates' buffers (see {@link RunBuffers}). */
  static final String BUFFER_REUSE_OPTION = "cpu.reuse_buffers";

  private final KernelRegistry registry = KernelRegistry.defaultRegistry();
  private final TransactionalStore<Tensor> variables = new TransactionalStore<>();
  private final Map<Operation, Object> opStates = new ConcurrentHashMap<>();
  private final Map<Subgraph, CpuPlan> bodyPlans = new ConcurrentHashMap<>();
  private final BufferPool buffers;
  private final VariableRecycling recycling;
  private final Gemm gemm;

  CpuSession(Graph graph, SessionOptions options) {
    super(graph, "cpu");
    this.gemm = GemmEngines.select(options);
    this.buffers = bufferPool(options.get(BUFFER_REUSE_OPTION).orElse("true"));
    this.recycling = new VariableRecycling(buffers);
  }

  private static BufferPool bufferPool(String reuse) {
    switch (reuse) {
      case "true":
        return BufferPool.forHeap();
      case "false":
        // A pool that keeps nothing: every allocation is a new array.
        return new BufferPool(0);
      default:
        throw new IllegalArgumentException("Session option " + BUFFER_REUSE_OPTION + " must be true or false, got '"
            + reuse + "'");
    }
  }

  @Override
  protected CpuPlan compile(ExecutionPlan.Key key) {
    boolean[] bodiesWrite = {false};
    KernelPlan<Kernel> kernels = KernelPlan.compile(key, "CPU", registry::lookup, (op, kernel) -> {
      for (Subgraph body : kernel.functionBodies(op)) {
        bodiesWrite[0] |= bodyPlan(body).writesVariables();
      }
    });
    return new CpuPlan(kernels, bodiesWrite[0]);
  }

  @Override
  protected void graphMutated() {
    bodyPlans.clear();
  }

  /** The plan of one evaluation of {@code body}, compiled on first use (bodies nested in it first). */
  private CpuPlan bodyPlan(Subgraph body) {
    CpuPlan plan = bodyPlans.get(body);
    if (plan != null) {
      return plan;
    }
    // Not computeIfAbsent: compiling a body compiles the bodies nested in it, which would update the map re-entrantly.
    CpuPlan compiled = compile(body.planKey());
    CpuPlan raced = bodyPlans.putIfAbsent(body, compiled);
    return raced != null ? raced : compiled;
  }

  @Override
  protected List<Tensor> execute(CpuPlan plan, RunRequest request) {
    Object[] slots = new Object[plan.kernels().plan().numSlots()];
    for (Map.Entry<Output, Integer> e : plan.kernels().plan().feedSlots().entrySet()) {
      slots[e.getValue()] = request.feeds().get(e.getKey());
    }
    try (VariableRecycling.Run run = recycling.begin();
        TransactionalStore<Tensor>.Transaction txn = variables.begin()) {
      runSteps(plan.kernels(), slots, txn, run);
      int[] fetchSlots = plan.resultSlots();
      List<Tensor> results = new ArrayList<>(fetchSlots.length);
      for (int s : fetchSlots) {
        // RunRequest refuses variant fetches, so a fetched slot holds a tensor or a variable reference.
        Object v = slots[s];
        Tensor t = v instanceof VariableRef ref ? ref.readFetched(txn) : (Tensor) v;
        run.arena().escaped(t);
        run.shared(t);
        results.add(t);
      }
      run.beforeCommit();
      txn.commit();
      run.afterCommit();
      run.arena().reclaim();
      return results;
    }
  }

  /** One evaluation of a function body inside a run; see {@link KernelContext#evaluate}. */
  Object[] evaluate(Subgraph body, Object[] arguments, TransactionalStore<Tensor>.Transaction txn,
      VariableRecycling.Run run) {
    CpuPlan plan = bodyPlan(body);
    int[] argumentSlots = plan.argumentSlots();
    if (arguments.length != argumentSlots.length) {
      throw new IllegalArgumentException(body.name() + " takes " + argumentSlots.length + " arguments, got "
          + arguments.length);
    }
    Object[] slots = new Object[plan.kernels().plan().numSlots()];
    for (int i = 0; i < argumentSlots.length; i++) {
      if (argumentSlots[i] >= 0) {
        slots[argumentSlots[i]] = arguments[i];
      }
    }
    runSteps(plan.kernels(), slots, txn, run);
    int[] resultSlots = plan.resultSlots();
    Object[] results = new Object[resultSlots.length];
    for (int i = 0; i < results.length; i++) {
      Object v = slots[resultSlots[i]];
      results[i] = v instanceof VariableRef ref ? ref.readFetched(txn) : v;
    }
    return results;
  }

  /**
   * The step loop of every run, a session step or a body evaluation: runs each step of {@code plan} over
   * {@code slots} (its feeds already in place) in {@code txn}, checking what each kernel produced and freeing each
   * slot after its last reader. Fetched slots stay filled.
   */
  private void runSteps(KernelPlan<Kernel> plan, Object[] slots, TransactionalStore<Tensor>.Transaction txn,
      VariableRecycling.Run recycled) {
    RunBuffers run = new RunBuffers(buffers, recycled.arena());
    KernelContext ctx = new KernelContext(this, txn, run, recycled);
    for (int i = 0; i < plan.numSteps(); i++) {
      Operation op = plan.op(i);
      Object[] outputs = new Object[op.numOutputs()];
      Object[] inputs = plan.inputs(i, slots);
      ctx.bind(op, inputs, outputs);
      try {
        plan.kernel(i).compute(ctx);
      } catch (RunException e) {
        throw e;
      } catch (OutOfMemoryError e) {
        // The run's buffers are garbage now; the session and its variables stay usable.
        throw new RunException(RunException.Code.RESOURCE_EXHAUSTED, "OOM while running: " + e.getMessage(), op, e);
      } catch (RuntimeException e) {
        throw new RunException(RunException.Code.INTERNAL, "Kernel failed: " + e, op, e);
      }
      int[] out = plan.outputSlots(i);
      for (int j = 0; j < out.length; j++) {
        KernelPlan.checkOutput(op, j, outputs[j], dtypeOf(outputs[j]));
      }
      if (ctx.stepUsesState()) {
        run.escapeStepForGood(inputs, outputs);
        recycled.sharedByState(inputs, outputs);
      }
      if (ctx.stepEscapes() || anyVariant(inputs) || anyVariant(outputs)) {
        run.escapeStep(inputs);
      }
      for (int j = 0; j < out.length; j++) {
        if (out[j] >= 0) {
          slots[out[j]] = outputs[j];
          run.hold(outputs[j]);
        }
      }
      run.endStep();
      for (int s : plan.releaseAfter(i)) {
        run.release(slots[s]);
        slots[s] = null;
      }
    }
    countKernels(plan.numSteps());
  }

  private static boolean anyVariant(Object[] values) {
    for (Object v : values) {
      if (v instanceof VariantValue) {
        return true;
      }
    }
    return false;
  }

  private static Optional<DType> dtypeOf(Object value) {
    if (value instanceof Tensor t) {
      return DTYPES[t.dtype().ordinal()];
    }
    return value instanceof VariantValue ? DTYPES[DType.VARIANT.ordinal()] : Optional.empty();
  }

  /** {@code Optional.of(dtype)} by ordinal, made once: {@link #dtypeOf} runs for every output of every step. */
  private static final Optional<DType>[] DTYPES = optionalDtypes();

  @SuppressWarnings("unchecked")
  private static Optional<DType>[] optionalDtypes() {
    DType[] all = DType.values();
    Optional<DType>[] o = new Optional[all.length];
    for (DType d : all) {
      o[d.ordinal()] = Optional.of(d);
    }
    return o;
  }

  @SuppressWarnings("unchecked")
  <T> T opState(Operation op, Supplier<T> factory) {
    return (T) opStates.computeIfAbsent(op, k -> factory.get());
  }

  Gemm gemm() {
    return gemm;
  }

  @Override
  protected void releaseResources() {
    buffers.clear();
    recycling.clear();
    variables.clear();
    opStates.clear();
    bodyPlans.clear();
  }
}
