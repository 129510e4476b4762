package io.chamberlain.worker.defense;

/**
 * A defense process could not judge a context. {@code retryable} means the same event may
 * succeed later (a crashed or restarting program, a timeout); otherwise the input itself is bad
 * and the event should go to the dead letters with this message as the reason. An event the
 * process was {@linkplain #notTried not even given} (its program is waiting out a restart back-off)
 * is retryable and must not count against the event's attempts: it did nothing wrong, and a good
 * event arriving after a bad one would otherwise be dead-lettered within the back-off.
 */
public final class DefenseProcessException extends RuntimeException {

  private final boolean retryable;
  private final boolean tried;

  public DefenseProcessException(String message, boolean retryable) {
    this(message, retryable, true, null);
  }

  public DefenseProcessException(String message, boolean retryable, Throwable cause) {
    this(message, retryable, true, cause);
  }

  private DefenseProcessException(String message, boolean retryable, boolean tried, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.tried = tried;
  }

  /** The process could not take the event now (restarting, closed); the event was not tried. */
  public static DefenseProcessException notTried(String message) {
    return new DefenseProcessException(message, true, false, null);
  }

  public boolean retryable() {
    return retryable;
  }

  /** Whether the process was given the event; false: the attempt does not count. */
  public boolean tried() {
    return tried;
  }
}
