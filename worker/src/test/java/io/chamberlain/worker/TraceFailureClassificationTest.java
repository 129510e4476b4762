package io.chamberlain.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.defense.CorruptTraceException;
import io.chamberlain.defense.Trace;
import io.chamberlain.defense.TraceCodec;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.ChamberReplies;
import io.chamberlain.wire.Subjects;
import io.chamberlain.worker.runtime.TraceSource;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A stored trace as a chamber verticle reads it, against a real nats-server object store, and the
 * reply its failure earns: corrupt bytes are rejected (dead-lettered at once, the defect named);
 * a trace not stored yet is an ordinary, bounded retry — and the retry succeeds once it is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceFailureClassificationTest {

  private static final ChamberProfile PROFILE = new ChamberProfile(ChamberKey.parse("tool001:1"), 3, 2, 10);
  private static final TraceGenerator GENERATOR = new TraceGenerator(new TraceGenerator.Settings(1, 0, 1));

  private NatsTestServer server;
  private Connection nats;
  private ObjectStore collector;
  private TraceSource traces;

  @BeforeAll
  void start() throws Exception {
    server = NatsTestServer.start();
    nats = Nats.connect(server.url());
    JetStreamSetup.ensureTraces(nats, Duration.ofMinutes(5));
    collector = nats.objectStore(Subjects.TRACE_BUCKET);
    traces = new TraceSource(nats, GENERATOR);
  }

  @AfterAll
  void stop() throws Exception {
    nats.close();
    server.close();
  }

  private static CompletionEvent event(String contextId) {
    return new CompletionEvent(PROFILE.chamber(), contextId, 1_700_000_000_000L, "trace-" + contextId);
  }

  private static Trace generated(String contextId) {
    return GENERATOR.generate(PROFILE, contextId).trace();
  }

  private static int codeOf(Exception failure) {
    return ChamberFailureCodes.codeFor(failure, true);
  }

  @Test
  void aStoredTraceIsReadBackAsStored() throws Exception {
    collector.put("trace-c1", TraceCodec.encode(generated("c1")));
    Trace read = traces.traceOf(event("c1"), PROFILE);
    assertArrayEquals(generated("c1").series(2), read.series(2));
  }

  @Test
  void anEventWithoutTraceRefGetsItsGeneratedTrace() throws Exception {
    CompletionEvent noRef = new CompletionEvent(PROFILE.chamber(), "c2", 1_700_000_000_000L, null);
    assertArrayEquals(generated("c2").series(0), traces.traceOf(noRef, PROFILE).series(0));
  }

  @Test
  void aCorruptStoredTraceIsRejectedWithItsDefectNamed() throws Exception {
    byte[] bytes = TraceCodec.encode(generated("c3"));
    bytes[TraceCodec.HEADER_BYTES + 5] ^= 0x40; // one flipped bit in the payload
    collector.put("trace-c3", bytes);

    CorruptTraceException corrupt = assertThrows(CorruptTraceException.class, () -> traces.traceOf(event("c3"), PROFILE));

    assertTrue(corrupt.getMessage().startsWith("trace 'trace-c3' of context c3 in object store " + Subjects.TRACE_BUCKET
        + " is corrupt: trace checksum mismatch"), corrupt.getMessage());
    assertEquals(ChamberReplies.TRACE_CORRUPT, codeOf(corrupt), "dead-lettered at once: the bytes will not change");
  }

  @Test
  void aMissingTraceIsARetryThatSucceedsOnceTheCollectorStoredIt() throws Exception {
    TraceSource.MissingTraceException missing = assertThrows(TraceSource.MissingTraceException.class,
        () -> traces.traceOf(event("c4"), PROFILE));
    assertTrue(missing.getMessage().contains("trace 'trace-c4' of context c4 is not in object store"), missing.getMessage());
    assertEquals(ChamberReplies.TRACE_MISSING, codeOf(missing), "retried, dead-lettered after maxProcessingAttempts");

    collector.put("trace-c4", TraceCodec.encode(generated("c4")));
    assertArrayEquals(generated("c4").series(1), traces.traceOf(event("c4"), PROFILE).series(1));
  }

  @Test
  void aDeletedTraceIsMissingToo() throws Exception {
    collector.put("trace-c5", TraceCodec.encode(generated("c5")));
    collector.delete("trace-c5");
    Exception missing = assertThrows(TraceSource.MissingTraceException.class, () -> traces.traceOf(event("c5"), PROFILE));
    assertEquals(ChamberReplies.TRACE_MISSING, codeOf(missing));
  }
}
