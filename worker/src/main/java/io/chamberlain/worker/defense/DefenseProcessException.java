package io.chamberlain.worker.defense;

/**
 * A defense process could not judge a context. {@code retryable} means the same event may
 * succeed later (a crashed or restarting program, a timeout); otherwise the input itself is bad
 * and the event should go to the dead letters with this message as the reason.
 */
public final class DefenseProcessException extends RuntimeException {

  private final boolean retryable;

  public DefenseProcessException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public DefenseProcessException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
