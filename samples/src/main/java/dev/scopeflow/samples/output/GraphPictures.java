package dev.scopeflow.samples.output;

import dev.scopeflow.graph.Graph;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    AtomicFiles.writeString(dotFile, graph.toDot());
    written.add(dotFile);
    Path svg = dir.resolve(baseName + ".svg");
    if (renderSvg(dotFile, svg, log)) {
      written.add(svg);
    }
    return written;
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
    try {
      AtomicFiles.write(svg, tmp -> runDot(dotFile, tmp));
      return true;
    } catch (DotFailed e) {
      log.println(e.getMessage() + "; no SVG written");
      return false;
    }
  }

  /** {@code dot -Tsvg -o target dotFile}, its messages read while it runs so a timeout can stop it. */
  private static void runDot(Path dotFile, Path target) throws IOException {
    Process p = new ProcessBuilder("dot", "-Tsvg", "-o", target.toString(), dotFile.toString())
        .redirectErrorStream(true).start();
    CompletableFuture<String> messages = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        return e.toString();
      }
    });
    try {
      if (!p.waitFor(DOT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new DotFailed("Graphviz 'dot' took over " + DOT_TIMEOUT_SECONDS + " s on " + dotFile);
      }
      if (p.exitValue() != 0) {
        throw new DotFailed("Graphviz 'dot' failed on " + dotFile + " (exit " + p.exitValue() + "): "
            + messages.join());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DotFailed("interrupted while Graphviz 'dot' ran on " + dotFile);
    }
  }

  /** {@code dot} did not produce the picture; the sample goes on without it. */
  private static final class DotFailed extends IOException {
    private static final long serialVersionUID = 1L;

    DotFailed(String message) {
      super(message);
    }
  }
}
