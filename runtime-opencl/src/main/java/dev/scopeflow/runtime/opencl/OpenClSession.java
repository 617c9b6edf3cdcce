package dev.scopeflow.runtime.opencl;

import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clEnqueueFillBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseCommandQueue;

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
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;

/**
 * A session on one OpenCL device. Tensors and variables stay on the device for the session's life; only feeds and
 * fetches cross to the host. A run enqueues every kernel on the session's one in-order command queue without
 * waiting, then makes one blocking read of the device status (when a kernel registered an error check) and of every
 * fetch up to {@link #STAGED_READ_MAX_BYTES} (several are first copied into one staging buffer on the device), which
 * also waits for its kernels: a run costs one round trip, plus one per iteration of a {@code While} loop that is not
 * counted (its predicate, see {@link WhileKernel}). Larger fetches are then read straight into their arrays.
 * No non-blocking read is used (JOCL backs each with a pool thread). Device-reported errors are seen in that same
 * read, before the variable transaction commits. Concurrent runs share the queue (their launches interleave;
 * {@link ClKernel} serialises argument setting per kernel object).
 *
 * <p>Failures: an allocation the device refuses ({@code CL_MEM_OBJECT_ALLOCATION_FAILURE}, or a buffer above
 * {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}, feeds and constants included), or the host running out of memory for a
 * fetched value, is RESOURCE_EXHAUSTED with TF's OOM text. A {@code CL_OUT_OF_RESOURCES} from a launch is first told
 * apart from a dead queue by a wait on the queue (see {@link #launchOutOfResources}). A {@code CL_OUT_OF_RESOURCES} or
 * {@code CL_INVALID_COMMAND_QUEUE} otherwise means a kernel faulted or was killed and the queue is dead: the run fails
 * with INTERNAL, commits nothing, and the session replaces its command queue, so the next run works; the old queue
 * (with its pooled status buffers) is released when its last run ends. Variables survive this: their buffers belong
 * to the context, not the queue, and a committed value is never written again (an update writes a new buffer, and a
 * run commits only after waiting for its kernels). If no new queue can be made, the context is taken as lost: the run
 * says so, and every later run fails with FAILED_PRECONDITION naming the cause; the session must be closed and its
 * variables are gone.
 *
 * <p>Options: {@code opencl.device} (see {@link DeviceSelector}), {@code opencl.disableFp64=true} (behave as on a
 * device without {@code cl_khr_fp64}, for tests).
 */
public final class OpenClSession extends PlannedSession<OpenClPlan> {
  static final String DISABLE_FP64 = "opencl.disableFp64";
  /** Fetched values up to this size share the run's one blocking read (through host bytes, then their array). */
  static final long STAGED_READ_MAX_BYTES = 1 << 20;

  final OpenClContext context;
  private final Object queueLock = new Object();
  private volatile RunQueue queue;
  // Replaced queues that still have runs; each is released when its last run ends (or at close). Guarded by queueLock.
  private final List<RunQueue> retiredQueues = new ArrayList<>();
  private volatile String lostReason; // non-null: the context is lost, runs are refused
  private volatile long maxAllocationBytes;
  private final boolean fp64;
  private final OpenClKernelRegistry registry = OpenClKernelRegistry.defaultRegistry();
  private final TransactionalStore<DeviceTensor> variables = new TransactionalStore<>(
      new TransactionalStore.Lifecycle<>() {
        @Override
        public void retain(DeviceTensor value) {
          value.retain();
        }

        @Override
        public void release(DeviceTensor value) {
          value.release();
        }
      });
  private final Map<Operation, Object> opStates = new ConcurrentHashMap<>();
  private final Map<Operation, DeviceTensor> constants = new ConcurrentHashMap<>();
  // Keyed by identity (Subgraph does not override equals): one plan per body and session.
  private final Map<Subgraph, OpenClPlan> bodyPlans = new ConcurrentHashMap<>();
  private final LongAdder hostSyncs = new LongAdder();
  private final LongAdder blockingCalls = new LongAdder();

