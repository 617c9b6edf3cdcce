package dev.scopeflow.samples.charlm;

import dev.scopeflow.samples.output.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The characters (Unicode code points) a text uses, each with an id {@code 0..size-1} in code point order, and the
 * text's unigram statistics. Saved as {@code vocab.txt} next to the checkpoints, so a resumed run can check that it
 * trains on the same characters.
 */
final class Vocabulary {
  private final int[] codePoints;
  private final Map<Integer, Integer> ids = new HashMap<>();

  private Vocabulary(int[] sortedCodePoints) {
    this.codePoints = sortedCodePoints;
    for (int i = 0; i < sortedCodePoints.length; i++) {
      ids.put(sortedCodePoints[i], i);
    }
  }

  /** The vocabulary of every code point in {@code text}. */
  static Vocabulary of(int[] text) {
    return new Vocabulary(Arrays.stream(text).distinct().sorted().toArray());
  }

  int size() {
    return codePoints.length;
  }

  boolean contains(int codePoint) {
    return ids.containsKey(codePoint);
  }

  int id(int codePoint) {
    Integer id = ids.get(codePoint);
    if (id == null) {
      throw new IllegalArgumentException("character " + describe(codePoint) + " is not in the vocabulary");
    }
    return id;
  }

  int codePoint(int id) {
    return codePoints[id];
  }

  /** The ids of every code point of {@code text}. */
  int[] encode(int[] text) {
    int[] out = new int[text.length];
    for (int i = 0; i < text.length; i++) {
      out[i] = id(text[i]);
    }
    return out;
  }

  /**
   * The entropy of the text's character frequencies in nats per character: the loss of the best model that ignores
   * context, the reference a language model must get well below.
   */
  static double unigramEntropy(int[] ids, int size) {
    long[] counts = new long[size];
    for (int id : ids) {
      counts[id]++;
    }
    double h = 0;
    for (long c : counts) {
      if (c > 0) {
        double p = (double) c / ids.length;
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  /** {@code 'a'}, {@code '\n'}, {@code U+00E9}: a character for messages. */
  static String describe(int codePoint) {
    return switch (codePoint) {
      case '\n' -> "'\\n'";
      case '\t' -> "'\\t'";
      case '\r' -> "'\\r'";
      default -> codePoint >= 0x20 && codePoint < 0x7f ? "'" + Character.toString(codePoint) + "'"
          : String.format(Locale.ROOT, "U+%04X", codePoint);
    };
  }

  /** Writes one line per id: {@code <id> U+<hex> <character as a readable word>}. */
  void write(Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < codePoints.length; i++) {
      sb.append(i).append('\t').append(String.format(Locale.ROOT, "U+%04X", codePoints[i])).append('\t')
          .append(describe(codePoints[i])).append('\n');
    }
    AtomicFiles.writeString(file, sb);
  }

  /** Reads a file {@link #write} wrote. */
  static Vocabulary read(Path file) throws IOException {
    List<Integer> cps = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split("\t");
      if (fields.length < 2 || !fields[1].startsWith("U+")) {
        throw new IOException(file + ": not a vocabulary line: " + line);
      }
      cps.add(Integer.parseInt(fields[1].substring(2), 16));
    }
    return new Vocabulary(cps.stream().mapToInt(Integer::intValue).toArray());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary v && Arrays.equals(codePoints, v.codePoints);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(codePoints);
  }
}
