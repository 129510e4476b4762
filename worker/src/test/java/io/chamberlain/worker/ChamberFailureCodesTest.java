package io.chamberlain.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.defense.CorruptTraceException;
import io.chamberlain.wire.ChamberReplies;
import io.chamberlain.worker.defense.DefenseProcessException;
import io.chamberlain.worker.runtime.ChamberStateStore;
import io.chamberlain.worker.runtime.TraceSource;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table: which failure makes the gateway dead-letter at once, retry bounded, retry unbounded, or
 * route again. The corrupt trace never heals (dead-lettered at once); the missing one may (bounded retries).
 */
class ChamberFailureCodesTest {

  static Stream<Arguments> failures() {
    CorruptTraceException corrupt = new CorruptTraceException("trace checksum mismatch");
    TraceSource.MissingTraceException missing = new TraceSource.MissingTraceException("trace 'x' is not stored", null);
    return Stream.of(
        Arguments.of("corrupt stored trace", corrupt, true, ChamberReplies.TRACE_CORRUPT),
        Arguments.of("corrupt stored trace, NATS away since", corrupt, false, ChamberReplies.TRACE_CORRUPT),
        Arguments.of("defense refused its input", new DefenseProcessException("NaN in SVID 3", false), true,
            ChamberReplies.REJECTED),
        Arguments.of("missing trace", missing, true, ChamberReplies.TRACE_MISSING),
        Arguments.of("missing trace, NATS away", missing, false, ChamberReplies.UNAVAILABLE),
        Arguments.of("defense process crashed", new DefenseProcessException("exited with code 3", true), true,
            ChamberReplies.PROCESSING_FAILED),
        Arguments.of("defense program backing off, the event not given to it",
            DefenseProcessException.notTried("restarting after 3 failure(s)"), true, ChamberReplies.UNAVAILABLE),
        Arguments.of("trace read failed otherwise", new IllegalStateException("could not be read"), true,
            ChamberReplies.PROCESSING_FAILED),
        Arguments.of("NATS I/O", new IOException("timeout"), true, ChamberReplies.UNAVAILABLE),
        Arguments.of("anything while NATS is away", new IllegalStateException("?"), false, ChamberReplies.UNAVAILABLE),
        Arguments.of("state moved on elsewhere", new ChamberStateStore.StaleStateException("revision 7"), true,
            ChamberReplies.STALE_STATE),
        Arguments.of("state moved on elsewhere, NATS away", new ChamberStateStore.StaleStateException("revision 7"), false,
            ChamberReplies.STALE_STATE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void codeFor(String scenario, Throwable failure, boolean natsConnected, int expected) {
    assertEquals(expected, ChamberFailureCodes.codeFor(failure, natsConnected), scenario);
  }
}