  OpenClSession(Graph graph, SessionOptions options) {
    super(graph, "opencl");
    List<OpenClDevices.Handle> handles = OpenClDevices.handles();
    OpenClDeviceInfo chosen = DeviceSelector.select(handles.stream().map(OpenClDevices.Handle::info).toList(),
        DeviceSelector.requested(options));
    this.context = OpenClContext.acquire(handles.get(chosen.index()));
    try {
      this.queue = new RunQueue(createQueue());
    } catch (RuntimeException e) {
      context.release();
      throw e;
    }
    this.maxAllocationBytes = chosen.maxAllocationBytes();
    this.fp64 = chosen.fp64() && !Boolean.parseBoolean(options.get(DISABLE_FP64).orElse("false"));
  }

  /** The device this session runs on. */
  public OpenClDeviceInfo device() {
    return context.info();
  }

  /** Whether float64 ops may run (the device has cl_khr_fp64 and the session did not disable it). */
  public boolean float64Enabled() {
    return fp64;
  }

  /**
   * Blocking device reads made while enqueueing (a {@code hostInput} of a value only on the device, or the read of a
   * loop's predicate, one per cond evaluation of a loop that is not counted), over the session's life; final fetch
   * reads are not counted. Zero in a run without such loops whose host-side inputs are feeds, constants or
   * host-computed values.
   */
  public long hostSyncCount() {
    return hostSyncs.sum();
  }

  /**
   * Blocking OpenCL calls made by runs over the session's life (each may wait for the device): a run's one sync (the
   * blocking read of its status and fetches up to {@link #STAGED_READ_MAX_BYTES}, or a {@code clFinish} when it
   * launched kernels but reads none of those), plus one per larger fetched value (read after the sync into its array;
   * the queue is drained by then unless other runs enqueued more, so it mostly copies), plus each counted
   * {@link #hostSyncCount() host sync}, plus the reads of a failed device check's values, plus the wait that tells a
   * launch's {@code CL_OUT_OF_RESOURCES} from a dead queue. Non-blocking enqueues and releases are not counted.
   */
  public long blockingCallCount() {
    return blockingCalls.sum();
  }

  void countBlockingCall() {
    blockingCalls.increment();
  }

  /**
   * A command queue with what belongs to it: the runs using it and its pool of zeroed status buffers. A pooled
   * buffer's clearing fill was enqueued on this queue, so only a run on this queue may take it (in-order execution
   * then puts the fill before the run's kernels); a buffer never moves to another queue, and the pool goes away with
   * its queue.
   */
  static final class RunQueue {
    final cl_command_queue handle;
    final ConcurrentLinkedQueue<DeviceBuffer> statusBuffers = new ConcurrentLinkedQueue<>();
    private int runs; // guarded by the session's queueLock
    private boolean retired; // guarded by queueLock
    private boolean released; // guarded by queueLock

    RunQueue(cl_command_queue handle) {
      this.handle = handle;
    }
  }

  /** Registers a run starting now on the session's current queue, which stays alive until {@link #endRun}. */
  RunQueue beginRun() {
    synchronized (queueLock) {
      RunQueue q = queue;
      q.runs++;
      return q;
    }
  }

  /** The run on {@code q} ended; a retired queue is released with its last run. */
  void endRun(RunQueue q) {
    synchronized (queueLock) {
      q.runs--;
      if (q.retired && q.runs == 0 && !q.released) {
        retiredQueues.remove(q);
        release(q);
      }
    }
  }

  /** Command queues this session holds now: its current one and the retired ones that still have runs. */
  int heldQueueCount() {
    synchronized (queueLock) {
      return 1 + retiredQueues.size();
    }
  }

  /** Status buffers pooled on the current queue (test seam). */
  int pooledStatusBufferCount() {
    return queue.statusBuffers.size();
  }

  /** The largest buffer a tensor may have: {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE} unless a test lowered it. */
  long maxAllocationBytes() {
    return maxAllocationBytes;
  }

  /** Test seam: pretends the device allows buffers of at most {@code bytes} (to test the check without GiBs). */
  void limitAllocationBytesForTesting(long bytes) {
    this.maxAllocationBytes = bytes;
  }

