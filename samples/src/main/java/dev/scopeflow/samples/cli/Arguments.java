package dev.scopeflow.samples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sample's parsed command line: the options it declared, with their defaults filled in, and the positional
 * arguments. Typed getters fail with a {@link UsageException} that names the option and what it expected.
 */
public final class Arguments {
  private final String sample;
  private final Map<String, Option> declared;
  private final Map<String, String> values;
  private final List<String> positional;

  private Arguments(String sample, Map<String, Option> declared, Map<String, String> values, List<String> positional) {
    this.sample = sample;
    this.declared = declared;
    this.values = values;
    this.positional = positional;
  }

  /**
   * Parses {@code args} against {@code options}: {@code --name VALUE}, {@code --name=VALUE}, {@code --flag}; any
   * other word is positional. The last occurrence of an option wins.
   *
   * @throws UsageException for an unknown option, a missing value or a value given to a flag
   */
  public static Arguments parse(String sample, List<Option> options, String... args) {
    Map<String, Option> declared = new LinkedHashMap<>();
    for (Option o : options) {
      if (declared.put(o.name(), o) != null) {
        throw new IllegalArgumentException("option --" + o.name() + " declared twice for " + sample);
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.equals("--")) {
        positional.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq < 0 ? arg.length() : eq);
      Option option = declared.get(name);
      if (option == null) {
        throw new UsageException("unknown option --" + name + " for " + sample + " (see: scopeflow " + sample
            + " --help)");
      }
      if (option.isFlag()) {
        if (eq >= 0) {
          throw new UsageException("--" + name + " is a flag and takes no value, got '" + arg.substring(eq + 1) + "'");
        }
        values.put(name, "true");
      } else if (eq >= 0) {
        values.put(name, arg.substring(eq + 1));
      } else if (i + 1 < args.length) {
        values.put(name, args[++i]);
      } else {
        throw new UsageException("--" + name + " needs a value (" + option.valueName().get() + ")");
      }
    }
    return new Arguments(sample, Collections.unmodifiableMap(declared), values,
        Collections.unmodifiableList(positional));
  }

  /** The sample these arguments are for. */
  public String sample() {
    return sample;
  }

  public List<String> positional() {
    return positional;
  }

  /** Whether the option was given on the command line (a default does not count). */
  public boolean given(String name) {
    option(name);
    return values.containsKey(name);
  }

  /** The option's value as given, else its default; empty when neither exists. */
  public Optional<String> string(String name) {
    Option option = option(name);
    String v = values.get(name);
    return v != null ? Optional.of(v) : option.defaultValue();
  }

  /** The option's value, which must exist (given, or a default). */
  public String require(String name) {
    return string(name).orElseThrow(() -> new UsageException("--" + name + " is required"));
  }

  public boolean flag(String name) {
    Option option = option(name);
    if (!option.isFlag()) {
      throw new IllegalArgumentException("--" + name + " is not a flag");
    }
    return values.containsKey(name);
  }

  /** An integer option at least {@code min}. */
  public int integer(String name, int min) {
    String v = require(name);
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
    }
    if (n < min) {
      throw new UsageException("--" + name + " must be at least " + min + ", got " + n);
    }
    return n;
  }

  /** A long option (seeds). */
  public long longValue(String name) {
    String v = require(name);
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
    }
  }

  /** A finite number option strictly greater than {@code exclusiveMin}. */
  public double number(String name, double exclusiveMin) {
    String v = require(name);
    double d;
    try {
      d = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " expects a number, got '" + v + "'");
    }
    if (!Double.isFinite(d) || d <= exclusiveMin) {
      throw new UsageException("--" + name + " must be a number above " + exclusiveMin + ", got " + v);
    }
    return d;
  }

  /** A path option, if given or defaulted. */
  public Optional<Path> path(String name) {
    return string(name).map(Path::of);
  }

  /** One of {@code choices}, case-insensitively; returned in lower case. */
  public String choice(String name, String... choices) {
    String v = require(name).trim().toLowerCase(java.util.Locale.ROOT);
    for (String c : choices) {
      if (c.equals(v)) {
        return v;
      }
    }
    throw new UsageException("--" + name + " must be one of " + String.join(", ", choices) + ", got '"
        + require(name) + "'");
  }

  private Option option(String name) {
    Option option = declared.get(name);
    if (option == null) {
      throw new IllegalArgumentException(sample + " declares no option --" + name);
    }
    return option;
  }
}
