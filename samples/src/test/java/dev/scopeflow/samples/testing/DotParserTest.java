package dev.scopeflow.samples.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Graph;
import dev.scopeflow.graph.Operation;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.ops.Ops;
import dev.scopeflow.rnn.BasicLSTMCell;
import dev.scopeflow.rnn.Rnn;
import dev.scopeflow.samples.testing.DotParser.DotGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test-side DOT parser on hand-written DOT, on what Graph.toDot() writes for a loop, and on broken text. */
class DotParserTest {
  @Test
  void parsesNodesEdgesAttributesSubgraphsAndComments() {
    DotGraph g = DotParser.parse("""
        /* a comment */ digraph "my graph" {
          rankdir=TB; // graph attribute
          node [shape=box];
          a [label="first\\nline two", color=red];
          b; c:port -> d -> e [style=dashed];
          subgraph cluster_0 { label="loop"; f; g -> h; }
          a -> { b c };
        }
        """);
    assertTrue(g.directed());
    assertEquals("my graph", g.name());
    assertEquals("first\nline two", g.label("a"));
    assertEquals("red", g.nodes().get("a").get("color"));
    assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h"), List.copyOf(g.nodes().keySet()));
    assertEquals(List.of("cluster_0", ""), g.subgraphs());
    assertEquals(5, g.edges().size(), g.edges().toString());
    assertEquals("dashed", g.edges().get(0).attrs().get("style"));
    assertTrue(g.edges().contains(new DotParser.Edge("a", "c", java.util.Map.of())));
  }

  @Test
  void undirectedGraphAndNumbers() {
    DotGraph g = DotParser.parse("graph { 1 -- -2.5 [weight=.5] }");
    assertFalse(g.directed());
    assertEquals(List.of("1", "-2.5"), List.copyOf(g.nodes().keySet()));
  }

  @Test
  void rejectsBrokenText() {
    assertThrows(IllegalArgumentException.class, () -> DotParser.parse("digraph { a -> }"));
    assertThrows(IllegalArgumentException.class, () -> DotParser.parse("digraph { a [label=\"x] }"));
    assertThrows(IllegalArgumentException.class, () -> DotParser.parse("digraph { a -- b }"));
    assertThrows(IllegalArgumentException.class, () -> DotParser.parse("digraph { a"));
    assertThrows(IllegalArgumentException.class, () -> DotParser.parse("tree { a }"));
    assertThrows(IllegalArgumentException.class, () -> DotParser.parse("digraph { a } trailing"));
  }

  /** Every op of a graph with a dynamicRnn loop is a node, and every data input, control input and capture an edge. */
  @Test
  void parsesGraphToDotOfALoop() {
    Graph graph = new Graph();
    Ops tf = Ops.create(graph);
    Output x = tf.placeholder(DType.FLOAT32, Shape.of(-1, -1, 3));
    Rnn.dynamicRnn(BasicLSTMCell.builder(graph, 4).build(), x, Rnn.dynamicOptions().dtype(DType.FLOAT32));
    DotGraph g = DotParser.parse(graph.toDot());
    List<Operation> ops = graph.operations();
    assertEquals(ops.size(), g.nodes().size());
    int expectedEdges = 0;
    for (Operation op : ops) {
      expectedEdges += op.inputs().size() + op.controlInputs().size();
    }
    long captureEdges = g.edges().stream().filter(e -> "dotted".equals(e.attrs().get("style"))).count();
    assertTrue(captureEdges > 0, "a loop body captures the cell's weights");
    assertEquals(expectedEdges + captureEdges, g.edges().size());
    assertTrue(g.subgraphs().size() >= 2, "the loop's cond and body are clusters: " + g.subgraphs());
    assertTrue(g.nodes().keySet().stream().map(g::label).anyMatch(l -> l.startsWith("rnn/basic_lstm_cell/kernel\n")));
  }
}
