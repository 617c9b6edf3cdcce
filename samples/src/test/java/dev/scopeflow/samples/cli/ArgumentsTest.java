package dev.scopeflow.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.SessionOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Option parsing, typed getters and their messages, and how --runtime/--device become session options. */
class ArgumentsTest {
  private static final List<Option> OPTIONS = List.of(
      Option.value("steps", "N", "100", "training steps"),
      Option.value("rate", "R", "0.5", "learning rate"),
      Option.optional("text", "FILE", "a text file"),
      Option.flag("resume", "resume"),
      CommonOptions.RUNTIME, CommonOptions.DEVICE, CommonOptions.OUT, CommonOptions.SEED);

  @Test
  void valuesDefaultsFlagsAndPositionals() {
    Arguments a = Arguments.parse("demo", OPTIONS, "--steps", "7", "--rate=0.25", "in.txt", "--resume");
    assertEquals(7, a.integer("steps", 1));
    assertEquals(0.25, a.number("rate", 0));
    assertTrue(a.flag("resume"));
    assertEquals(List.of("in.txt"), a.positional());
    assertEquals(Optional.empty(), a.string("text"));
    assertTrue(a.given("steps"));
    assertFalse(a.given("seed"));
    assertEquals(42L, a.longValue("seed"));
    Arguments defaults = Arguments.parse("demo", OPTIONS);
    assertEquals(100, defaults.integer("steps", 1));
    assertFalse(defaults.flag("resume"));
    assertEquals(3, Arguments.parse("demo", OPTIONS, "--steps", "5", "--steps", "3").integer("steps", 1));
  }

  @Test
  void wrongArgumentsSayWhatWasExpected() {
    assertEquals("unknown option --stpes for demo (see: scopeflow demo --help)",
        assertThrows(UsageException.class, () -> Arguments.parse("demo", OPTIONS, "--stpes", "3")).getMessage());
    assertEquals("--steps needs a value (N)",
        assertThrows(UsageException.class, () -> Arguments.parse("demo", OPTIONS, "--steps")).getMessage());
    assertEquals("--resume is a flag and takes no value, got 'yes'",
        assertThrows(UsageException.class, () -> Arguments.parse("demo", OPTIONS, "--resume=yes")).getMessage());
    assertEquals("--steps expects an integer, got 'many'", assertThrows(UsageException.class,
        () -> Arguments.parse("demo", OPTIONS, "--steps", "many").integer("steps", 1)).getMessage());
    assertEquals("--steps must be at least 1, got 0", assertThrows(UsageException.class,
        () -> Arguments.parse("demo", OPTIONS, "--steps", "0").integer("steps", 1)).getMessage());
    assertEquals("--rate must be a number above 0.0, got -1", assertThrows(UsageException.class,
        () -> Arguments.parse("demo", OPTIONS, "--rate", "-1").number("rate", 0)).getMessage());
    assertEquals("--runtime must be one of cpu, opencl, got 'cuda'", assertThrows(UsageException.class,
        () -> context("--runtime", "cuda").runtime()).getMessage());
  }

  @Test
  void runtimeAndDeviceBecomeSessionOptions() {
    SessionOptions cpu = context().sessionOptions();
    assertEquals(Optional.of("cpu"), cpu.runtime());
    assertTrue(cpu.config().isEmpty());
    SessionOptions gpu = context("--device", "gpu").sessionOptions();
    assertEquals(Optional.of("opencl"), gpu.runtime(), "a non-cpu device implies the OpenCL runtime");
    assertEquals(Optional.of("gpu"), gpu.get("opencl.device"));
    SessionOptions openclCpu = context("--runtime", "OpenCL", "--device", "cpu").sessionOptions();
    assertEquals(Optional.of("opencl"), openclCpu.runtime());
    assertEquals(Optional.of("cpu"), openclCpu.get("opencl.device"));
    assertEquals(Optional.of("cpu"), context("--device", "cpu").sessionOptions().runtime());
    assertEquals("--device 1 needs --runtime opencl (the cpu runtime has one device, 'cpu')",
        assertThrows(UsageException.class, () -> context("--runtime", "cpu", "--device", "1").sessionOptions())
            .getMessage());
  }

  @Test
  void durationsForPeople() {
    assertEquals("1.5 s", SampleContext.duration(1.49));
    assertEquals("42 s", SampleContext.duration(42.2));
    assertEquals("2 min 05 s", SampleContext.duration(125));
    assertEquals("1 h 01 min", SampleContext.duration(3661));
    assertEquals("?", SampleContext.duration(Double.NaN));
  }

  private static SampleContext context(String... args) {
    Sample sample = new Sample() {
      @Override
      public String name() {
        return "demo";
      }

      @Override
      public String summary() {
        return "a test sample";
      }

      @Override
      public List<Option> options() {
        return OPTIONS;
      }

      @Override
      public int run(SampleContext context) {
        return 0;
      }
    };
    PrintStream nowhere = new PrintStream(java.io.OutputStream.nullOutputStream());
    return new SampleContext(sample, Arguments.parse("demo", OPTIONS, args), nowhere, nowhere, false);
  }
}
