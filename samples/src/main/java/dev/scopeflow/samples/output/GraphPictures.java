package dev.scopeflow.samples.output;

import dev.scopeflow.graph.Graph;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a graph as Graphviz DOT ({@link Graph#toDot()}), and as SVG too when Graphviz's {@code dot} is on the PATH
 * (it lays out the picture; without it the DOT file opens in any Graphviz viewer).
 */
public final class GraphPictures {
  /** How long {@code dot} may take to lay out one graph. */
  static final long DOT_TIMEOUT_SECONDS = 120;

  private GraphPictures() {}

  /**
   * Writes {@code <dir>/<baseName>.dot} and, when {@code dot} runs, {@code <dir>/<baseName>.svg}; a failing
   * {@code dot} is reported on {@code log} and leaves only the DOT file.
   *
   * @return the files written
   */
  public static List<Path> write(Graph graph, Path dir, String baseName, PrintStream log) throws IOException {
    List<Path> written = new ArrayList<>();
    Path dotFile = dir.resolve(baseName + ".dot");
    writeAtomically(dotFile, graph.toDot());
    written.add(dotFile);
    Path svg = dir.resolve(baseName + ".svg");
    if (renderSvg(dotFile, svg, log)) {
      written.add(svg);
    }
    return written;
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Whether Graphviz's {@code dot} can be run. */
  public static boolean dotAvailable() {
    try {
      Process p = new ProcessBuilder("dot", "-V").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean renderSvg(Path dotFile, Path svg, PrintStream log) throws IOException {
    if (!dotAvailable()) {
      return false;
    }
    Path tmp = Files.createTempFile(svg.toAbsolutePath().getParent(), svg.getFileName().toString(), ".tmp");
    try {
      Process p = new ProcessBuilder("dot", "-Tsvg", "-o", tmp.toString(), dotFile.toString())
          .redirectErrorStream(true).start();
      byte[] messages = p.getInputStream().readAllBytes();
      if (!p.waitFor(DOT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        log.println("Graphviz 'dot' took over " + DOT_TIMEOUT_SECONDS + " s on " + dotFile + "; no SVG written");
        return false;
      }
      if (p.exitValue() != 0) {
        log.println("Graphviz 'dot' failed on " + dotFile + " (exit " + p.exitValue() + "): "
            + new String(messages, StandardCharsets.UTF_8).strip() + "; no SVG written");
        return false;
      }
      Files.move(tmp, svg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
