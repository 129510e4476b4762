package io.chamberlain.worker.runtime;

import io.chamberlain.defense.CorruptTraceException;
import io.chamberlain.defense.Trace;
import io.chamberlain.defense.TraceCodec;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.ObjectStore;
import io.nats.client.api.ObjectInfo;
import java.io.ByteArrayOutputStream;

/**
 * Where a context's trace comes from: the NATS object store entry named by the event's
 * {@code traceRef} (what collectors store before publishing), or — for events without one, as in
 * simple demos — generated deterministically from (chamber, context) with the chamber's profile.
 *
 * <p>The two ways a stored trace can fail are told apart, because only one of them can heal:
 * <ul>
 *   <li>missing ({@link MissingTraceException}) — the collector may still be writing it (an object
 *       becomes visible only once complete) or it expired; a retry may find it, so the gateway retries
 *       and dead-letters after {@code ingest.maxProcessingAttempts};
 *   <li>corrupt ({@link CorruptTraceException}, naming the trace, the context and the defect) — the
 *       stored bytes will never change, so the event is dead-lettered at once.
 * </ul>
 * Any other read failure (NATS away, a timeout) is an {@link IllegalStateException} naming the
 * trace: retried like a failed defense (not counted while NATS is away). Blocking: worker threads only.
 */
public final class TraceSource {

  /** The event names a trace the object store does not hold (not yet, or no longer). */
  public static final class MissingTraceException extends Exception {
    public MissingTraceException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Connection nats;
  private final TraceGenerator generator;
  private final String bucket;
  private volatile ObjectStore traces;

  public TraceSource(Connection nats, TraceGenerator generator) {
    this(nats, generator, Subjects.TRACE_BUCKET);
  }

  /** A source reading another object store bucket of the same format (the benchmark's). */
  public TraceSource(Connection nats, TraceGenerator generator, String bucket) {
    this.nats = nats;
    this.generator = generator;
    this.bucket = bucket;
  }

  public Trace traceOf(CompletionEvent event, ChamberProfile profile) throws Exception {
    if (event.traceRef() == null) {
      return generator.generate(profile, event.contextId()).trace();
    }
    return decode(event, fetch(event));
  }

  /** The stored bytes of the event's trace ({@code traceRef} must be set). */
  public byte[] fetch(CompletionEvent event) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      store().get(event.traceRef(), bytes);
    } catch (Exception failed) {
      if (isMissing(event.traceRef())) {
        throw new MissingTraceException("trace '" + event.traceRef() + "' of context " + event.contextId()
            + " is not in object store " + bucket + " (not stored yet, or expired)", failed);
      }
      throw new IllegalStateException("trace '" + event.traceRef() + "' of context " + event.contextId()
          + " could not be read from object store " + bucket + ": " + failed.getMessage(), failed);
    }
    return bytes.toByteArray();
  }

  /** @throws CorruptTraceException naming the trace, its context and what is wrong with the bytes */
  public Trace decode(CompletionEvent event, byte[] bytes) {
    try {
      return TraceCodec.decode(bytes);
    } catch (CorruptTraceException corrupt) {
      throw new CorruptTraceException("trace '" + event.traceRef() + "' of context " + event.contextId()
          + " in object store " + bucket + " is corrupt: " + corrupt.getMessage(), corrupt);
    }
  }

  /** Asked only after a failed read, so the common path costs no extra round trip. */
  private boolean isMissing(String traceRef) {
    try {
      ObjectInfo info = store().getInfo(traceRef);
      return info == null || info.isDeleted();
    } catch (Exception unknown) {
      return false; // cannot tell: the original failure is reported
    }
  }

  private ObjectStore store() throws Exception {
    if (traces == null) {
      traces = nats.objectStore(bucket);
    }
    return traces;
  }
}