  private cl_command_queue createQueue() {
    try {
      ClFaults.check(ClFaults.Site.CREATE_QUEUE);
      cl_command_queue q = clCreateCommandQueue(context.context, context.device.device(), 0, null);
      OpenClRuntime.LIVE_QUEUES.incrementAndGet();
      return q;
    } catch (CLException e) {
      throw new OpenClUnavailableException("Could not create an OpenCL command queue on device '"
          + context.info().qualifiedName() + "': " + ClErrors.describe(e), e);
    }
  }

  /**
   * A failed OpenCL call of {@code run} (doing {@code what}) as the RunException to report. A dead queue is replaced
   * first (see the class comment).
   */
  RunException runFailure(CLException e, OpenClRun run, String what, Operation op) {
    String where = " while " + what + " on " + device().device() + ": " + ClErrors.describe(e);
    if (ClErrors.isOutOfMemory(e)) {
      return new RunException(RunException.Code.RESOURCE_EXHAUSTED, "OOM" + where, op, e);
    }
    if (ClErrors.breaksQueue(e)) {
      return new RunException(RunException.Code.INTERNAL, "OpenCL device error" + where + "; "
          + replaceQueue(run.runQueue, e) + ". The run committed no variable update.", op, e);
    }
    return new RunException(RunException.Code.INTERNAL, "OpenCL call failed" + where, op, e);
  }

  /**
   * A launch that failed with {@code CL_OUT_OF_RESOURCES}. Many drivers return it for a launch configuration the
   * device cannot run (too many registers or too much local memory per work-group), which fails the same way every
   * time while the queue is fine; others return it for a queue that died. A wait on the queue tells them apart: if it
   * succeeds, the queue is kept and the error names the kernel and its configuration; if it fails too, the queue is
   * dead and is replaced.
   */
  RunException launchOutOfResources(CLException e, OpenClRun run, ClKernel kernel, long[] globalSize,
      long[] localSize, Operation op) {
    try {
      run.waitForQueue();
    } catch (CLException dead) {
      return runFailure(e, run, "launching " + kernel, op);
    }
    return new RunException(RunException.Code.INTERNAL, "OpenCL could not launch " + kernel + " with global size "
        + Arrays.toString(globalSize) + " and local size "
        + (localSize == null ? "chosen by the driver" : Arrays.toString(localSize)) + " on " + device().device()
        + ": " + ClErrors.describe(e) + "; the command queue still works, so the kernel needs more resources "
        + "(registers, local or private memory) than the device has for this launch configuration. The run "
        + "committed no variable update.", op, e);
  }

  /** Replaces {@code dead} with a new queue unless that was done already; says what happened. */
  private String replaceQueue(RunQueue dead, CLException cause) {
    synchronized (queueLock) {
      if (lostReason != null) {
        return lostReason;
      }
      if (queue == dead) {
        cl_command_queue fresh;
        try {
          fresh = createQueue();
        } catch (OpenClUnavailableException e) {
          lostReason = "The OpenCL context of device '" + device().device() + "' is lost: after "
              + ClErrors.describe(cause) + " no new command queue could be created ("
              + ClErrors.describe((CLException) e.getCause()) + "). This session's variables are gone and it "
              + "cannot run anymore: close it and open a new session";
          return lostReason;
        }
        queue = new RunQueue(fresh);
        dead.retired = true;
        if (dead.runs == 0) {
          release(dead);
        } else {
          retiredQueues.add(dead); // released by its last run's endRun
        }
      }
      return "the command queue was recreated and committed variables are intact";
    }
  }

  /** Releases {@code q} and the status buffers pooled on it. Called under queueLock. */
  private static void release(RunQueue q) {
    q.released = true;
    DeviceBuffer b;
    while ((b = q.statusBuffers.poll()) != null) {
      b.release();
    }
    releaseQueue(q.handle);
  }

  /** Device buffers alive on this session's context (all sessions sharing it). */
  public long contextLiveBufferCount() {
    return context.liveBufferCount();
  }

  @Override
  protected OpenClPlan compile(ExecutionPlan.Key key) {
    return compilePlan(key, null);
  }

