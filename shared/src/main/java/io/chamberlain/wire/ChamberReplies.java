package io.chamberlain.wire;

/**
 * Failure codes a chamber verticle replies with, and what the gateway does with each. A success
 * reply is {@code {"verdict":…,"publishedAt":…,"duplicate":…,"defender":…}}.
 */
public final class ChamberReplies {

  private ChamberReplies() {
  }

  /** Routed by a stale view: this defender does not own the chamber. Retry later. */
  public static final int NOT_OWNER = 409;
  /** The event itself is invalid; retrying cannot help. Dead-letter. */
  public static final int BAD_EVENT = 400;
  /** The defense process failed. Retry, then dead-letter after the configured attempts. */
  public static final int PROCESSING_FAILED = 500;
}
