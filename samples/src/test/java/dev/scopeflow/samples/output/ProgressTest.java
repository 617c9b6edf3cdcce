package dev.scopeflow.samples.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress output with a fake clock: plain lines at the interval off a terminal, one redrawn line on it. */
class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong nanos = new AtomicLong();

  @Test
  void plainLinesEveryIntervalAndAtTheEnd() {
    Progress p = new Progress(out, false, 0, 10, 4, "chars", nanos::get);
    for (int step = 1; step <= 10; step++) {
      nanos.addAndGet(500_000_000L); // 0.5 s a step, 1000 chars a step
      p.step(step, 3.0 - step * 0.1, 1000);
    }
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(3, lines.length, String.join("\n", lines)); // steps 4, 8 and 10
    assertEquals("step  4/10  loss 2.6000  2.0k chars/s  elapsed 2.0 s  ETA 3.0 s", lines[0]);
    assertEquals("step 10/10  loss 2.0000  2.0k chars/s  elapsed 5.0 s  ETA 0 s", lines[2]);
  }

  @Test
  void resumedRunCountsFromItsFirstStep() {
    Progress p = new Progress(out, false, 100, 104, 2, "seq", nanos::get);
    nanos.addAndGet(1_000_000_000L);
    p.step(102, 1.5, 10);
    assertEquals("step 102/104  loss 1.5000  10 seq/s  elapsed 1.0 s  ETA 1.0 s\n",
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void terminalRedrawsOneLineWithABar() {
    Progress p = new Progress(out, true, 0, 4, 1, "chars", nanos::get);
    for (int step = 1; step <= 4; step++) {
      nanos.addAndGet(200_000_000L);
      p.step(step, 1.0, 100);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("\r[######..................] step 1/4"), text);
    assertTrue(text.contains("\r[########################] step 4/4"), text);
    assertTrue(text.endsWith("\u001b[K\n"), "the finished bar ends its line");
    assertEquals(1, text.chars().filter(c -> c == '\n').count());
  }

  @Test
  void humanCounts() {
    assertEquals("950", Progress.humanCount(950));
    assertEquals("12.3k", Progress.humanCount(12_345));
    assertEquals("4.1M", Progress.humanCount(4_100_000));
  }
}
