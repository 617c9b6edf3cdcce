package dev.scopeflow.runtime.opencl;

import com.google.common.base.Preconditions;
import dev.scopeflow.graph.DType;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which instance of a {@code .cl} program to build: type macros (e.g. {@code T} = {@code float}) and plain defines,
 * turned into build options. Each distinct variant is built once per context and cached on disk. A type macro
 * {@code M} bound to a dtype defines {@code -DM=<c type>} and {@code -DM_<DTYPE>} (e.g. {@code -DT=float
 * -DT_FLOAT32}); a variant with a float64 macro also defines {@code SF_FP64}, which enables {@code cl_khr_fp64} in
 * the common header, so double-precision code is only ever compiled for devices that have it. Immutable.
 */
public final class ProgramVariant {
  // Kernels look their variant up at every launch: the name checks are compiled once, and of(dtype) is cached.
  private static final Pattern TYPE_MACRO = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern DEFINE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern DEFINE_VALUE = Pattern.compile("[A-Za-z0-9_.+-]*");
  private static final Map<DType, ProgramVariant> OF = new EnumMap<>(DType.class);

  static {
    for (DType t : DType.values()) {
      OF.put(t, new ProgramVariant(Map.of(), Map.of()).with("T", t));
    }
  }

  private final Map<String, DType> types;
  private final Map<String, String> defines;

  private ProgramVariant(Map<String, DType> types, Map<String, String> defines) {
    this.types = types;
    this.defines = defines;
  }

  /** The variant with {@code T} bound to {@code t}: the common case of one element type. */
  public static ProgramVariant of(DType t) {
    return OF.get(Preconditions.checkNotNull(t));
  }

  /** No macros at all. */
  public static ProgramVariant none() {
    return new ProgramVariant(Map.of(), Map.of());
  }

  /** This variant with one more type macro ({@code "U"}, {@code "TINDEX"}, ...). */
  public ProgramVariant with(String macro, DType dtype) {
    Preconditions.checkArgument(TYPE_MACRO.matcher(macro).matches(), "type macro %s must be an upper-case name", macro);
    Map<String, DType> t = new LinkedHashMap<>(types);
    t.put(macro, Preconditions.checkNotNull(dtype));
    return new ProgramVariant(Map.copyOf(t), defines);
  }

  /** This variant with one more define ({@code -Dname=value}). */
  public ProgramVariant define(String name, String value) {
    Preconditions.checkArgument(DEFINE_NAME.matcher(name).matches(), "bad define name %s", name);
    Preconditions.checkArgument(DEFINE_VALUE.matcher(value).matches(), "bad define value %s", value);
    Map<String, String> d = new LinkedHashMap<>(defines);
    d.put(name, value);
    return new ProgramVariant(types, Map.copyOf(d));
  }

  /** Whether some type macro is float64 (the variant needs {@code cl_khr_fp64}). */
  public boolean usesFloat64() {
    return types.containsValue(DType.FLOAT64);
  }

  /** The OpenCL C type of a dtype: float, double, int, long, uchar (bool is stored as one byte, 0 or 1). */
  public static String cType(DType dtype) {
    switch (dtype) {
      case FLOAT32:
        return "float";
      case FLOAT64:
        return "double";
      case INT32:
        return "int";
      case INT64:
        return "long";
      case BOOL:
        return "uchar";
      default:
        throw new IllegalArgumentException(dtype.toString());
    }
  }

  /** The build options, in a canonical order (sorted), so equal variants share one cache entry. */
  String buildOptions() {
    StringBuilder sb = new StringBuilder("-cl-std=CL1.2");
    types.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append(" -D").append(e.getKey())
        .append('=').append(cType(e.getValue())).append(" -D").append(e.getKey()).append('_')
        .append(e.getValue().name()));
    defines.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> sb.append(" -D").append(e.getKey()).append('=').append(e.getValue()));
    if (usesFloat64()) {
      sb.append(" -DSF_FP64=1");
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProgramVariant v && v.types.equals(types) && v.defines.equals(defines);
  }

  @Override
  public int hashCode() {
    return Objects.hash(types, defines);
  }

  @Override
  public String toString() {
    return buildOptions();
  }
}
