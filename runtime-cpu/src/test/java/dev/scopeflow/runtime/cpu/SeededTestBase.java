package dev.scopeflow.runtime.cpu;

import java.util.Random;

/**
 * Fresh random inputs per test: JUnit makes an instance per test method, so each test gets its own seed (named in
 * the failure messages) and a {@link Random} from it.
 */
public abstract class SeededTestBase {
  protected final long seed = System.nanoTime();
  protected final Random random = new Random(seed);
}
