package dev.scopeflow.runtime.opencl;

import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clEnqueueCopyBuffer;
import static org.jocl.CL.clEnqueueFillBuffer;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clFinish;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.RunException;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.graph.runtime.RunErrors;
import dev.scopeflow.graph.runtime.TransactionalStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_mem;

/**
 * The state of one run: its transaction over the variables, the temporaries of the current step, its device status
 * buffer and the error checks registered against it. Owns one reference to every tensor it allocates until a slot,
 * the variable store or the end of the run takes it over.
 */
final class OpenClRun {
  /** Status buffer layout: int code (the failing check's site, 0 = none), int pad, then three longs. */
  static final int STATUS_BYTES = 32;

  private record Check(Operation op, DeviceErrorCheck.ValuesFormatter formatter, List<DeviceTensor> kept,
      String inputShapes) {}

  final OpenClSession session;
  /** The session's queue when the run began: every command of the run goes here, even if the session replaces it. */
  final cl_command_queue queue;
  /** The session's record of {@link #queue}: kept alive (even if replaced) until {@link #finish()}. */
  final OpenClSession.RunQueue runQueue;
  final TransactionalStore<DeviceTensor>.Transaction variables;
  private final List<DeviceTensor> temporaries = new ArrayList<>();
  private final List<Check> checks = new ArrayList<>();
  private final List<DeviceTensor> keptByChecks = new ArrayList<>();
  private DeviceBuffer status;
  // A kernel with a check was enqueued after the status buffer was last read: it may hold an unread error.
  private boolean statusUnread;
  boolean launched;
  long hostReads;

  OpenClRun(OpenClSession session, TransactionalStore<DeviceTensor>.Transaction variables) {
    this.session = session;
    this.runQueue = session.beginRun();
    this.queue = runQueue.handle;
    this.variables = variables;
  }

  /**
   * A new device tensor owned by {@code owner} list (the caller's holder), in TF's words when it cannot be had:
   * {@code OOM when allocating tensor with shape[...] and type float32 on <device>: ...}.
   */
  DeviceTensor allocate(DType dtype, Shape shape, Operation op) {
    long bytes;
    try {
      bytes = Math.multiplyExact(shape.size(), (long) dtype.byteSize());
    } catch (ArithmeticException overflow) {
      bytes = Long.MAX_VALUE;
    }
    checkAllocation(dtype, shape, bytes, op);
    try {
      return DeviceTensor.onDevice(session.context, dtype, shape, session.context.allocate(bytes));
    } catch (CLException e) {
      throw allocationFailure(dtype, shape, op, e);
    }
  }

  /**
   * The buffer of {@code t} for a launch, uploading a feed, constant or host-computed value first: the upload gets
   * the same largest-buffer check and OOM text as a kernel's output allocation.
   */
  cl_mem deviceMem(DeviceTensor t, Operation op) {
    if (t.needsUpload()) {
      checkAllocation(t.dtype(), t.shape(), t.byteSize(), op);
      try {
        return t.mem();
      } catch (CLException e) {
        throw allocationFailure(t.dtype(), t.shape(), op, e);
      }
    }
    return t.mem();
  }

  /** TF's OOM text when {@code bytes} exceed the largest buffer the device (or a test) allows. */
  private void checkAllocation(DType dtype, Shape shape, long bytes, Operation op) {
    long max = session.maxAllocationBytes();
    if (bytes > max) {
      throw RunErrors.outOfMemory(shape, dtype, " on " + session.device().device() + ": " + bytes + " bytes exceed "
          + "the largest buffer the device allows (CL_DEVICE_MAX_MEM_ALLOC_SIZE = " + max + ")", op);
    }
  }

