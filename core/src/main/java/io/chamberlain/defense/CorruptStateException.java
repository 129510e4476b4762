package io.chamberlain.defense;

/** Persisted chamber state could not be read; the message says what was wrong. */
public final class CorruptStateException extends RuntimeException {

  public CorruptStateException(String message) {
    super(message);
  }

  public CorruptStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
