package dev.scopeflow.runtime.opencl;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Operation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Integer scalar arithmetic the host follows alongside the device: after an {@code Add}, {@code AddV2} or {@code
 * Sub} of two int32/int64 scalars whose values the host knows (constants, feeds, a counted loop's counters), the
 * output gets the same value as its host mirror (Java's int and long arithmetic wraps as the device's does), so an
 * index computed from a loop counter ({@code iteration - 1} in a gradient's backward loop, {@code n - 1 - i}) is
 * known on the host and a tensor-list read with it costs no device read. The kernel still runs; only the host learns
 * its result.
 */
final class HostScalars {
  private HostScalars() {}

  /** Sets the host mirror of {@code op}'s output 0 when {@code op} is such an operation on host-known scalars. */
  static void follow(Operation op, Object[] inputs, Object[] outputs) {
    String type = op.type();
    boolean sub = type.equals("Sub");
    if (!sub && !type.equals("Add") && !type.equals("AddV2")) {
      return;
    }
    if (outputs.length != 1 || !(outputs[0] instanceof DeviceTensor out) || !out.needsRead()
        || out.shape().rank() != 0 || (out.dtype() != DType.INT32 && out.dtype() != DType.INT64)) {
      return;
    }
    Optional<Long> x = hostScalar(inputs[0], out.dtype());
    Optional<Long> y = hostScalar(inputs[1], out.dtype());
    if (x.isEmpty() || y.isEmpty()) {
      return;
    }
    long value = sub ? x.get() - y.get() : x.get() + y.get();
    ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
    if (out.dtype() == DType.INT32) {
      bytes.putInt(0, (int) value);
    } else {
      bytes.putLong(0, value);
    }
    out.setHostFrom(bytes);
  }

  private static Optional<Long> hostScalar(Object value, DType dtype) {
    if (!(value instanceof DeviceTensor t) || t.dtype() != dtype || t.shape().rank() != 0) {
      return Optional.empty();
    }
    return t.hostValue().map(h -> dtype == DType.INT32 ? (long) ((int[]) h.unsafeArray())[0]
        : ((long[]) h.unsafeArray())[0]);
  }
}
