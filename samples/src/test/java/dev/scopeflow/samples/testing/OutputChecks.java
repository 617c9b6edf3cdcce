package dev.scopeflow.samples.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.scopeflow.samples.testing.DotParser.DotGraph;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/** Checks of the files samples write: pictures that decode and show something, DOT files that parse and name ops. */
public final class OutputChecks {
  private OutputChecks() {}

  /**
   * The file decodes as an image with {@link ImageIO} and is not blank: at least 200x150 pixels, several colours,
   * and at least 1% of the pixels differ from the most common (background) colour.
   */
  public static BufferedImage assertPngNotBlank(Path png) {
    assertTrue(Files.isRegularFile(png), "missing " + png);
    BufferedImage image;
    try {
      image = ImageIO.read(png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertNotNull(image, png + " does not decode as an image");
    assertTrue(image.getWidth() >= 200 && image.getHeight() >= 150, png + " is only " + image.getWidth() + "x"
        + image.getHeight());
    java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        counts.merge(image.getRGB(x, y), 1, Integer::sum);
      }
    }
    int total = image.getWidth() * image.getHeight();
    int background = counts.values().stream().mapToInt(Integer::intValue).max().orElse(total);
    assertTrue(counts.size() >= 3, png + " has only " + counts.size() + " colour(s)");
    assertTrue(total - background >= total / 100, png + " is almost blank: " + (total - background) + " of " + total
        + " pixels differ from the background");
    return image;
  }

  /** The file parses as a DOT digraph ({@link DotParser}, independent of the exporter) with at least one edge. */
  public static DotGraph assertDigraph(Path dot) {
    assertTrue(Files.isRegularFile(dot), "missing " + dot);
    DotGraph graph;
    try {
      graph = DotParser.parse(Files.readString(dot, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new AssertionError(dot + " is not valid DOT: " + e.getMessage(), e);
    }
    assertTrue(graph.directed(), dot + " is an undirected graph; expected a digraph");
    assertTrue(!graph.edges().isEmpty(), dot + " has no edges");
    return graph;
  }

  /**
   * The DOT file is a digraph with a node for each op name (the first line of a node's label is the op's name, as
   * {@code Graph.toDot()} writes it), e.g. a cell's variables {@code rnn/basic_lstm_cell/kernel}.
   */
  public static DotGraph assertDotNamesOps(Path dot, Collection<String> opNames) {
    DotGraph graph = assertDigraph(dot);
    Set<String> named = new HashSet<>();
    for (String id : graph.nodes().keySet()) {
      named.add(graph.label(id).split("\n", 2)[0]);
    }
    Set<String> missing = new TreeSet<>(opNames);
    missing.removeAll(named);
    if (!missing.isEmpty()) {
      fail(dot + " names no node " + missing + "; it has " + named.size() + " nodes, e.g. "
          + List.copyOf(new TreeSet<>(named)).subList(0, Math.min(10, named.size())));
    }
    return graph;
  }
}