  /**
   * Compiles a session step ({@code body} null) or one evaluation of a function body, and, first, every body that
   * its steps run (recursively, through the session's body cache): a plan is a writer if a body it runs writes.
   */
  private OpenClPlan compilePlan(ExecutionPlan.Key key, Subgraph body) {
    OpenClDeviceInfo info = context.info();
    KernelPlan<OpenClKernel> steps = KernelPlan.compile(key, "OpenCL", registry::lookup, (op, kernel) -> {
      if (!fp64 && kernel.needsFloat64(op)) {
        throw new RunException(RunException.Code.UNIMPLEMENTED, "Op '" + op.name() + "' (" + op.type()
            + ") needs float64, but device '" + info.device() + "' has no cl_khr_fp64 support"
            + (info.fp64() ? " (disabled by the session option opencl.disableFp64)" : ""), op);
      }
    });
    boolean writes = steps.writesVariables();
    for (int i = 0; i < steps.numSteps(); i++) {
      for (Object attr : steps.op(i).attrs().values()) {
        if (attr instanceof Subgraph nested) {
          writes |= bodyPlan(nested).writesVariables();
        }
      }
    }
    return new OpenClPlan(steps, writes, body);
  }

  @Override
  protected void graphMutated() {
    bodyPlans.clear();
  }

  /**
   * The plan of one evaluation of {@code body} ({@link Subgraph#planKey()}), compiled once per session. Bodies are
   * compiled with the plan of the step that runs them, so a run finds them here.
   */
  OpenClPlan bodyPlan(Subgraph body) {
    OpenClPlan p = bodyPlans.get(body);
    if (p != null) {
      return p;
    }
    // Not computeIfAbsent: compiling a body compiles the bodies nested in it, which updates this map too.
    OpenClPlan compiled = compilePlan(body.planKey(), body);
    OpenClPlan raced = bodyPlans.putIfAbsent(body, compiled);
    return raced != null ? raced : compiled;
  }

  @Override
  protected List<Tensor> execute(OpenClPlan plan, RunRequest request) {
    String lost = lostReason;
    if (lost != null) {
      throw new RunException(RunException.Code.FAILED_PRECONDITION, lost);
    }
    Object[] slots = new Object[plan.steps.plan().numSlots()];
    try (TransactionalStore<DeviceTensor>.Transaction txn = variables.begin()) {
      OpenClRun run = new OpenClRun(this, txn);
      try {
        for (Map.Entry<Output, Integer> e : plan.steps.plan().feedSlots().entrySet()) {
          DeviceTensor fed = DeviceTensor.onHost(context, request.feeds().get(e.getKey()));
          fed.retain();
          slots[e.getValue()] = fed;
        }
        runSteps(plan, slots, run);
        List<Tensor> results = fetch(plan.steps, slots, run, txn);
        txn.commit();
        return results;
      } finally {
        hostSyncs.add(run.hostReads);
        run.finish();
      }
    } finally {
      for (Object s : slots) {
        releaseHeld(s);
      }
    }
  }

  /**
   * The step loop of every plan, a session step's and a function body's alike: enqueues each step's kernel in order
   * on {@code run}, moving outputs into {@code slots} and releasing each slot after its last reader. The slots hold
   * one reference to each value; on failure they still do (the caller releases them), and outputs of the failing step
   * are released here.
   */
  void runSteps(OpenClPlan plan, Object[] slots, OpenClRun run) {
    KernelPlan<OpenClKernel> steps = plan.steps;
    OpenClKernelContext ctx = new OpenClKernelContext(this, run);
    Object[] outputs = null;
    try {
      for (int i = 0; i < steps.numSteps(); i++) {
        Operation op = steps.op(i);
        outputs = new Object[op.numOutputs()];
        Object[] inputs = steps.inputs(i, slots);
        ctx.bind(op, inputs, outputs);
        int temporaries = run.temporaryMark();
        enqueue(steps.kernel(i), ctx, run, op);
        run.releaseTemporaries(temporaries);
        HostScalars.follow(op, inputs, outputs);
        int[] out = steps.outputSlots(i);
        for (int j = 0; j < out.length; j++) {
          KernelPlan.checkOutput(op, j, outputs[j], dtypeOf(outputs[j]));
          if (out[j] >= 0) {
            slots[out[j]] = outputs[j]; // the slot takes over the output's reference
          } else {
            releaseHeld(outputs[j]);
          }
          outputs[j] = null;
        }
        outputs = null;
        for (int s : steps.releaseAfter(i)) {
          releaseHeld(slots[s]);
          slots[s] = null;
        }
      }
    } finally {
      if (outputs != null) {
        for (Object o : outputs) {
          releaseHeld(o);
        }
      }
    }
    countKernels(steps.numSteps());
  }

