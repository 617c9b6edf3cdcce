package dev.scopeflow.checkpoint;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One SSTable block as TF's {@code table::BlockBuilder} lays it out: entries {@code varint32 shared, varint32
 * unshared, varint32 value_length, key_delta, value} with keys prefix-compressed against the previous key, a full
 * key every {@code restartInterval} entries (a restart point), then the {@code fixed32} restart offsets and their
 * count.
 */
final class BlockBuilder {
  private final int restartInterval;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final List<Integer> restarts = new ArrayList<>();
  private byte[] lastKey = new byte[0];
  private int counter;
  private int entries;

  BlockBuilder(int restartInterval) {
    this.restartInterval = restartInterval;
    restarts.add(0);
  }

  void add(byte[] key, byte[] value) {
    int shared = 0;
    if (counter < restartInterval) {
      int min = Math.min(lastKey.length, key.length);
      while (shared < min && lastKey[shared] == key[shared]) {
        shared++;
      }
    } else {
      restarts.add(buffer.size());
      counter = 0;
    }
    int nonShared = key.length - shared;
    Coding.putVarint64(buffer, shared);
    Coding.putVarint64(buffer, nonShared);
    Coding.putVarint64(buffer, value.length);
    buffer.write(key, shared, nonShared);
    buffer.write(value, 0, value.length);
    lastKey = Arrays.copyOf(key, key.length);
    counter++;
    entries++;
  }

  /** Starts a new block. */
  void reset() {
    buffer.reset();
    restarts.clear();
    restarts.add(0);
    lastKey = new byte[0];
    counter = 0;
    entries = 0;
  }

  boolean isEmpty() {
    return entries == 0;
  }

  /** TF's {@code CurrentSizeEstimate}: the bytes {@link #finish()} would return. */
  int currentSizeEstimate() {
    return buffer.size() + restarts.size() * 4 + 4;
  }

  /** The block's bytes: entries, restart array and restart count. */
  byte[] finish() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(currentSizeEstimate());
    byte[] body = buffer.toByteArray();
    out.write(body, 0, body.length);
    for (int r : restarts) {
      Coding.putFixed32(out, r);
    }
    Coding.putFixed32(out, restarts.size());
    return out.toByteArray();
  }
}
