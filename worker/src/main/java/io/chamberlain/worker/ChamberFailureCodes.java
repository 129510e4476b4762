package io.chamberlain.worker;

import io.chamberlain.defense.CorruptTraceException;
import io.chamberlain.wire.ChamberReplies;
import io.chamberlain.worker.defense.DefenseProcessException;
import io.chamberlain.worker.runtime.ChamberStateStore;
import io.chamberlain.worker.runtime.TraceSource;
import java.io.IOException;

/**
 * What a chamber verticle tells the gateway when an event failed ({@link ChamberReplies}), i.e.
 * whether retrying can help and whether a retry counts against {@code ingest.maxProcessingAttempts}.
 * Decided in this order:
 * <ol>
 *   <li>bad input that no retry can heal — a corrupt stored trace ({@link ChamberReplies#TRACE_CORRUPT}),
 *       a defense process refusing its input ({@link ChamberReplies#REJECTED}) — is dead-lettered at
 *       once, the message as the reason. Checked first: decoding bytes already read does not depend on NATS;
 *   <li>the chamber's state moved on elsewhere → {@link ChamberReplies#STALE_STATE} (route again);
 *   <li>NATS out of reach, or a defense process that could not even be given the event (its program
 *       waits out a restart back-off) → {@link ChamberReplies#UNAVAILABLE} (retry, not counted);
 *   <li>a missing trace ({@link io.chamberlain.worker.runtime.TraceSource.MissingTraceException}: the
 *       collector may still be writing it) is {@link ChamberReplies#TRACE_MISSING}, everything else
 *       {@link ChamberReplies#PROCESSING_FAILED}: both retried, dead-lettered after the configured attempts
 *       (the reason token tells the operator which to look at: the collector or the defense).
 * </ol>
 */
final class ChamberFailureCodes {

  private ChamberFailureCodes() {
  }

  static int codeFor(Throwable failure, boolean natsConnected) {
    if (failure instanceof CorruptTraceException) {
      return ChamberReplies.TRACE_CORRUPT;
    }
    if (failure instanceof DefenseProcessException refused && !refused.retryable()) {
      return ChamberReplies.REJECTED;
    }
    if (failure instanceof ChamberStateStore.StaleStateException) {
      return ChamberReplies.STALE_STATE;
    }
    if (failure instanceof IOException || !natsConnected
        || failure instanceof DefenseProcessException notGiven && !notGiven.tried()) {
      return ChamberReplies.UNAVAILABLE;
    }
    if (failure instanceof TraceSource.MissingTraceException) {
      return ChamberReplies.TRACE_MISSING;
    }
    return ChamberReplies.PROCESSING_FAILED;
  }
}
