package dev.scopeflow.checkpoint;

import dev.scopeflow.graph.DType;
import java.util.Optional;

/**
 * TF's {@code DataType} enum ({@code tensorflow/core/framework/types.proto}): wire numbers, TF's C++ names
 * ({@code DataTypeString}) and element sizes, so a reader can list entries of types ScopeFlow has no tensors for.
 */
final class TfDataTypes {
  private TfDataTypes() {}

  /** Index = enum number; null = no such type. */
  private static final String[] NAMES = {
    null, "float", "double", "int32", "uint8", "int16", "int8", "string", "complex64", "int64", "bool", "qint8",
    "quint8", "qint32", "bfloat16", "qint16", "quint16", "uint16", "complex128", "half", "resource", "variant",
    "uint32", "uint64", "float8_e5m2", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e4m3b11fnuz", "float8_e5m2fnuz",
    "int4", "uint4",
  };

  /** Bytes per element as TF lays the type out in memory (and in a bundle); -1 for types without a fixed size. */
  private static final int[] SIZES = {
    -1, 4, 8, 4, 1, 2, 1, -1, 8, 8, 1, 1, 1, 4, 2, 2, 2, 2, 16, 2, -1, -1, 4, 8, 1, 1, 1, 1, 1, 1, 1,
  };

  static final int DT_FLOAT = 1;
  static final int DT_DOUBLE = 2;
  static final int DT_INT32 = 3;
  static final int DT_INT64 = 9;
  static final int DT_BOOL = 10;

  static boolean isKnown(long number) {
    return number > 0 && number < NAMES.length;
  }

  /** TF's name, or TF's text for numbers it does not know. */
  static String name(long number) {
    return isKnown(number) ? NAMES[(int) number] : "unknown dtype enum (" + number + ")";
  }

  /** Element size in bytes, or -1 when elements have no fixed size (string, variant, resource) or the type is unknown. */
  static int elementSize(long number) {
    return isKnown(number) ? SIZES[(int) number] : -1;
  }

  static Optional<DType> toDType(long number) {
    switch ((int) number) {
      case DT_FLOAT:
        return Optional.of(DType.FLOAT32);
      case DT_DOUBLE:
        return Optional.of(DType.FLOAT64);
      case DT_INT32:
        return Optional.of(DType.INT32);
      case DT_INT64:
        return Optional.of(DType.INT64);
      case DT_BOOL:
        return Optional.of(DType.BOOL);
      default:
        return Optional.empty();
    }
  }

  static int number(DType dtype) {
    switch (dtype) {
      case FLOAT32:
        return DT_FLOAT;
      case FLOAT64:
        return DT_DOUBLE;
      case INT32:
        return DT_INT32;
      case INT64:
        return DT_INT64;
      case BOOL:
        return DT_BOOL;
      default:
        throw new IllegalArgumentException("dtype " + dtype + " cannot be stored in a checkpoint");
    }
  }
}
