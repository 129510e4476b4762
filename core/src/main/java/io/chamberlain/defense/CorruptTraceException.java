package io.chamberlain.defense;

/**
 * A stored trace could not be decoded. The message says what was wrong (bad magic, unsupported
 * version, length mismatch, checksum) so the dead letter carries a useful reason. Retrying does
 * not help: the bytes will not change.
 */
public final class CorruptTraceException extends RuntimeException {

  public CorruptTraceException(String message) {
    super(message);
  }

  /** The same defect, said again with where the trace came from. */
  public CorruptTraceException(String message, CorruptTraceException cause) {
    super(message, cause);
  }
}
