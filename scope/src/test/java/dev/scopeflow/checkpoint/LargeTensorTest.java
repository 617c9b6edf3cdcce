package dev.scopeflow.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tensor larger than 64 MiB, streamed through the 1 MiB chunk buffer both ways. */
class LargeTensorTest {
  @TempDir Path dir;

  @Test
  void moreThan64MiBRoundTrip() throws IOException {
    int n = (64 << 20) / 4 + 12345; // just over 64 MiB of float32, not a multiple of the chunk size
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) Math.sin(i * 0.001) * i; // every element distinct enough to catch misplaced chunks
    }
    Path prefix = dir.resolve("big");
    BundleWriter.create(prefix).add("a_small", Tensor.scalar(3)).add("big", Tensor.create(Shape.of(n), values))
        .add("z_after", Tensor.vector(5L, 6L)).finish();
    assertEquals(4 + 4L * n + 16, Files.size(BundleFiles.dataFile(prefix)));
    try (BundleReader r = BundleReader.open(prefix)) {
      BundleEntry e = r.entry("big").orElseThrow();
      assertEquals(4L, e.offset());
      assertEquals(4L * n, e.size());
      Tensor t = r.read("big");
      assertEquals(DType.FLOAT32, t.dtype());
      float[] back = (float[]) t.unsafeArray();
      for (int i = 0; i < n; i++) {
        if (Float.floatToRawIntBits(values[i]) != Float.floatToRawIntBits(back[i])) {
          throw new AssertionError("element " + i + ": " + values[i] + " != " + back[i]);
        }
      }
      assertEquals(6L, r.read("z_after").toLongArray()[1]);
    }
  }
}