  private RunException allocationFailure(DType dtype, Shape shape, Operation op, CLException e) {
    if (ClErrors.isOutOfMemory(e)) {
      return RunErrors.outOfMemory(shape, dtype, " on " + session.device().device() + ": " + ClErrors.describe(e), op);
    }
    return new RunException(RunException.Code.INTERNAL, "OpenCL could not allocate a buffer for a tensor with shape"
        + shape.toRuntimeString() + " and type " + dtype + " on " + session.device().device() + ": "
        + ClErrors.describe(e), op, e);
  }

  /** A temporary of the current step, released after it. */
  DeviceTensor temporary(DType dtype, Shape shape, Operation op) {
    DeviceTensor t = allocate(dtype, shape, op);
    t.retain();
    temporaries.add(t);
    return t;
  }

  /** A temporary holding {@code value}. */
  DeviceTensor temporary(Tensor value) {
    DeviceTensor t = DeviceTensor.onHost(session.context, value);
    t.retain();
    temporaries.add(t);
    return t;
  }

  /** How many temporaries the run holds now: a step releases those it added with {@link #releaseTemporaries(int)}. */
  int temporaryMark() {
    return temporaries.size();
  }

  /**
   * Releases the temporaries allocated since {@code mark}: those of the step that just ran, and only those (a While
   * step runs whole nested plans while its own step is still in progress).
   */
  void releaseTemporaries(int mark) {
    for (int i = temporaries.size() - 1; i >= mark; i--) {
      temporaries.remove(i).release();
    }
  }

  /**
   * Registers a check of {@code op}; its site is its position + 1 (0 means "no error" in the status buffer). The run
   * holds a reference to each {@code kept} tensor until it ends, so a failed check can read their values back.
   */
  DeviceErrorCheck check(Operation op, DeviceErrorCheck.ValuesFormatter formatter, List<DeviceTensor> kept,
      String inputShapes) {
    if (status == null) {
      status = session.acquireStatusBuffer(runQueue);
    }
    for (DeviceTensor t : kept) {
      t.retain();
      keptByChecks.add(t);
    }
    checks.add(new Check(op, formatter, List.copyOf(kept), inputShapes));
    return new DeviceErrorCheck(this, checks.size());
  }

  /** The status buffer, for a launch that passes a check: the buffer may now hold an error. */
  DeviceBuffer statusBufferForLaunch() {
    statusUnread = true;
    return status;
  }

  /** The value of {@code t} on the host; a device read is a host synchronisation, counted. */
  Tensor read(DeviceTensor t) {
    if (t.needsRead()) {
      hostReads++;
      throwDeviceError();
      session.countBlockingCall();
    }
    return t.toHost(queue);
  }

  /** Throws the run's first device-reported error, if a check was registered and one was reported. Syncs. */
  void throwDeviceError() {
    RunException e = deviceError();
    if (e != null) {
      throw e;
    }
  }

  /**
   * The first error a kernel reported through a {@link DeviceErrorCheck}, or null. Reads the status buffer (a
   * blocking read, which also waits for every kernel enqueued before it) only when this run registered a check that
   * may have fired since the last read.
   */
  RunException deviceError() {
    return statusUnread ? sync(List.of()) : null;
  }

  /**
   * The value of a loop's predicate (a bool scalar): one small blocking read per iteration, the only host round trip
   * a loop makes per iteration (counted as a host sync). The same read brings back the run's device status, so an
   * error a body kernel reported ends the loop here, naming that kernel's op, and the values of {@code alsoRead} (the
   * loop's scalar integer variables: a counter that indexes tensor lists is then known on the host in the next body,
   * whose list reads and writes need no read of their own). A predicate known on the host costs no read unless the
   * status may hold an error. After a clean status, every check registered so far has passed (the read waited for
   * its kernels): they are forgotten, with the tensors they kept, so a long loop does not pile them up.
   */
  boolean readPredicate(DeviceTensor predicate, List<DeviceTensor> alsoRead) {
    if (!predicate.needsRead() && !statusUnread) {
      return predicate.toHost(queue).booleanValue();
    }
    List<DeviceTensor> reads = new ArrayList<>(1 + alsoRead.size());
    if (predicate.needsRead()) {
      reads.add(predicate);
    }
    for (DeviceTensor t : alsoRead) {
      if (t.needsRead() && !reads.contains(t)) {
        reads.add(t);
      }
    }
    hostReads++;
    RunException error = sync(reads);
    if (error != null) {
      throw error;
    }
    forgetPassedChecks();
    return predicate.toHost(queue).booleanValue();
  }

