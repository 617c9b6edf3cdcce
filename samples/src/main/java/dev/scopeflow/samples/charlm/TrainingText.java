package dev.scopeflow.samples.charlm;

import com.google.common.hash.Hashing;
import dev.scopeflow.samples.cli.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The text char-lm learns: a UTF-8 file given with {@code --text}, or by default ScopeFlow's own Java sources, which
 * the samples build packages as a classpath resource so the demo runs from the jar anywhere.
 *
 * @param source where it came from, for people
 * @param codePoints the text as Unicode code points (one "character" each)
 * @param digest SHA-256 of its UTF-8 bytes, to recognise the same text when resuming
 */
record TrainingText(String source, int[] codePoints, String digest) {
  /** The resource the samples pom builds from the scope module's sources. */
  static final String DEFAULT_RESOURCE = "/dev/scopeflow/samples/charlm/scopeflow-sources.txt";

  /** The file, or the default text when {@code file} is empty. */
  static TrainingText load(Optional<Path> file) throws IOException {
    if (file.isPresent()) {
      Path path = file.get();
      if (!Files.isRegularFile(path)) {
        throw new UsageException("--text: no such file: " + path);
      }
      return of(path.toString(), Files.readAllBytes(path));
    }
    try (InputStream in = TrainingText.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IOException("the default text " + DEFAULT_RESOURCE + " is missing from the classpath (the samples "
            + "build makes it in generate-resources); give a file with --text");
      }
      return of("ScopeFlow's own Java sources (scope module)", in.readAllBytes());
    }
  }

  /** A text from UTF-8 bytes. */
  static TrainingText of(String source, byte[] utf8) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      throw new UsageException("--text: " + source + " is not UTF-8 text (" + e + ")");
    }
    return new TrainingText(source, text.codePoints().toArray(), Hashing.sha256().hashBytes(utf8).toString());
  }

  int length() {
    return codePoints.length;
  }
}