  /**
   * One evaluation of a function body inside {@code run} (same queue, transaction and error checks): binds
   * {@code arguments} (parameters then captures, as the caller holds them) to the body's argument slots, runs its
   * steps and returns its results, each with one reference for the caller. A result that is a variable reference is
   * read (a body returns values); {@code owner}, the op running the body, is blamed if it is uninitialized.
   */
  Object[] evaluate(OpenClPlan plan, Object[] arguments, OpenClRun run, Operation owner) {
    Object[] slots = new Object[plan.steps.plan().numSlots()];
    try {
      int[] argumentSlots = plan.argumentSlots;
      for (int i = 0; i < argumentSlots.length; i++) {
        if (argumentSlots[i] >= 0) {
          retainHeld(arguments[i]);
          slots[argumentSlots[i]] = arguments[i];
        }
      }
      runSteps(plan, slots, run);
      int[] fetchSlots = plan.steps.plan().fetchSlots();
      Object[] results = new Object[fetchSlots.length];
      for (int j = 0; j < fetchSlots.length; j++) {
        Object v = slots[fetchSlots[j]];
        results[j] = v instanceof VariableRef ref ? ref.read(run.variables, owner) : v;
      }
      for (Object r : results) {
        retainHeld(r);
      }
      return results;
    } finally {
      for (Object s : slots) {
        releaseHeld(s);
      }
    }
  }

  private static Optional<DType> dtypeOf(Object value) {
    if (value instanceof DeviceTensor t) {
      return Optional.of(t.dtype());
    }
    return value instanceof DeviceTensorList ? Optional.of(DType.VARIANT) : Optional.empty();
  }

  private void enqueue(OpenClKernel kernel, OpenClKernelContext ctx, OpenClRun run, Operation op) {
    try {
      kernel.enqueue(ctx);
    } catch (RunException e) {
      // An earlier kernel's device-side error happened first: report that one.
      RunException earlier;
      try {
        earlier = run.deviceError();
      } catch (CLException cl) {
        earlier = runFailure(cl, run, "reading the device error status", op);
      }
      throw earlier != null ? earlier : e;
    } catch (OpenClUnavailableException e) {
      throw e;
    } catch (CLException e) {
      // a hostInput's read (launches and allocations translate their own failures)
      throw runFailure(e, run, "running", op);
    } catch (RuntimeException e) {
      throw new RunException(RunException.Code.INTERNAL, "Kernel failed: " + e, op, e);
    }
  }

  /**
   * Reads the fetched values that are only on the device: the status (when the run registered a check) and every
   * value of at most {@link #STAGED_READ_MAX_BYTES} in the run's one blocking read ({@link OpenClRun#sync}); a run
   * that launched kernels but reads none of those waits with {@code clFinish}, so run() returns when the step is done.
   * Larger values are then read straight into their result arrays (a blocking read each, on a queue already drained,
   * so it only copies): a fetch never needs twice its size in host memory. A device-reported error wins over the
   * fetched values; the host running out of memory for a result is RESOURCE_EXHAUSTED and leaves the session usable.
   */
  private List<Tensor> fetch(KernelPlan<OpenClKernel> plan, Object[] slots, OpenClRun run,
      TransactionalStore<DeviceTensor>.Transaction txn) {
    try {
      int[] fetchSlots = plan.plan().fetchSlots();
      List<DeviceTensor> fetched = new ArrayList<>(fetchSlots.length);
      for (int s : fetchSlots) {
        Object v = slots[s];
        fetched.add(v instanceof VariableRef ref ? ref.readFetched(txn) : (DeviceTensor) v);
      }
      Set<DeviceTensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      List<DeviceTensor> staged = new ArrayList<>();
      for (DeviceTensor t : fetched) {
        if (t.needsRead() && t.byteSize() <= STAGED_READ_MAX_BYTES && seen.add(t)) {
          staged.add(t);
        }
      }
      RunException deviceError = run.sync(staged);
      if (deviceError != null) {
        throw deviceError;
      }
      List<Tensor> results = new ArrayList<>(fetched.size());
      for (DeviceTensor t : fetched) {
        if (t.needsRead()) {
          countBlockingCall();
        }
        results.add(t.toHost(run.queue));
      }
      return results;
    } catch (CLException e) {
      throw runFailure(e, run, "reading results", null);
    }
  }