  /**
   * When more than {@code max} checks are registered, reads the status (one counted sync, which waits for their
   * kernels), throws the first error it holds, and otherwise drops them: what bounds the checks a loop that reads no
   * predicate keeps.
   */
  void forgetPassedChecksBeyond(int max) {
    if (checks.size() <= max) {
      return;
    }
    if (statusUnread) {
      hostReads++;
      throwDeviceError();
    }
    forgetPassedChecks();
  }

  /** Drops the checks registered so far; only after a read found the status clean with no kernel pending. */
  private void forgetPassedChecks() {
    if (statusUnread || checks.isEmpty()) {
      return;
    }
    checks.clear();
    for (DeviceTensor t : keptByChecks) {
      t.release();
    }
    keptByChecks.clear();
  }

  /**
   * The run's one host round trip: reads the status (when a check may have fired since it was last read) and every
   * tensor of {@code reads} with one blocking read, which on the in-order queue also waits for everything enqueued
   * before it; a run that launched kernels but reads nothing waits with {@code clFinish}. One value is read straight
   * from its buffer; several are first copied on the device into one staging buffer. Sets the host mirror of every
   * tensor read, unless the device reported an error, which is returned (null if none). No non-blocking read is
   * used: JOCL backs each with a pool thread that waits for its event.
   */
  RunException sync(List<DeviceTensor> values) {
    List<DeviceTensor> reads = new ArrayList<>(values.size());
    for (DeviceTensor t : values) {
      if (t.byteSize() == 0) {
        t.setHostFrom(ByteBuffer.allocate(0)); // nothing to read (and OpenCL refuses zero-byte copies)
      } else {
        reads.add(t);
      }
    }
    DeviceBuffer status = statusUnread ? this.status : null;
    List<cl_mem> mems = new ArrayList<>(reads.size() + 1);
    List<Long> sizes = new ArrayList<>(reads.size() + 1);
    if (status != null) {
      mems.add(status.mem);
      sizes.add((long) STATUS_BYTES);
    }
    for (DeviceTensor t : reads) {
      mems.add(t.mem());
      sizes.add(t.byteSize());
    }
    long total = 0;
    long[] offsets = new long[mems.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = total;
      total += (sizes.get(i) + 7) & ~7L; // 8-byte aligned, so every value starts aligned for its type
    }
    if (total == 0) {
      if (launched) {
        waitForQueue();
      }
      return null;
    }
    byte[] host = hostBytes(total, reads);
    session.countBlockingCall();
    ClFaults.check(ClFaults.Site.FINISH);
    if (mems.size() == 1) {
      clEnqueueReadBuffer(queue, mems.get(0), CL_TRUE, 0, sizes.get(0), Pointer.to(host), 0, null, null);
    } else {
      DeviceBuffer staging = session.context.allocate(total);
      try {
        for (int i = 0; i < offsets.length; i++) {
          clEnqueueCopyBuffer(queue, mems.get(i), staging.mem, 0, offsets[i], sizes.get(i), 0, null, null);
        }
        clEnqueueReadBuffer(queue, staging.mem, CL_TRUE, 0, total, Pointer.to(host), 0, null, null);
      } finally {
        staging.release();
      }
    }
    ByteBuffer bytes = ByteBuffer.wrap(host).order(ByteOrder.nativeOrder());
    int next = 0;
    if (status != null) {
      RunException e = errorIn(bytes.slice(0, STATUS_BYTES).order(ByteOrder.nativeOrder()));
      if (e != null) {
        return e;
      }
      next = 1;
    }
    for (DeviceTensor t : reads) {
      t.setHostFrom(bytes.slice((int) offsets[next], (int) (long) sizes.get(next)).order(ByteOrder.nativeOrder()));
      next++;
    }
    return null;
  }

