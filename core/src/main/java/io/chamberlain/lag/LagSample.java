package io.chamberlain.lag;

/**
 * One reading of an ingestion lane's consumer.
 *
 * @param atMillis when it was read
 * @param ackFloor the stream sequence below which every event of the lane is acknowledged
 * @param undelivered events in the lane not yet pulled by its gateway
 * @param inFlight events pulled and not yet acknowledged (queued, being processed, waiting for a route)
 * @param oldestPendingAgeMillis age of the oldest event not acknowledged, by its stream timestamp; 0 with none
 * @param consumerPresent whether the lane's consumer exists (a lane nobody ever ingested has none)
 */
public record LagSample(long atMillis, long ackFloor, long undelivered, long inFlight, long oldestPendingAgeMillis,
    boolean consumerPresent) {

  public long pending() {
    return undelivered + inFlight;
  }
}
