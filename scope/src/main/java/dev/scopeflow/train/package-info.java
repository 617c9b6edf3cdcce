/**
 * TF1 training ({@code tf.compat.v1.train}): the {@link dev.scopeflow.train.Optimizer} base with its slot variables,
 * the optimizers {@link dev.scopeflow.train.GradientDescentOptimizer}, {@link dev.scopeflow.train.MomentumOptimizer},
 * {@link dev.scopeflow.train.AdamOptimizer}, {@link dev.scopeflow.train.RMSPropOptimizer} and {@link
 * dev.scopeflow.train.AdagradOptimizer} built on the fused update ops of {@code tf.train}, the global step ({@link
 * dev.scopeflow.train.TrainingUtil}) and the regularization losses ({@link dev.scopeflow.train.Losses}).
 * Checkpoints: {@link dev.scopeflow.train.Saver} ({@code tf.compat.v1.train.Saver}) saves and restores variables in
 * TensorFlow's V2 checkpoint format (partitioned variables as slices of one tensor, as TF does), keeps the last
 * {@code max_to_keep} checkpoints and finds the latest one; {@link dev.scopeflow.train.CheckpointState} reads and
 * writes the {@code checkpoint} state file that lists them. Names, slot names, defaults and error texts are TF
 * 1.15's.
 */
package dev.scopeflow.train;
