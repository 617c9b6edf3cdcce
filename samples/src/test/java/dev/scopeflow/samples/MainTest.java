package dev.scopeflow.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.samples.cli.Option;
import dev.scopeflow.samples.cli.Sample;
import dev.scopeflow.samples.testing.LauncherRun;
import org.junit.jupiter.api.Test;

/** The launcher's entry point: help generated from the samples' declarations, dispatch, exit codes. */
class MainTest {
  private final LauncherRun launcher = new LauncherRun();

  private int run(String... args) {
    return launcher.run(args);
  }

  @Test
  void helpListsEverySampleAndEveryOption() {
    assertEquals(0, run("--help"));
    String help = launcher.out();
    assertTrue(help.contains("(no SAMPLE runs " + Main.SAMPLES.get(0).name() + ")"), help);
    for (Sample s : Main.SAMPLES) {
      assertTrue(help.contains("  " + s.name() + " "), "lists " + s.name());
      assertTrue(help.contains(s.summary()), s.name() + "'s summary");
      for (Option o : s.options()) {
        assertTrue(help.contains(o.synopsis()), s.name() + " " + o.synopsis());
        assertTrue(help.contains(o.help()), s.name() + " " + o.name() + "'s help");
      }
    }
    for (String name : new String[] {"char-lm", "weight-sharing", "sequence-regression", "inspect-checkpoint",
        "devices"}) {
      assertTrue(Main.find(name).isPresent(), "the issue's sample " + name);
    }
    assertEquals("char-lm", Main.SAMPLES.get(0).name(), "the default demo");
  }

  @Test
  void sampleHelp() {
    assertEquals(0, run("inspect-checkpoint", "--help"));
    String help = launcher.out();
    assertTrue(help.startsWith("inspect-checkpoint: "), help);
    assertTrue(help.contains("Usage: ./scopeflow inspect-checkpoint <checkpoint prefix or directory> [OPTIONS]"));
    assertTrue(help.contains("--all-tensors"));
  }

  @Test
  void wrongArgumentsExitWithTwoAndSayWhy() {
    assertEquals(Main.EXIT_USAGE, run("no-such-sample"));
    assertTrue(launcher.err().startsWith("scopeflow: no sample called 'no-such-sample'. "
        + "Samples: char-lm, "));
    launcher.reset();
    assertEquals(Main.EXIT_USAGE, run("devices", "--runtime", "cuda"));
    assertEquals("scopeflow devices: --runtime must be one of cpu, opencl, got 'cuda'\n"
        + "Usage: ./scopeflow devices [OPTIONS]\n", launcher.err());
    launcher.reset();
    assertEquals(Main.EXIT_USAGE, run("inspect-checkpoint", "--tensr", "x"));
    assertTrue(launcher.err().startsWith(
        "scopeflow inspect-checkpoint: unknown option --tensr for inspect-checkpoint"));
  }

  @Test
  void aFailingRunExitsWithOne() {
    assertEquals(Main.EXIT_FAILURE, run("inspect-checkpoint", "/nonexistent/model.ckpt"));
    assertTrue(launcher.err().contains("/nonexistent/model.ckpt"));
  }
}
