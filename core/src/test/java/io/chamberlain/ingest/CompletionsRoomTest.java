package io.chamberlain.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.ingest.CompletionsRoom.Decision;
import io.chamberlain.ingest.CompletionsRoom.GateChange;
import io.chamberlain.ingest.CompletionsRoom.LaneReading;
import io.chamberlain.ingest.CompletionsRoom.StreamReading;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The room policy by scenario: when it cuts, how far, what holds it back, and when it closes the stream. */
class CompletionsRoomTest {

  /** 1,000 events of 100 bytes, sequences 1–1,000, in a stream of 100,000 bytes: full. */
  private static final StreamReading FULL = new StreamReading(1, 1_000, 1_000, 100_000, 100_000);
  private static final LaneReading IDLE = LaneReading.consumer(1_000, 0, 0, LaneReading.NONE);

  static List<Arguments> scenarios() {
    return List.of(
        Arguments.of("below the high-water mark: nothing",
            new StreamReading(1, 790, 790, 79_000, 100_000), List.of(IDLE), Decision.NOTHING, -1),
        Arguments.of("at the high-water mark, everything judged: down to the low-water mark",
            new StreamReading(1, 800, 800, 80_000, 100_000), List.of(LaneReading.consumer(800, 0, 0, LaneReading.NONE)),
            201L, -1),
        Arguments.of("full, everything judged: 400 events of 100 bytes go",
            FULL, List.of(IDLE), 401L, -1),
        Arguments.of("full, first event 501: the estimate counts from the first sequence",
            new StreamReading(501, 1_500, 1_000, 100_000, 100_000),
            List.of(LaneReading.consumer(1_500, 0, 0, LaneReading.NONE)),
            901L, -1),
        Arguments.of("a lane with a backlog from 301 holds the cut at 301",
            FULL, List.of(IDLE, LaneReading.consumer(300, 650, 50, 301)), 301L, 1),
        Arguments.of("a lane whose first un-acknowledged event is the first stored one holds everything back",
            FULL, List.of(LaneReading.consumer(0, 0, 1, 1), IDLE), Decision.NOTHING, 0),
        Arguments.of("a backlog above the low-water cut does not hold it back",
            FULL, List.of(IDLE, LaneReading.consumer(700, 0, 10, 701)), 401L, -1),
        Arguments.of("an idle lane whose last event is old does not hold it back",
            FULL, List.of(LaneReading.consumer(12, 0, 0, LaneReading.NONE), IDLE), 401L, -1),
        Arguments.of("events pending by count: the ack floor holds, though the lane's next event is further up",
            FULL, List.of(LaneReading.consumer(100, 5, 0, 350), IDLE), 101L, 0),
        Arguments.of("counts say un-acknowledged though no event is found above the floor: the floor holds",
            FULL, List.of(LaneReading.consumer(250, 0, 3, LaneReading.NONE), IDLE), 251L, 0),
        Arguments.of("counts say idle though an event is found above the floor: that event holds (other lanes' below it go)",
            FULL, List.of(LaneReading.consumer(250, 0, 0, 260), IDLE), 260L, 0),
        Arguments.of("a lane without a consumer holds the cut at its first event",
            FULL, List.of(IDLE, LaneReading.withoutConsumer(120)), 120L, 1),
        Arguments.of("a lane without a consumer and without events holds nothing",
            FULL, List.of(IDLE, LaneReading.withoutConsumer(LaneReading.NONE)), 401L, -1),
        Arguments.of("the lowest of several backlogs holds",
            FULL, List.of(LaneReading.consumer(300, 1, 0, 301), LaneReading.consumer(150, 9, 9, 151), IDLE), 151L, 1),
        Arguments.of("a stream without a size limit: nothing",
            new StreamReading(1, 1_000, 1_000, 100_000, -1), List.of(IDLE), Decision.NOTHING, -1),
        Arguments.of("an empty stream: nothing",
            new StreamReading(1_001, 1_000, 0, 0, 100_000), List.of(IDLE), Decision.NOTHING, -1),
        Arguments.of("one big event: nothing to cut without removing all",
            new StreamReading(7, 7, 1, 90_000, 100_000), List.of(LaneReading.consumer(7, 0, 0, LaneReading.NONE)),
            Decision.NOTHING, -1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void decides(String scenario, StreamReading stream, List<LaneReading> lanes, long purgeBefore, int heldBy) {
    Decision decision = CompletionsRoom.decide(stream, lanes);
    assertEquals(purgeBefore, decision.purgeBefore(), scenario);
    assertEquals(heldBy, decision.heldBy(), scenario);
    assertEquals(stream.fill(), decision.fill(), 1e-9);
  }

  static List<Arguments> gates() {
    long closed = 2_000;
    return List.of(
        Arguments.of("full of un-judged events from the first one: closed, one more for an event stored meanwhile",
            FULL, List.of(LaneReading.consumer(0, 0, 1, 1)), GateChange.CLOSE, 1L),
        Arguments.of("95 % un-judged after the cut: closed after half the room left, at the average size",
            FULL, List.of(LaneReading.consumer(50, 900, 50, 51)), GateChange.CLOSE, 25L),
        Arguments.of("70 % un-judged after the cut: left open",
            FULL, List.of(LaneReading.consumer(300, 650, 50, 301)), GateChange.KEEP, 0L),
        Arguments.of("everything judged: never closed",
            FULL, List.of(IDLE), GateChange.KEEP, 0L),
        Arguments.of("closed, and the cut brings it to the low-water mark: opened",
            withGate(FULL, closed), List.of(IDLE), GateChange.OPEN, 0L),
        Arguments.of("closed, still 95 % un-judged: kept closed",
            withGate(FULL, closed), List.of(LaneReading.consumer(50, 900, 50, 51)), GateChange.KEEP, 0L),
        Arguments.of("closed, 85 % un-judged after the cut: kept closed until below the high-water mark",
            withGate(FULL, closed), List.of(LaneReading.consumer(150, 800, 50, 151)), GateChange.KEEP, 0L),
        Arguments.of("closed, 75 % un-judged after the cut: opened",
            withGate(FULL, closed), List.of(LaneReading.consumer(250, 700, 50, 251)), GateChange.OPEN, 0L),
        Arguments.of("closed and below the high-water mark: opened",
            new StreamReading(1, 100, 100, 10_000, 100_000, closed), List.of(IDLE), GateChange.OPEN, 0L),
        Arguments.of("closed, one judged event too big to estimate a cut: opened, nothing un-judged holds it",
            new StreamReading(7, 7, 1, 90_000, 100_000, closed), List.of(LaneReading.consumer(7, 0, 0, LaneReading.NONE)),
            GateChange.OPEN, 0L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gates")
  void gates(String scenario, StreamReading stream, List<LaneReading> lanes, GateChange gate, long headroom) {
    Decision decision = CompletionsRoom.decide(stream, lanes);
    assertEquals(gate, decision.gate(), scenario);
    assertEquals(headroom, decision.gateHeadroom(), scenario);
  }

  private static StreamReading withGate(StreamReading stream, long maxMessages) {
    return new StreamReading(stream.firstSequence(), stream.lastSequence(), stream.messages(), stream.bytes(),
        stream.maxBytes(), maxMessages);
  }

  @Test
  void neverCutsTheNewestEventReadBeforeTheLanes() {
    // Ten times over its limit, all judged: the estimate keeps the newest event, whatever the lanes say.
    StreamReading overFull = new StreamReading(1, 10, 10, 1_000, 100);
    assertEquals(10, CompletionsRoom.decide(overFull, List.of(LaneReading.consumer(10, 0, 0, LaneReading.NONE)))
        .purgeBefore());
    // A lane read later saw events stored after the stream was read (its floor and next event beyond 10).
    assertEquals(10, CompletionsRoom.decide(overFull, List.of(LaneReading.consumer(15, 0, 0, 16))).purgeBefore());
    assertEquals(10, LaneReading.consumer(15, 0, 0, 16).judgedThrough(10),
        "events stored after the stream was read are never called judged");
  }

  @Test
  void judgedThroughTakesTheLowerOfEventsAndCounts() {
    assertEquals(1_000, IDLE.judgedThrough(1_000));
    assertEquals(299, LaneReading.consumer(250, 0, 0, 300).judgedThrough(1_000), "the event found above the floor");
    assertEquals(250, LaneReading.consumer(250, 2, 0, LaneReading.NONE).judgedThrough(1_000), "pending by count");
    assertEquals(250, LaneReading.consumer(250, 2, 0, 400).judgedThrough(1_000), "the floor, the lower");
    assertEquals(0, LaneReading.withoutConsumer(1).judgedThrough(1_000));
  }

  @Test
  void aHeldBackDecisionSaysSoAndStillCutsWhatIsJudged() {
    Decision decision = CompletionsRoom.decide(FULL, List.of(LaneReading.consumer(200, 100, 0, 201)));
    assertTrue(decision.purges());
    assertTrue(decision.heldBack());
    assertEquals(201, decision.purgeBefore());
    Decision belowHighWater = CompletionsRoom.decide(new StreamReading(1, 10, 10, 10, 100), List.of(IDLE));
    assertFalse(belowHighWater.purges());
    assertFalse(belowHighWater.heldBack(), "no room wanted, nothing held back");
  }

  @Test
  void inconsistentReadingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new StreamReading(10, 5, 0, 0, 100));
    assertThrows(IllegalArgumentException.class, () -> new StreamReading(1, 5, 6, 0, 100));
    assertThrows(IllegalArgumentException.class, () -> LaneReading.consumer(10, 0, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> new LaneReading(false, 3, 0, 0, LaneReading.NONE));
    assertThrows(IllegalArgumentException.class, () -> CompletionsRoom.decide(FULL, List.of()));
  }
}
