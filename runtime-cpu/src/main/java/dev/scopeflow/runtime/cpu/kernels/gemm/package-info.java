/**
 * The CPU runtime's GEMM engines behind {@link dev.scopeflow.runtime.cpu.Gemm}: native OpenBLAS
 * ({@link dev.scopeflow.runtime.cpu.kernels.gemm.OpenBlasGemm}) and the pure-Java engine
 * ({@link dev.scopeflow.runtime.cpu.kernels.gemm.JavaGemm}, with its thread pool {@code GemmThreads}); the EJML engine
 * sits beside the kernels in {@code dev.scopeflow.runtime.cpu.kernels}. All three extend
 * {@link dev.scopeflow.runtime.cpu.kernels.gemm.CheckedGemm}, which checks the arguments and completes the calls that
 * need no product ({@code GemmArguments}) before the engine's own code runs.
 *
 * <p><b>Generated sources.</b> The pure-Java engine's two precisions, {@code JavaSgemm} (float) and {@code JavaDgemm}
 * (double), are not in this folder: they are generated at build time (phase generate-sources) from the one template
 * {@code runtime-cpu/src/main/templates/dev/scopeflow/runtime/cpu/kernels/gemm/JavaXgemm.java.template} into
 * {@code runtime-cpu/target/generated-sources/gemm}, the way the JDK generates java.nio's primitive buffers. Edit the
 * template (its header lists the tokens and their values); {@code runtime-cpu/pom.xml} holds the values per class.
 */
package dev.scopeflow.runtime.cpu.kernels.gemm;
