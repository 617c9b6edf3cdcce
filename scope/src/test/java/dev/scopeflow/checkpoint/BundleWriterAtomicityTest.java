package dev.scopeflow.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scopeflow.graph.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** A {@link BundleWriter#finish} that fails at any step leaves the previous checkpoint as it was and no temp files. */
class BundleWriterAtomicityTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"data-written", "index-written", "data-renamed"})
  void failureKeepsThePreviousCheckpoint(String failingStep) throws IOException {
    Path prefix = dir.resolve("model.ckpt");
    BundleWriter.create(prefix).add("w", Tensor.vector(1f, 2f, 3f)).add("step", Tensor.scalar(10L)).finish();
    List<String> before = listing();
    byte[] dataBefore = Files.readAllBytes(BundleFiles.dataFile(prefix));

    BundleWriter second = BundleWriter.create(prefix).add("w", Tensor.vector(9f, 8f)).add("step", Tensor.scalar(20L));
    IOException injected = new IOException("disk full (injected at " + failingStep + ")");
    second.stepHook = step -> {
      if (step.equals(failingStep)) {
        throw injected;
      }
    };
    IOException thrown = assertThrows(IOException.class, second::finish);
    assertSame(injected, thrown);

    assertEquals(before, listing(), "no temporary files, same checkpoint files");
    assertArrayEquals(dataBefore, Files.readAllBytes(BundleFiles.dataFile(prefix)));
    try (BundleReader r = BundleReader.open(prefix)) {
      assertArrayEquals(new float[] {1f, 2f, 3f}, r.read("w").toFloatArray());
      assertEquals(10L, r.read("step").longValue());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"data-written", "index-written", "data-renamed"})
  void failureWithoutPreviousCheckpointLeavesNothing(String failingStep) throws IOException {
    Path prefix = dir.resolve("fresh");
    BundleWriter w = BundleWriter.create(prefix).add("w", Tensor.vector(9f, 8f));
    w.stepHook = step -> {
      if (step.equals(failingStep)) {
        throw new IOException("injected");
      }
    };
    assertThrows(IOException.class, w::finish);
    assertEquals(List.of(), listing());
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
