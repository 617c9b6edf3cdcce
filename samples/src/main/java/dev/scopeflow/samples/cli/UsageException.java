package dev.scopeflow.samples.cli;

/** Wrong command-line arguments: the message says what was wrong; the launcher prints it and exits with 2. */
public final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
