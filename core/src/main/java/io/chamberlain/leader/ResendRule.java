package io.chamberlain.leader;

/**
 * When the leader sends a defender the whole assignment again instead of trusting the deltas: its
 * heartbeat says it holds an older epoch than the one published, and still does more than two
 * heartbeat intervals after that publication — it missed the broadcast (it joined between publish
 * and subscribe, or lost a delta). Heartbeats sent just before the defender applied a delta do not
 * count, or every epoch would cost one whole-assignment broadcast per defender.
 */
public record ResendRule(long heartbeatIntervalMillis) {

  public ResendRule {
    if (heartbeatIntervalMillis <= 0) {
      throw new IllegalArgumentException("heartbeat interval must be > 0 ms, was " + heartbeatIntervalMillis);
    }
  }

  /**
   * @param heldEpoch the epoch the defender's heartbeat says it holds
   * @param publishedEpoch the newest epoch published
   * @param publishedAtMillis when it was broadcast (leader's clock)
   */
  public boolean missed(long heldEpoch, long publishedEpoch, long publishedAtMillis, long nowMillis) {
    return heldEpoch < publishedEpoch && nowMillis - publishedAtMillis > 2 * heartbeatIntervalMillis;
  }
}
