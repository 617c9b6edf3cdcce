package dev.scopeflow.samples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Named;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.rnn.LSTMCell;
import dev.scopeflow.rnn.Rnn;
import dev.scopeflow.scope.VariableScopes;
import dev.scopeflow.scope.layers.Dense;
import dev.scopeflow.train.AdamOptimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's quick-start example ("A first model"), line for line between the markers, so the README stays true:
 * an LSTMCell under dynamicRnn with a Dense head learns to continue sine waves with Adam on the cpu runtime. The
 * weights start random (no graph seed), so every run trains from a fresh start. The trained error is checked against
 * two baselines computed here in plain Java from the same data: predicting zero everywhere, and predicting that the
 * next value equals the current one. A second test checks that the README's code block still has these lines.
 */
class ReadmeQuickstartTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path THIS_SOURCE =
      Path.of("src", "test", "java", "dev", "scopeflow", "samples", "readme", "ReadmeQuickstartTest.java");
  @Test
  void theQuickstartModelLearnsToContinueSineWaves() {
    // ---- README: begin
    Graph graph = new Graph();
    Ops tf = Ops.create(graph);
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(-1, -1, 1));    // [batch, time, 1]; time known at run time
    Output next = tf.placeholder(DType.FLOAT32, Shape.of(-1, -1, 1)); // the value one step later
    Output prediction;
    try (var scope = VariableScopes.of(graph).variableScope("model")) {
      LSTMCell cell = LSTMCell.builder(graph, 32).build();
      Output h = Rnn.dynamicRnn(cell, x, DType.FLOAT32).output();     // [batch, time, 32]
      prediction = Dense.builder(1).build(graph).apply(h);            // [batch, time, 1]
    }
    Output loss = tf.math.reduceMean(tf.math.squaredDifference(prediction, next));
    Operation train = new AdamOptimizer(0.01).minimize(loss);

    float[] now = new float[16 * 40], later = new float[16 * 40];     // 16 sine waves of 40 steps
    for (int i = 0; i < now.length; i++) {
      now[i] = (float) Math.sin(0.4 * (i / 40) + 0.3 * (i % 40));     // wave i / 40, step i % 40
      later[i] = (float) Math.sin(0.4 * (i / 40) + 0.3 * (i % 40 + 1));
    }
    Tensor inputs = Tensor.create(Shape.of(16, 40, 1), now), targets = Tensor.create(Shape.of(16, 40, 1), later);

    try (Session session = Session.open(graph, "cpu")) {
      session.runTargets(tf.state.globalVariablesInitializer());
      for (int step = 1; step <= 300; step++) {
        Tensor mse = session.runner().feed(x, inputs).feed(next, targets).fetch(loss).addTarget(train).run().get(0);
        if (step % 100 == 0) System.out.printf("step %d: mean squared error %.4f%n", step, mse.getDouble(0));
      }
    // ---- README: end

      // The variables the README names, under the captured scope "model".
      assertEquals(List.of("model/rnn/lstm_cell/kernel:0", "model/rnn/lstm_cell/bias:0", "model/dense/kernel:0",
          "model/dense/bias:0"), tf.state.trainableVariables().stream().map(Named::name).toList());
      double predictZero = 0;
      double predictSame = 0;
      for (int i = 0; i < now.length; i++) {
        predictZero += (double) later[i] * later[i] / now.length;
        predictSame += (double) (later[i] - now[i]) * (later[i] - now[i]) / now.length;
      }
      double last = session.runner().feed(x, inputs).feed(next, targets).fetch(loss).run().get(0).getDouble(0);
      assertTrue(last < predictZero / 20, "trained error " + last + " against " + predictZero + " for zeros");
      assertTrue(last < predictSame / 2, "trained error " + last + " against " + predictSame + " for copying");
    }
  }

  @Test
  void theReadmeShowsTheLinesThisTestRuns() throws IOException {
    String source = Files.readString(THIS_SOURCE);
    String begin = "// ---- README: begin\n";
    String tested = source.substring(source.indexOf(begin) + begin.length(), source.indexOf("    // ---- README: end"));
    List<String> testedLines = Arrays.stream(tested.split("\n")).filter(l -> !l.isBlank())
        .map(l -> l.substring(4)).toList();

    String readme = Files.readString(README);
    int section = readme.indexOf("## A first model");
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    String block = readme.substring(start, readme.indexOf("```", start));
    List<String> shownLines = Arrays.stream(block.split("\n"))
        .filter(l -> !l.isBlank() && !l.startsWith("import ")).toList();

    assertTrue(section >= 0, "README section 'A first model'");
    assertEquals(testedLines, shownLines.subList(0, shownLines.size() - 1));
    assertEquals("}", shownLines.get(shownLines.size() - 1), "the block ends by closing the session's try");
  }
}
