/**
 * TensorFlow's V2 checkpoint format (the tensor bundle of {@code tensorflow/core/util/tensor_bundle}) in plain Java:
 * {@link dev.scopeflow.checkpoint.BundleWriter} writes {@code <prefix>.index} (an SSTable of {@code
 * BundleEntryProto}s) and {@code <prefix>.data-00000-of-00001} (raw little-endian tensor bytes) so that TF's
 * {@code RestoreV2} and Python's {@code tf.train.load_checkpoint} read them; {@link
 * dev.scopeflow.checkpoint.BundleReader} reads what TF writes. The Saver (package {@code dev.scopeflow.train}) builds
 * on these two.
 */
package dev.scopeflow.checkpoint;