  /** Releases the reference a slot (or a loop variable) holds: tensors and lists are counted, references are not. */
  static void releaseHeld(Object slot) {
    if (slot instanceof DeviceTensor t) {
      t.release();
    } else if (slot instanceof DeviceTensorList l) {
      l.release();
    }
  }

  /** Takes a reference for a new holder of {@code value} (see {@link #releaseHeld}). */
  static void retainHeld(Object value) {
    if (value instanceof DeviceTensor t) {
      t.retain();
    } else if (value instanceof DeviceTensorList l) {
      l.retain();
    }
  }

  DeviceTensor constant(Operation op, Tensor value) {
    return constants.computeIfAbsent(op, k -> {
      DeviceTensor t = DeviceTensor.onHost(context, value);
      t.retain();
      return t;
    });
  }

  @SuppressWarnings("unchecked")
  <T> T opState(Operation op, Supplier<T> factory) {
    return (T) opStates.computeIfAbsent(op, k -> factory.get());
  }

  /** A zeroed status buffer for a run on {@code runQueue}: one pooled on that queue, or a new one zeroed there. */
  DeviceBuffer acquireStatusBuffer(RunQueue runQueue) {
    DeviceBuffer b = runQueue.statusBuffers.poll();
    if (b != null) {
      return b;
    }
    b = context.allocate(OpenClRun.STATUS_BYTES);
    try {
      clEnqueueFillBuffer(runQueue.handle, b.mem, Pointer.to(new int[] {0}), 4, 0, OpenClRun.STATUS_BYTES, 0, null,
          null);
    } catch (CLException e) {
      b.release();
      throw e;
    }
    return b;
  }

  /**
   * Pools {@code b} (zeroed, or with its clearing fill enqueued on {@code runQueue}) on the queue of its run; a
   * released queue's or a lost context's buffers are released instead.
   */
  void returnStatusBuffer(DeviceBuffer b, RunQueue runQueue) {
    synchronized (queueLock) {
      if (!runQueue.released && lostReason == null) {
        runQueue.statusBuffers.add(b);
        return;
      }
    }
    b.release();
  }

  /** Releases everything in order; a failing step does not keep the later ones (and the context) from running. */
  @Override
  protected void releaseResources() {
    try {
      try {
        clFinish(queue.handle);
      } catch (CLException e) {
        // releasing anyway: the session is going away
      }
      variables.clear();
      constants.values().forEach(DeviceTensor::release);
      constants.clear();
      opStates.clear();
      bodyPlans.clear();
    } finally {
      try {
        synchronized (queueLock) {
          retiredQueues.add(queue);
          for (RunQueue q : retiredQueues) {
            if (!q.released) {
              release(q);
            }
          }
          retiredQueues.clear();
        }
      } finally {
        context.release();
      }
    }
  }

  private static void releaseQueue(cl_command_queue q) {
    OpenClRuntime.LIVE_QUEUES.decrementAndGet();
    try {
      ClFaults.check(ClFaults.Site.RELEASE_QUEUE);
      clReleaseCommandQueue(q);
    } catch (CLException e) {
      // the handle is dropped either way; what matters is that the context is still released
    }
  }

  /** Why OpenCL cannot be used on this machine, or empty. */
  static Optional<String> unavailableReason() {
    return OpenClDevices.unavailableReason();
  }
}
