/**
 * The OpenCL runtime ({@code Session.open(graph, "opencl")}): sessions whose tensors and variables live on one OpenCL
 * device, with a kernel for every op written in OpenCL C 1.2.
 *
 * <h2>Adding a kernel for an op</h2>
 *
 * <ol>
 *   <li>OpenCL C in {@code src/main/resources/dev/scopeflow/runtime/opencl/<program>.cl}, one program per op family
 *       ({@code math.cl}, {@code nn.cl}, {@code array.cl}, ...). The common header {@code sf_common.clh} is put in
 *       front automatically. Write element types as {@code T} (and further type macros such as {@code U} when a
 *       kernel mixes types): a program is built once per {@link dev.scopeflow.runtime.opencl.ProgramVariant}, e.g.
 *       {@code -DT=float -DT_FLOAT32}. dtypes map to {@code float, double, int, long, uchar} (bool as 0/1 bytes).
 *       {@code T_IS_FLOATING} is defined for you. Never write {@code double} outside code that only a float64
 *       variant compiles ({@code #if SF_FP64} or through {@code T}): float64 variants are built only on devices
 *       with {@code cl_khr_fp64}. Pass sizes and indices as {@code long}; guard {@code if (i < n)}.
 *   <li>Java in {@code dev.scopeflow.runtime.opencl.kernels.<Family>Kernels} implementing
 *       {@link dev.scopeflow.runtime.opencl.OpenClKernelFamily}, listed in
 *       {@code META-INF/services/dev.scopeflow.runtime.opencl.OpenClKernelFamily}; register one
 *       {@link dev.scopeflow.runtime.opencl.OpenClKernel} per op type. A kernel is a few lines:
 *       <pre>{@code
 * // math.cl:  __kernel void neg(__global T* out, __global const T* x, long n) {
 * //             long i = get_global_id(0); if (i < n) out[i] = -x[i]; }
 * registry.register("Neg", ctx -> {
 *   DeviceTensor x = ctx.input(0);
 *   DeviceTensor out = ctx.allocateOutput(0, x.shape());
 *   ctx.launch(ctx.kernel("math", "neg", x.dtype()), x.size(), out, x, x.size());
 * });
 * }</pre>
 *       Binary element-wise ops with broadcasting need only {@code SF_BINARY_OP(sub, T, x - y)} in math.cl and
 *       {@code registry.register("Sub", new BinaryKernel("sub", dtypes))}.
 *   <li>Shapes are on the host ({@link dev.scopeflow.runtime.opencl.DeviceTensor#shape()}): check them and
 *       {@code throw ctx.invalidArgument("TF's text")} before launching. Inputs TF keeps in host memory (shape,
 *       axis, perm, begin/size, multiples, depth, ...) are read with
 *       {@link dev.scopeflow.runtime.opencl.OpenClKernelContext#hostInput(int)}: free for constants, feeds and
 *       host-computed values, a counted sync otherwise. Host-computed outputs (Shape, Size, Rank) use
 *       {@code ctx.setOutput(i, Tensor)}; aliases (Identity, Reshape) use {@code ctx.setOutput(i, input)} or
 *       {@code input.reshaped(shape)}, no copy.
 *   <li>Errors only the device can see (an index out of range): {@code DeviceErrorCheck check =
 *       ctx.deviceCheck((i, v, n) -> "indices[" + i + "] = " + v + " is not in [0, " + n + ")");} passed last to
 *       {@code launch}; the kernel declares {@code SF_CHECK_PARAMS} last and calls {@code SF_FAIL(i, v, n); return;}.
 *       The run then fails with that text (INVALID_ARGUMENT) and commits no variable.
 *   <li>Kernels that only move bytes wrap themselves in {@link dev.scopeflow.runtime.opencl.OpenClKernel#bytesOnly}
 *       so float64 tensors pass on devices without fp64; kernels that write variables override
 *       {@code writesVariables()}. Temporaries: {@code ctx.allocateTemporary}; tables longer than 8 entries:
 *       {@code ctx.uploadTemporary(tensor)}; {@code int[]}/{@code long[]} up to 8 entries go by value as
 *       {@code sf_ints}/{@code sf_longs}; {@code __local} scratch: {@code new OpenClKernelContext.LocalMemory(bytes)}.
 *   <li>Tests: every conformance class runs unchanged on this runtime (this module's surefire configuration scans
 *       the conformance module); add a CPU-vs-OpenCL agreement test for the family's edge cases.
 * </ol>
 *
 * <h2>Loops, function bodies and tensor lists</h2>
 *
 * <ul>
 *   <li>A run's slots hold {@link dev.scopeflow.runtime.opencl.DeviceTensor}s,
 *       {@link dev.scopeflow.runtime.opencl.DeviceTensorList}s (the values of {@code variant} tensors) and variable
 *       references; tensors and lists are reference counted, one reference per holder. Variant values cannot be fed
 *       or fetched.
 *   <li>{@code While} ({@link dev.scopeflow.runtime.opencl.WhileKernel}) runs its cond and body as nested plans in
 *       the same run: same command queue, variable transaction and device error checks. A session compiles each
 *       body's {@link dev.scopeflow.graph.Subgraph#planKey()} once (with the plan of the step that runs it, so a
 *       step whose loop body writes a variable takes the writer lock), and top-level and nested plans go through the
 *       one step loop, {@code OpenClSession.runSteps}.
 *   <li><b>Per-iteration host round trips:</b> a <em>counted</em> loop ({@link
 *       dev.scopeflow.runtime.opencl.CountedLoop}: the cond is a conjunction of {@code counter < bound} or {@code
 *       counter > bound}, each counter advanced by a constant and each bound invariant; dynamicRnn's loop,
 *       {@code maximum_iterations} and a loop gradient's backward loop are) has its trip count computed on the host
 *       before it starts, skips the cond and enqueues its iterations back to back with no read at all; its counters,
 *       and int scalar {@code Add}/{@code Sub} of host-known values ({@code HostScalars}), get host values, so
 *       tensor-list indices cost nothing. Any other loop reads the cond's device bool back with one small blocking
 *       read per iteration (it also brings back the device status and the scalar integer loop variables), so the
 *       device idles for one round trip per iteration. {@code -Dscopeflow.opencl.countedLoops=false} turns counting
 *       off (to compare).
 *   <li>Tensor-list kernels ({@code kernels/control/TensorListKernels}) take lists with
 *       {@link dev.scopeflow.runtime.opencl.OpenClKernelContext#inputList(int)} and output them with
 *       {@code ctx.setOutput(i, list)}; lists share element buffers (SetItem copies none), and data moves with
 *       {@code ctx.copy(...)} / {@code ctx.fillZeros(...)} ({@code clEnqueueCopyBuffer} / {@code clEnqueueFillBuffer}).
 *       Identity-like kernels forward any value with {@code ctx.forwardInput(0, 0)}.
 * </ul>
 */
package dev.scopeflow.runtime.opencl;
