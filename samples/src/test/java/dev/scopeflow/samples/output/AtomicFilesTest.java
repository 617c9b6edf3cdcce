package dev.scopeflow.samples.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output files appear whole or not at all, with the permissions any new file gets. */
class AtomicFilesTest {
  @TempDir
  Path dir;

  @Test
  void writesWithTheUsualPermissionsAndLeavesNoTemporaryFile() throws IOException {
    String text = UUID.randomUUID().toString();
    Path file = AtomicFiles.writeString(dir.resolve("sub/out.txt"), text);
    assertEquals(text, Files.readString(file));
    Path plain = Files.writeString(dir.resolve("sub/plain.txt"), "x");
    if (Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
      assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
    try (var files = Files.list(dir.resolve("sub"))) {
      assertEquals(List.of("out.txt", "plain.txt"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aFailedWriteLeavesThePreviousFile() throws IOException {
    Path file = AtomicFiles.writeString(dir.resolve("loss.csv"), "step,loss\n1,2.5\n");
    IOException failure = assertThrows(IOException.class, () -> AtomicFiles.write(file, tmp -> {
      Files.writeString(tmp, "step,lo");
      throw new IOException("disk full");
    }));
    assertEquals("disk full", failure.getMessage());
    assertEquals("step,loss\n1,2.5\n", Files.readString(file));
    assertEquals("nothing was written for " + file, assertThrows(IOException.class,
        () -> AtomicFiles.write(file, tmp -> { })).getMessage());
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left");
    }
  }
}
