package io.chamberlain.wire;

/**
 * Failure codes a chamber verticle replies with, and what the gateway does with each. A success
 * reply is a {@link VerdictReceipt}.
 */
public final class ChamberReplies {

  private ChamberReplies() {
  }

  /**
   * This defender does not serve the chamber (yet): the sender's view or the defender's is behind,
   * or the chamber is still starting here. Route again.
   */
  public static final int NOT_OWNER = 409;
  /** The defender is stopping for a restart; its chambers are held for it. Route again when it is back. */
  public static final int RESTARTING = 425;
  /** The event itself is invalid; retrying cannot help. Dead-letter. */
  public static final int BAD_EVENT = 400;
  /**
   * The chamber's state moved on twice while this owner judged the event (another defender wrote it:
   * a handover still settling, or this owner was deposed). Nothing was published; route again.
   */
  public static final int STALE_STATE = 503;
  /**
   * NATS was out of reach while the event was processed (trace, verdict or state): nothing is wrong
   * with the event. Retry without counting it as a failed attempt.
   */
  public static final int UNAVAILABLE = 502;
  /** The defense process refused the event as bad input (not retryable). Dead-letter now. */
  public static final int REJECTED = 422;
  /**
   * The event's stored trace is cut short or garbage: its bytes never change. Dead-letter now with
   * reason {@link CompletionCodec.Rejection#TRACE_CORRUPT}.
   */
  public static final int TRACE_CORRUPT = 415;
  /**
   * The event names a trace the object store does not hold (the collector may still be writing it).
   * Retry like a failed defense, then dead-letter with reason {@link CompletionCodec.Rejection#TRACE_MISSING}.
   */
  public static final int TRACE_MISSING = 404;
  /** The defense process failed. Retry, then dead-letter after the configured attempts. */
  public static final int PROCESSING_FAILED = 500;
}
