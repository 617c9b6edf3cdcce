package dev.scopeflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.TfValueError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code checkpoint} state file: TF's text format byte for byte, parsing what TF 1 and TF 2 write, relative paths
 * resolved against the directory ({@code get_checkpoint_state}), the atomic update and TF's error texts.
 */
class CheckpointStateTest {
  @TempDir
  Path dir;

  @Test
  void textFormatIsWhatPythonTextFormatWrites() {
    CheckpointState s = CheckpointState.of("model.ckpt-2000", List.of("model.ckpt-1000", "model.ckpt-2000"));
    assertEquals("model_checkpoint_path: \"model.ckpt-2000\"\n"
        + "all_model_checkpoint_paths: \"model.ckpt-1000\"\n"
        + "all_model_checkpoint_paths: \"model.ckpt-2000\"\n", s.toText());
    assertEquals(s, CheckpointState.parse(s.toText()));
  }

  @Test
  void stringsAreCEscapedAndNonAsciiIsOctalUtf8() {
    CheckpointState s = CheckpointState.of("dir \"q\"/a\\b\tc/mödel", List.of());
    // ö is UTF-8 c3 b6, written as octal escapes like Python's text_format (as_utf8=False).
    assertEquals("model_checkpoint_path: \"dir \\\"q\\\"/a\\\\b\\tc/m\\303\\266del\"\n", s.toText());
    assertEquals(s, CheckpointState.parse(s.toText()));
  }

  @Test
  void parsesTf2FilesWithTimestampsCommentsAndSingleQuotes() {
    String text = "# written by hand\nmodel_checkpoint_path: 'ckpt-2'\n"
        + "all_model_checkpoint_paths: \"ckpt-1\"\nall_model_checkpoint_paths: \"ck\" \"pt-2\"\n"
        + "all_model_checkpoint_timestamps: 1605960000.5\nall_model_checkpoint_timestamps: 1.6059601e9\n"
        + "last_preserved_timestamp: 1605959999.25\n";
    CheckpointState s = CheckpointState.parse(text);
    assertEquals("ckpt-2", s.modelCheckpointPath());
    assertEquals(List.of("ckpt-1", "ckpt-2"), s.allModelCheckpointPaths());
    assertEquals(List.of(1605960000.5, 1.6059601e9), s.allModelCheckpointTimestamps());
    assertEquals(OptionalDouble.of(1605959999.25), s.lastPreservedTimestamp());
    assertEquals(s, CheckpointState.parse(s.toText()));
  }

  @Test
  void parseErrorsNameLineAndProblem() {
    CheckpointState.ParseException e = assertThrows(CheckpointState.ParseException.class,
        () -> CheckpointState.parse("model_checkpoint_path: \"a\"\nmodel_path: \"b\"\n"));
    assertEquals("2:1 : Message type \"tensorflow.CheckpointState\" has no field named \"model_path\".",
        e.getMessage());
    assertThrows(CheckpointState.ParseException.class, () -> CheckpointState.parse("model_checkpoint_path \"a\""));
    assertThrows(CheckpointState.ParseException.class, () -> CheckpointState.parse("model_checkpoint_path: \"a"));
  }

  @Test
  void getResolvesRelativePathsAgainstTheDirectoryAndKeepsAbsoluteOnes() throws IOException {
    String abs = dir.resolve("elsewhere/model.ckpt-3").toString();
    Files.writeString(dir.resolve("checkpoint"), "model_checkpoint_path: \"model.ckpt-2\"\n"
        + "all_model_checkpoint_paths: \"" + abs + "\"\nall_model_checkpoint_paths: \"model.ckpt-2\"\n");
    CheckpointState s = CheckpointState.get(dir.toString()).orElseThrow();
    assertEquals(dir.resolve("model.ckpt-2").toString(), s.modelCheckpointPath());
    assertEquals(List.of(abs, dir.resolve("model.ckpt-2").toString()), s.allModelCheckpointPaths());
  }

  @Test
  void getIsEmptyWithoutAFileOrForAnUnparsableOne() throws IOException {
    assertEquals(Optional.empty(), CheckpointState.get(dir.toString()));
    Files.writeString(dir.resolve("checkpoint"), "this is not a CheckpointState");
    assertEquals(Optional.empty(), CheckpointState.get(dir.toString()));
  }

  @Test
  void aStateWithoutModelPathIsTfsValueError() throws IOException {
    Files.writeString(dir.resolve("checkpoint"), "all_model_checkpoint_paths: \"a\"\n");
    TfValueError e = assertThrows(TfValueError.class, () -> CheckpointState.get(dir.toString()));
    assertEquals("Invalid checkpoint state loaded from " + dir, e.getMessage());
  }

  @Test
  void updateWritesRelativePathsAppendsTheLatestAndLeavesNoTemporaryFile() throws IOException {
    String a = dir.resolve("model-1").toString();
    String b = dir.resolve("model-2").toString();
    CheckpointState.update(dir.toString(), b, List.of(a), null, true);
    assertEquals("model_checkpoint_path: \"model-2\"\nall_model_checkpoint_paths: \"model-1\"\n"
        + "all_model_checkpoint_paths: \"model-2\"\n", read("checkpoint"));
    // TF 1's default for an absolute directory: paths as given
    CheckpointState.update(dir.toString(), b, List.of(a, b), "latest", false);
    assertEquals("model_checkpoint_path: \"" + b + "\"\nall_model_checkpoint_paths: \"" + a + "\"\n"
        + "all_model_checkpoint_paths: \"" + b + "\"\n", read("latest"));
    assertEquals(List.of("checkpoint", "latest"), listing());
  }

  @Test
  void relativeDirectoriesGiveRelativePathsAsInTf() {
    Path cwd = Path.of("").toAbsolutePath();
    String relDir = cwd.relativize(dir).toString();
    CheckpointState.update(relDir, relDir + "/m-1", List.of(), null, false);
    assertEquals("model_checkpoint_path: \"m-1\"\nall_model_checkpoint_paths: \"m-1\"\n", read("checkpoint"));
  }

  @Test
  void latestFilenameMustNotHavePathComponents() {
    TfValueError e = assertThrows(TfValueError.class,
        () -> CheckpointState.update(dir.toString(), "m", List.of(), "sub/checkpoint", true));
    assertEquals("'latest_filename' must not contain path components", e.getMessage());
  }

  @Test
  void aSavePathThatIsTheStateFileIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CheckpointState.update(dir.toString(), dir.resolve("checkpoint").toString(), List.of(), null, true));
    assertTrue(e.getMessage().startsWith("Save path '" + dir.resolve("checkpoint")
        + "' conflicts with path used for checkpoint state.  Please use a different save path."), e.getMessage());
  }

  @Test
  void aFailedUpdateKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
    CheckpointState.update(dir.toString(), dir.resolve("m-1").toString(), List.of(), null, true);
    String before = read("checkpoint");
    // A non-empty directory where the new state should go: the rename fails.
    Files.createDirectories(dir.resolve("blocked/x"));
    assertThrows(UncheckedIOException.class,
        () -> CheckpointState.update(dir.toString(), dir.resolve("m-2").toString(), List.of(), "blocked", true));
    assertEquals(before, read("checkpoint"));
    assertEquals(List.of("blocked", "checkpoint"), listing());
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
