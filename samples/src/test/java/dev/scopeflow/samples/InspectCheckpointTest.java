package dev.scopeflow.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.ops.Variable;
import dev.scopeflow.train.Saver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inspect tool on a checkpoint the Saver wrote: TF's listing lines, values, and its errors and exit codes. */
class InspectCheckpointTest {
  @TempDir
  Path dir;

  private String prefix;
  private float[] kernel;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void saveACheckpoint() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    kernel = new float[6];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = random.nextFloat();
    }
    Graph g = new Graph();
    Ops tf = Ops.create(g);
    tf.state.variable(Tensor.create(Shape.of(2, 3), kernel), Variable.options().name("rnn/basic_lstm_cell/kernel"));
    tf.state.variable(Tensor.vector(true, false), Variable.options().name("flags"));
    tf.state.variable(Tensor.scalar(42L), Variable.options().name("global_step"));
    try (Session s = Session.open(g, "cpu")) {
      s.runTargets(tf.state.globalVariablesInitializer());
      prefix = Saver.create(g).save(s, dir.resolve("model.ckpt").toString(), 42);
    }
  }

  private int run(String... args) {
    return InspectCheckpoint.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listsNameDtypeAndShapeSortedByName() {
    assertEquals(0, run(prefix));
    assertEquals("flags (DT_BOOL) [2]\nglobal_step (DT_INT64) []\nrnn/basic_lstm_cell/kernel (DT_FLOAT) [2,3]\n",
        out());
    assertEquals("", err());
  }

  @Test
  void aDirectoryMeansItsLatestCheckpoint() {
    assertEquals(0, run(dir.toString()));
    assertTrue(out().startsWith("flags (DT_BOOL) [2]\n"), out());
  }

  @Test
  void printsOneTensorsValues() {
    assertEquals(0, run(prefix, "--tensor", "rnn/basic_lstm_cell/kernel"));
    assertEquals("tensor_name:  rnn/basic_lstm_cell/kernel\n[[" + kernel[0] + ", " + kernel[1] + ", " + kernel[2]
        + "],\n [" + kernel[3] + ", " + kernel[4] + ", " + kernel[5] + "]]\n", out());
  }

  @Test
  void printsAllTensors() {
    assertEquals(0, run("--all-tensors", prefix));
    assertTrue(out().startsWith("tensor_name:  flags\n[True, False]\ntensor_name:  global_step\n42\n"
        + "tensor_name:  rnn/basic_lstm_cell/kernel\n"), out());
  }

  @Test
  void anUnknownTensorIsAnError() {
    assertEquals(InspectCheckpoint.EXIT_FAILURE, run(prefix, "--tensor", "nope"));
    assertEquals("Key nope not found in checkpoint " + prefix + "\n", err());
  }

  @Test
  void aMissingCheckpointIsAnErrorNamingTheFile() {
    assertEquals(InspectCheckpoint.EXIT_FAILURE, run(dir.resolve("other").toString()));
    assertTrue(err().startsWith("Error reading checkpoint " + dir.resolve("other") + ": "), err());
    assertTrue(err().contains("other.index"), err());
    assertEquals("", out());
  }

  @Test
  void aCorruptIndexIsAnErrorNamingTheFile() throws IOException {
    Path index = Path.of(prefix + ".index");
    byte[] bytes = Files.readAllBytes(index);
    bytes[bytes.length - 1] ^= 0x01; // the footer's magic number
    Files.write(index, bytes);
    assertEquals(InspectCheckpoint.EXIT_FAILURE, run(prefix));
    assertTrue(err().contains("model.ckpt-42.index"), err());
  }

  @Test
  void anEmptyDirectoryIsAnError() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertEquals(InspectCheckpoint.EXIT_FAILURE, run(empty.toString()));
    assertTrue(err().startsWith("No checkpoint found in directory " + empty), err());
  }

  @Test
  void wrongArgumentsShowTheUsage() {
    assertEquals(InspectCheckpoint.EXIT_USAGE, run());
    assertEquals(InspectCheckpoint.EXIT_USAGE, run(prefix, "--tensor"));
    assertEquals(InspectCheckpoint.EXIT_USAGE, run(prefix, "--bogus"));
    assertTrue(err().contains("Usage: InspectCheckpoint <checkpoint prefix or directory>"), err());
  }
}
