package io.chamberlain.worker.runtime;

import io.chamberlain.defense.Trace;
import io.chamberlain.defense.TraceCodec;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.ObjectStore;
import java.io.ByteArrayOutputStream;

/**
 * Where a context's trace comes from: the NATS object store entry named by the event's
 * {@code traceRef} (what collectors store before publishing), or — for events without one, as in
 * simple demos — generated deterministically from (chamber, context) with the chamber's profile.
 * A missing or corrupt stored trace is an error the gateway retries and finally dead-letters.
 */
public final class TraceSource {

  private final Connection nats;
  private final TraceGenerator generator;
  private volatile ObjectStore traces;

  public TraceSource(Connection nats, TraceGenerator generator) {
    this.nats = nats;
    this.generator = generator;
  }

  public Trace traceOf(CompletionEvent event, ChamberProfile profile) throws Exception {
    if (event.traceRef() == null) {
      return generator.generate(profile, event.contextId()).trace();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      store().get(event.traceRef(), bytes);
    } catch (Exception e) {
      throw new IllegalStateException("trace '" + event.traceRef() + "' of context " + event.contextId()
          + " could not be read from object store " + Subjects.TRACE_BUCKET + ": " + e.getMessage(), e);
    }
    return TraceCodec.decode(bytes.toByteArray());
  }

  private ObjectStore store() throws Exception {
    if (traces == null) {
      traces = nats.objectStore(Subjects.TRACE_BUCKET);
    }
    return traces;
  }
}
