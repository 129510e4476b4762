package io.chamberlain.lag;

/**
 * A lane's lag now and its verdict.
 *
 * @param pending events not acknowledged (undelivered + in flight)
 * @param ackRatePerSecond events acknowledged per second over the window
 * @param estimatedClearMillis pending / ack rate, or -1 when nothing is acknowledged (never clears at this rate)
 * @param reason the rule that decided the verdict, in words
 * @param trend how the backlog moved over the window: {@code GROWING}, {@code SHRINKING} or {@code STEADY}
 */
public record LagAssessment(LagVerdict verdict, String reason, long pending, long inFlight, long oldestPendingAgeMillis,
    double ackRatePerSecond, long estimatedClearMillis, Trend trend) {

  /** The backlog now against the window's first reading. */
  public enum Trend { GROWING, SHRINKING, STEADY }
}
