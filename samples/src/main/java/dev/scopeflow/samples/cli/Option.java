package dev.scopeflow.samples.cli;

import com.google.common.base.Preconditions;
import java.util.Optional;

/**
 * One command-line option of a sample: {@code --name VALUE} (or {@code --name=VALUE}), or a flag {@code --name}
 * when it takes no value. The help text is generated from these declarations, so what {@code --help} says and what
 * the parser accepts cannot drift apart.
 *
 * @param name the option's name without the leading dashes ({@code steps})
 * @param valueName how the help shows the value ({@code N}, {@code FILE}); empty for a flag
 * @param defaultValue the value when the option is not given; empty when it has none (or is a flag)
 * @param help one line saying what it does
 */
public record Option(String name, Optional<String> valueName, Optional<String> defaultValue, String help) {
  public Option {
    Preconditions.checkArgument(name.matches("[a-z][a-z0-9-]*"), "option name %s", name);
    Preconditions.checkArgument(valueName.isPresent() || defaultValue.isEmpty(), "flag %s has a default", name);
  }

  /** An option that takes a value, with a default. */
  public static Option value(String name, String valueName, String defaultValue, String help) {
    return new Option(name, Optional.of(valueName), Optional.of(defaultValue), help);
  }

  /** An option that takes a value and has no default (absent unless given). */
  public static Option optional(String name, String valueName, String help) {
    return new Option(name, Optional.of(valueName), Optional.empty(), help);
  }

  /** A flag: present or not. */
  public static Option flag(String name, String help) {
    return new Option(name, Optional.empty(), Optional.empty(), help);
  }

  public boolean isFlag() {
    return valueName.isEmpty();
  }

  /** The left column of the help: {@code --steps N}. */
  public String synopsis() {
    return "--" + name + valueName.map(v -> " " + v).orElse("");
  }
}
