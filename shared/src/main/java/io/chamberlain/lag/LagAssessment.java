package io.chamberlain.lag;

/**
 * A lane's lag now and its verdict.
 *
 * @param pending events not acknowledged (undelivered + in flight)
 * @param ackRatePerSecond events acknowledged per second over the window
 * @param estimatedClearMillis pending / ack rate, or -1 when nothing is acknowledged (never clears at this rate)
 * @param reason the rule that decided the verdict, in words
 */
public record LagAssessment(LagVerdict verdict, String reason, long pending, long inFlight, long oldestPendingAgeMillis,
    double ackRatePerSecond, long estimatedClearMillis) {
}
