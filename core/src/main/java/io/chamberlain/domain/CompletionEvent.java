package io.chamberlain.domain;

/**
 * A chamber finished a context (one wafer run). Published by the data collector to
 * {@code dc.{toolId}.{chamberId}.completed}; {@code traceRef} optionally names the object-store
 * entry holding the context's trace.
 */
public record CompletionEvent(ChamberKey chamber, String contextId, long completedAt, String traceRef) {

  public CompletionEvent {
    if (chamber == null) {
      throw new IllegalArgumentException("completion event has no chamber");
    }
    Ids.require("contextId", contextId);
    if (completedAt <= 0) {
      throw new IllegalArgumentException(
          "completion event for " + chamber + ": completedAt must be epoch millis > 0, was " + completedAt);
    }
  }
}
