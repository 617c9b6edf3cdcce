package dev.scopeflow.scope;

import com.google.common.base.Preconditions;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * TF's {@code Variable.SaveSliceInfo}: where a shard of a partitioned variable lies in the full variable, so that a
 * Saver stores all shards as slices of ONE checkpoint tensor named {@link #fullName()} (and restores any other
 * partitioning from it). {@code getVariable} with a partitioner gives each shard {@code <name>/part_<i>} one, as
 * TF's {@code _VariableStore._get_partitioned_variable} does; read it with {@link VariableScopes#saveSliceInfo}.
 * Immutable.
 */
public final class SaveSliceInfo {
  private final String fullName;
  private final long[] fullShape;
  private final long[] varOffset;
  private final long[] varShape;

  /**
   * A slice {@code [varOffset, varOffset + varShape)} of the variable {@code fullName} of shape {@code fullShape}.
   *
   * @throws IllegalArgumentException if the ranks differ or the slice does not lie inside the full shape
   */
  public SaveSliceInfo(String fullName, long[] fullShape, long[] varOffset, long[] varShape) {
    this.fullName = Preconditions.checkNotNull(fullName, "fullName");
    this.fullShape = Preconditions.checkNotNull(fullShape, "fullShape").clone();
    this.varOffset = Preconditions.checkNotNull(varOffset, "varOffset").clone();
    this.varShape = Preconditions.checkNotNull(varShape, "varShape").clone();
    Preconditions.checkArgument(this.fullShape.length == this.varOffset.length
        && this.fullShape.length == this.varShape.length, "Ranks differ: full shape %s, offset %s, shape %s",
        Arrays.toString(fullShape), Arrays.toString(varOffset), Arrays.toString(varShape));
    for (int i = 0; i < this.fullShape.length; i++) {
      Preconditions.checkArgument(this.varOffset[i] >= 0 && this.varShape[i] >= 0
          && this.varOffset[i] + this.varShape[i] <= this.fullShape[i],
          "Slice at offset %s of shape %s does not lie in the full shape %s", Arrays.toString(varOffset),
          Arrays.toString(varShape), Arrays.toString(fullShape));
    }
  }

  /** The name of the full variable, e.g. {@code emb} for {@code emb/part_1}: the checkpoint key. */
  public String fullName() {
    return fullName;
  }

  /** The full variable's shape (a copy). */
  public long[] fullShape() {
    return fullShape.clone();
  }

  /** Where the shard starts in the full variable, per dimension (a copy). */
  public long[] varOffset() {
    return varOffset.clone();
  }

  /** The shard's shape (a copy). */
  public long[] varShape() {
    return varShape.clone();
  }

  /**
   * TF's {@code SaveSliceInfo.spec}, the {@code shape_and_slices} string {@code SaveV2}/{@code RestoreV2} take: the
   * full shape, a space, then {@code offset,length} per dimension joined by {@code ':'}, e.g. {@code "7 2 3,2:0,2"}
   * for rows 3-4 of a 7x2 variable.
   */
  public String spec() {
    String full = LongStream.of(fullShape).mapToObj(Long::toString).collect(Collectors.joining(" ")) + " ";
    StringBuilder slices = new StringBuilder();
    for (int i = 0; i < varOffset.length; i++) {
      if (i > 0) {
        slices.append(':');
      }
      slices.append(varOffset[i]).append(',').append(varShape[i]);
    }
    return full + slices;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SaveSliceInfo)) {
      return false;
    }
    SaveSliceInfo other = (SaveSliceInfo) o;
    return fullName.equals(other.fullName) && Arrays.equals(fullShape, other.fullShape)
        && Arrays.equals(varOffset, other.varOffset) && Arrays.equals(varShape, other.varShape);
  }

  @Override
  public int hashCode() {
    return ((fullName.hashCode() * 31 + Arrays.hashCode(fullShape)) * 31 + Arrays.hashCode(varOffset)) * 31
        + Arrays.hashCode(varShape);
  }

  @Override
  public String toString() {
    return "SaveSliceInfo(" + fullName + ", " + spec() + ")";
  }
}
