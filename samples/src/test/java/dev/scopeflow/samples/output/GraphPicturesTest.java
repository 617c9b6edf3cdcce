package dev.scopeflow.samples.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.samples.testing.OutputChecks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The graph picture: a DOT file always, an SVG (well-formed XML naming the ops) when Graphviz is installed. */
class GraphPicturesTest {
  @TempDir
  Path dir;

  @Test
  void writesDotAndSvgWhenGraphvizIsThere() throws Exception {
    Graph graph = new Graph();
    Ops tf = Ops.create(graph);
    Output x = tf.withName("inputs").placeholder(DType.FLOAT32, Shape.of(-1, 3));
    tf.withName("activation").nn.tanh(tf.math.mul(x, x));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<Path> files = GraphPictures.write(graph, dir, "model", new PrintStream(log, true, StandardCharsets.UTF_8));
    Path dot = dir.resolve("model.dot");
    assertEquals(dot, files.get(0));
    OutputChecks.assertDotNamesOps(dot, List.of("inputs", "activation"));
    if (!GraphPictures.dotAvailable()) {
      assertEquals(List.of(dot), files, "no SVG without Graphviz");
      return;
    }
    Path svg = dir.resolve("model.svg");
    assertEquals(List.of(dot, svg), files, log.toString(StandardCharsets.UTF_8));
    DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // no network
    Document doc = xml.newDocumentBuilder().parse(svg.toFile());
    assertEquals("svg", doc.getDocumentElement().getTagName());
    String text = Files.readString(svg);
    assertTrue(text.contains(">activation</text>") && text.contains(">inputs</text>"), "the ops are drawn");
  }

  @Test
  void aGraphvizFailureLeavesTheDotFileAndSaysWhy() throws IOException {
    if (!GraphPictures.dotAvailable()) {
      return;
    }
    Graph graph = new Graph();
    Ops.create(graph).withName("only").constant(1f);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    // A folder where the SVG should go makes dot's output impossible to move into place.
    Files.createDirectories(dir.resolve("model.svg/inside"));
    List<Path> files;
    try {
      files = GraphPictures.write(graph, dir, "model", new PrintStream(log, true, StandardCharsets.UTF_8));
    } catch (IOException e) {
      files = null;
    }
    assertTrue(files == null || files.equals(List.of(dir.resolve("model.dot"))), String.valueOf(files));
    assertTrue(Files.isRegularFile(dir.resolve("model.dot")));
  }
}
