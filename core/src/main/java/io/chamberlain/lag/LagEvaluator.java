package io.chamberlain.lag;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Judges one ingestion lane's lag from its recent readings, the way Burrow judges a consumer group:
 * by how the backlog <em>evolves</em> over a sliding window, not by a threshold on its size. Readings
 * are fed in time order ({@link #record}); the window keeps those of the last {@code windowMillis}.
 * Rules, first match wins:
 * <ol>
 *   <li>{@link LagVerdict#STOP}: events wait and the consumer is missing, or the ack floor has not
 *       moved for {@link #STOP_WINDOWS} windows;
 *   <li>{@link LagVerdict#STALL}: events wait and the ack floor did not move across a full window;
 *   <li>{@link LagVerdict#WARN}: the oldest waiting event is older than half the SLA, or it got older
 *       at every reading of a full window;
 *   <li>{@link LagVerdict#OK} otherwise (also whenever nothing waits).
 * </ol>
 * Pure: no clock but the readings' own timestamps.
 */
public final class LagEvaluator {

  /** Ack floor frozen this many windows with events waiting: the lane has stopped, not stalled. */
  public static final int STOP_WINDOWS = 3;

  private final long windowMillis;
  private final long slaMillis;
  private final Deque<LagSample> window = new ArrayDeque<>();
  /** When the ack floor last moved (or nothing waited). */
  private long progressAt = Long.MIN_VALUE;
  private long lastFloor = -1;

  public LagEvaluator(long windowMillis, long slaMillis) {
    if (windowMillis <= 0 || slaMillis <= 0) {
      throw new IllegalArgumentException("window and SLA must be > 0 ms, were " + windowMillis + " and " + slaMillis);
    }
    this.windowMillis = windowMillis;
    this.slaMillis = slaMillis;
  }

  /** Adds a reading (readings older than the newest are ignored) and returns the lane's assessment. */
  public LagAssessment record(LagSample sample) {
    if (!window.isEmpty() && sample.atMillis() < window.peekLast().atMillis()) {
      return assess();
    }
    if (progressAt == Long.MIN_VALUE || sample.ackFloor() != lastFloor || sample.pending() == 0) {
      progressAt = sample.atMillis();
    }
    lastFloor = sample.ackFloor();
    window.addLast(sample);
    while (window.size() > 2 && sample.atMillis() - window.peekFirst().atMillis() > windowMillis) {
      window.removeFirst();
    }
    return assess();
  }

  private LagAssessment assess() {
    LagSample newest = window.peekLast();
    LagSample oldest = window.peekFirst();
    long span = newest.atMillis() - oldest.atMillis();
    double rate = span <= 0 ? 0 : (newest.ackFloor() - oldest.ackFloor()) * 1000.0 / span;
    long clear = newest.pending() == 0 ? 0 : rate > 0 ? Math.round(newest.pending() / rate * 1000) : -1;
    boolean fullWindow = span >= windowMillis;
    LagVerdict verdict;
    String reason;
    if (newest.pending() > 0 && !newest.consumerPresent()) {
      verdict = LagVerdict.STOP;
      reason = newest.pending() + " events wait and the lane has no consumer";
    } else if (newest.pending() > 0 && newest.atMillis() - progressAt >= STOP_WINDOWS * windowMillis) {
      verdict = LagVerdict.STOP;
      reason = "nothing acknowledged for " + (newest.atMillis() - progressAt) + " ms with " + newest.pending() + " waiting";
    } else if (newest.pending() > 0 && fullWindow && newest.ackFloor() == oldest.ackFloor()) {
      verdict = LagVerdict.STALL;
      reason = "nothing acknowledged in the last " + span + " ms with " + newest.pending() + " waiting";
    } else if (newest.pending() > 0 && newest.oldestPendingAgeMillis() > slaMillis / 2) {
      verdict = LagVerdict.WARN;
      reason = "the oldest waiting event is " + newest.oldestPendingAgeMillis() + " ms old (over half the SLA)";
    } else if (newest.pending() > 0 && fullWindow && olderAtEveryReading()) {
      verdict = LagVerdict.WARN;
      reason = "the oldest waiting event got older at every reading of the last " + span + " ms";
    } else {
      verdict = LagVerdict.OK;
      reason = newest.pending() == 0 ? "nothing waits" : "the backlog is young and moving";
    }
    LagAssessment.Trend trend = newest.pending() > oldest.pending() ? LagAssessment.Trend.GROWING
        : newest.pending() < oldest.pending() ? LagAssessment.Trend.SHRINKING : LagAssessment.Trend.STEADY;
    return new LagAssessment(verdict, reason, newest.pending(), newest.inFlight(), newest.oldestPendingAgeMillis(),
        rate, clear, trend);
  }

  private boolean olderAtEveryReading() {
    long previous = -1;
    for (LagSample sample : window) {
      if (sample.pending() == 0 || sample.oldestPendingAgeMillis() <= previous) {
        return false;
      }
      previous = sample.oldestPendingAgeMillis();
    }
    return window.size() > 2;
  }
}
