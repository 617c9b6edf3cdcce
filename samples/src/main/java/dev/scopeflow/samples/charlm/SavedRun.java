package dev.scopeflow.samples.charlm;

import dev.scopeflow.samples.output.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a checkpoint of char-lm depends on, written as {@code config.properties} next to it: the model's size (the
 * shapes of its variables) and the text it was trained on (a digest of it). {@code --resume} compares these with the
 * current run and refuses to continue when they differ, since the checkpoint would not fit or would be trained on
 * another text.
 *
 * @param layers LSTM layers
 * @param hidden units per layer
 * @param embedding width of the character embedding
 * @param vocabularySize characters in the vocabulary
 * @param textSource where the text came from (for people; not compared)
 * @param textDigest SHA-256 of the text's UTF-8 bytes
 */
record SavedRun(int layers, int hidden, int embedding, int vocabularySize, String textSource, String textDigest) {

  /** Writes the properties file. */
  void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("layers", Integer.toString(layers));
    p.setProperty("hidden", Integer.toString(hidden));
    p.setProperty("embedding", Integer.toString(embedding));
    p.setProperty("vocabulary_size", Integer.toString(vocabularySize));
    p.setProperty("text_source", textSource);
    p.setProperty("text_sha256", textDigest);
    AtomicFiles.write(file, tmp -> {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "char-lm: the model and text of the checkpoints in checkpoints/ (--resume checks them)");
      }
    });
  }

  /** Reads a file {@link #write} wrote. */
  static SavedRun read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    try {
      return new SavedRun(Integer.parseInt(p.getProperty("layers")), Integer.parseInt(p.getProperty("hidden")),
          Integer.parseInt(p.getProperty("embedding")), Integer.parseInt(p.getProperty("vocabulary_size")),
          p.getProperty("text_source", "?"), p.getProperty("text_sha256", ""));
    } catch (NumberFormatException | NullPointerException e) {
      throw new IOException(file + " is not a char-lm configuration: " + e.getMessage(), e);
    }
  }

  /** What differs between the saved run and this one, in words; empty when a checkpoint of one fits the other. */
  List<String> differencesFrom(SavedRun current) {
    List<String> d = new ArrayList<>();
    if (!textDigest.equals(current.textDigest)) {
      d.add("the text differs (saved: " + textSource + ", now: " + current.textSource + ")");
    }
    if (vocabularySize != current.vocabularySize) {
      d.add("vocabulary " + vocabularySize + " characters, now " + current.vocabularySize);
    }
    if (layers != current.layers) {
      d.add("layers " + layers + ", now " + current.layers);
    }
    if (hidden != current.hidden) {
      d.add("--hidden " + hidden + ", now " + current.hidden);
    }
    if (embedding != current.embedding) {
      d.add("--embedding " + embedding + ", now " + current.embedding);
    }
    return d;
  }
}