  /** The host memory of a sync's read, or TF's OOM text naming the (first) value it was for. */
  private static byte[] hostBytes(long total, List<DeviceTensor> reads) {
    if (reads.isEmpty()) {
      return new byte[STATUS_BYTES];
    }
    try {
      ClFaults.checkHostMemory(ClFaults.Site.HOST_ARRAY);
      return new byte[Math.toIntExact(total)];
    } catch (OutOfMemoryError | ArithmeticException e) {
      DeviceTensor t = reads.get(0);
      throw RunErrors.outOfMemory(t.shape(), t.dtype(), " on the host: " + total + " bytes to read "
          + reads.size() + " value(s) back: " + e, null);
    }
  }

  /** Waits for everything enqueued on the run's queue: the run's one blocking call when it reads nothing (counted). */
  void waitForQueue() {
    session.countBlockingCall();
    ClFaults.check(ClFaults.Site.FINISH);
    clFinish(queue);
  }

  /**
   * The error in the status bytes just read, or null. A reported error is cleared (enqueued, not waited for) so the
   * pooled buffer is clean for its next run; only once that fill is enqueued is the status taken as read, so a failed
   * fill leaves it for {@link #finish()} to clear again or drop. The values a check kept are read back, the failing
   * run's only extra syncs.
   */
  private RunException errorIn(ByteBuffer status) {
    int site = status.getInt(0);
    if (site == 0) {
      statusUnread = false;
      return null;
    }
    clearStatus();
    if (site < 1 || site > checks.size()) {
      return new RunException(RunException.Code.INTERNAL, "Device reported an error from unknown check " + site);
    }
    Check c = checks.get(site - 1);
    List<Tensor> kept = new ArrayList<>(c.kept.size());
    for (DeviceTensor t : c.kept) {
      if (t.needsRead()) {
        session.countBlockingCall();
      }
      kept.add(t.toHost(queue));
    }
    return new RunException(RunException.Code.INVALID_ARGUMENT,
        c.formatter.message(status.getLong(8), status.getLong(16), status.getLong(24), kept) + c.inputShapes, c.op);
  }

  /** Enqueues the zero fill of the status buffer; the status counts as read (clean) only if that succeeded. */
  private boolean clearStatus() {
    try {
      ClFaults.check(ClFaults.Site.CLEAR_STATUS);
      clEnqueueFillBuffer(queue, status.mem, Pointer.to(new int[] {0}), 4, 0, STATUS_BYTES, 0, null, null);
      statusUnread = false;
      return true;
    } catch (CLException e) {
      // The device error is what the user must see; the buffer still holds it, so it is not pooled (see finish).
      return false;
    }
  }

  /**
   * Ends the run: releases temporaries and the tensors kept by checks, and returns the status buffer to the
   * session's pool.
   */
  void finish() {
    try {
      releaseTemporaries(0);
      if (status != null) {
        // A failed run may leave an error nobody read: clear it (in queue order, after the kernels) rather than read
        // it, so the buffer is clean for its next run without a wait. A buffer that could not be cleared may still
        // hold an error, so it is never pooled.
        boolean clean = !statusUnread || clearStatus();
        DeviceBuffer b = status;
        status = null;
        if (clean) {
          session.returnStatusBuffer(b, runQueue);
        } else {
          b.release();
        }
      }
    } finally {
      for (DeviceTensor t : keptByChecks) {
        t.release();
      }
      keptByChecks.clear();
      session.endRun(runQueue);
    }
  }
}
