package io.chamberlain.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.ingest.CompletionsRoom.Decision;
import io.chamberlain.ingest.CompletionsRoom.LaneReading;
import io.chamberlain.ingest.CompletionsRoom.StreamReading;
import io.chamberlain.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random streams against the room policy: events of random sizes spread over 1–4 lanes, each lane
 * with or without a consumer that delivered a random prefix of its events and acknowledged a random
 * subset of them, its ack floor where nats-server keeps it (one below its first event not
 * acknowledged) or, as a stale reading, anywhere below, its counts as the server reports them; the
 * gate open or closed. Safety: every event below the cut is judged; the gate closes only while
 * un-judged events hold the cut back, leaving at most half the room left for more events (or the one
 * event always left). Liveness: with everything judged and read as the server reports it, above the
 * high-water mark, a cut is made, nothing holds it back, and a closed gate opens.
 * {@value #STREAMS} streams from a fixed base seed (logged; {@code -Dchamberlain.seed} replays one).
 */
class CompletionsRoomPropertiesTest {

  private static final int STREAMS = 5_000;
  private static final long GATE_SEED = 20_261_205L;

  @Test
  void onlyJudgedEventsAreEverCutAndAllJudgedStreamsAreCut() {
    long base = Seeds.base("CompletionsRoomPropertiesTest", GATE_SEED);
    for (int i = 0; i < STREAMS; i++) {
      long seed = base + i;
      try {
        check(new Random(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("stream seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private static void check(Random random) {
    int lanes = 1 + random.nextInt(4);
    int events = 1 + random.nextInt(300);
    long first = 1 + random.nextInt(50);
    long last = first + events - 1;
    int[] laneOf = new int[events];
    long bytes = 0;
    for (int e = 0; e < events; e++) {
      laneOf[e] = random.nextInt(lanes);
      bytes += 50 + random.nextInt(450);
    }
    long maxBytes = (long) (bytes * (0.9 + random.nextDouble() * 0.7));
    boolean[] judged = new boolean[events];
    List<LaneReading> readings = new ArrayList<>();
    boolean allJudged = true;
    boolean staleFloors = false;
    for (int lane = 0; lane < lanes; lane++) {
      boolean stale = random.nextInt(3) == 0;
      staleFloors |= stale;
      readings.add(readLane(random, lane, laneOf, first, last, judged, stale));
    }
    for (int e = 0; e < events; e++) {
      allJudged &= judged[e];
    }

    long gate = random.nextInt(3) == 0 ? events + random.nextInt(10) : 0;
    StreamReading stream = new StreamReading(first, last, events, bytes, maxBytes, gate);
    Decision decision = CompletionsRoom.decide(stream, readings);
    if (decision.purges()) {
      assertTrue(decision.purgeBefore() > first && decision.purgeBefore() <= last, "cut " + decision.purgeBefore()
          + " outside (" + first + ", " + last + "]");
      for (long seq = first; seq < decision.purgeBefore(); seq++) {
        assertTrue(judged[(int) (seq - first)], "un-judged event " + seq + " below the cut " + decision.purgeBefore());
      }
    }
    if (decision.gate() == CompletionsRoom.GateChange.CLOSE) {
      assertTrue(decision.heldBack(), "closed though nothing un-judged held the cut back");
      double average = (double) bytes / events;
      long left = events - (decision.purges() ? decision.purgeBefore() - first : 0);
      double room = maxBytes - left * average;
      assertTrue(decision.gateHeadroom() == 1 || decision.gateHeadroom() * average * 2 <= room + 1e-6,
          "headroom " + decision.gateHeadroom() + " beyond half the room left");
    }
    if (allJudged && !staleFloors && stream.fill() >= CompletionsRoom.HIGH_WATER && events >= 8) {
      assertTrue(decision.purges(), "all judged at fill " + stream.fill() + " and nothing cut");
      assertFalse(decision.heldBack(), "nothing un-judged, yet held back by lane " + decision.heldBy());
    }
    if (allJudged && !staleFloors && stream.gateClosed()) {
      assertEquals(CompletionsRoom.GateChange.OPEN, decision.gate(), "all judged and the gate left closed");
    }
  }

  /**
   * Lane {@code lane}'s consumer state as nats-server would report it, with a lower floor if
   * {@code staleFloor}; marks the lane's judged events.
   */
  private static LaneReading readLane(Random random, int lane, int[] laneOf, long first, long last, boolean[] judged,
      boolean staleFloor) {
    List<Long> own = new ArrayList<>();
    for (int e = 0; e < laneOf.length; e++) {
      if (laneOf[e] == lane) {
        own.add(first + e);
      }
    }
    if (random.nextInt(10) == 0) {
      return LaneReading.withoutConsumer(own.isEmpty() ? LaneReading.NONE : own.get(0));
    }
    int delivered = random.nextInt(own.size() + 1);
    double ackShare = new double[] {0, 0.5, 0.9, 1}[random.nextInt(4)];
    long ackPending = 0;
    long firstUnjudged = LaneReading.NONE;
    for (int i = 0; i < own.size(); i++) {
      long seq = own.get(i);
      boolean acked = i < delivered && random.nextDouble() < ackShare;
      judged[(int) (seq - first)] = acked;
      if (i < delivered && !acked) {
        ackPending++;
      }
      if (!acked && firstUnjudged == LaneReading.NONE) {
        firstUnjudged = seq;
      }
    }
    // The server's floor is one below the first event not acknowledged; all acknowledged, its last
    // delivered one (the last sequence here: the lane's later sequences are other lanes').
    long serverFloor = firstUnjudged == LaneReading.NONE ? last : firstUnjudged - 1;
    long floor = staleFloor ? (long) (random.nextDouble() * (serverFloor + 1)) : serverFloor;
    long firstAbove = LaneReading.NONE;
    for (long seq : own) {
      if (seq > floor) {
        firstAbove = seq;
        break;
      }
    }
    return LaneReading.consumer(floor, own.size() - delivered, ackPending, firstAbove);
  }
}
