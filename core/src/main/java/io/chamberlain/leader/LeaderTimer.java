package io.chamberlain.leader;

/**
 * The deadlines the leader asks its adapter to wake it at ({@link LeaderDecision.SetTimer}). One
 * pending timer per name: a new deadline replaces the old. Which one fires does not matter to the
 * leader — on any {@link LeaderInput.TimerFired} it runs whatever is due — the name is for the
 * adapter's bookkeeping and the log.
 */
public enum LeaderTimer {
  /** The next cold-start round, or the cold start's end. */
  COLD_START,
  /** The end of a scaling batch: quiet for a while, or at the batch's maximum window. */
  SCALING,
  /** The periodic check whose lateness tells the leader it was paused itself. */
  HEARTBEAT_CHECK,
  /** The earliest end of a restarting defender's grace. */
  RESTART_GRACE,
  /** Chambers registered or removed are placed together at the end of this window. */
  CHAMBER_BATCH,
  /** The end of an emergency's settling time. */
  EMERGENCY_SETTLE,
  /** The earliest moment a defender's silence (or suspected silence) makes it dead. */
  SILENCE
}
