package io.chamberlain.leader;

/**
 * Every window and timeout of the {@link Leader}, in milliseconds. Defaults are chosen against
 * the targets in DESIGN.md; each comment says which.
 *
 * @param heartbeatIntervalMillis how often defenders heartbeat and the leader checks them
 * @param missedHeartbeatsBeforeDead silence of this many intervals declares a defender dead
 *     (500 ms × 5 = dead after 2.5 s: above a 1.5 s stop-the-world pause plus one interval, so such a
 *     pause moves nothing, and with reassignment within "host loss ≤ 3 s")
 * @param firstRoundQuietMillis cold start: the first assignment waits for this much quiet after
 *     a join, so the first few simultaneous joins share it
 * @param firstRoundMaxDelayMillis cold start: … but never longer than this after the first join
 *     ("all chambers owned ≤ 1 s after the first defender is ready")
 * @param settleQuietMillis cold start: the final round waits for this much quiet; above the join
 *     interval of a one-per-second rollout, below "balanced ≤ 3 s after the last join"
 * @param intermediateRoundMillis cold start: if joins keep coming, one intermediate round this
 *     long after the first, so early defenders are not overloaded for the whole rollout (≤ 3 rounds)
 * @param scalingQuietMillis scaling: batch joins/leaves until this much quiet …
 * @param scalingMaxWindowMillis … but no longer than this after the first ("balanced ≤ 5 s")
 * @param restartGraceMillis rolling update: how long a restarting defender's chambers are held (its home kept,
 *     its chambers leased meanwhile): 60 s, above the 13–24 s a restart (JVM start, cluster join) took
 *     on a loaded 2-core machine; with leases a long grace costs nothing while it lasts
 * @param chamberBatchMillis registered/removed chambers are batched this long before being placed
 * @param emergencySettleMillis how long the leader reports EMERGENCY after a crash was handled
 * @param suspectedSilenceMillis a defender a gateway suspects (a request to it outstanding far
 *     longer than a 1.5 s pause and its own processing time explain, while its heartbeat is late) is
 *     declared dead once silent this long, sooner than {@link #deadAfterMillis()}; ≤ that
 */
public record LeaderTuning(
    long heartbeatIntervalMillis,
    int missedHeartbeatsBeforeDead,
    long firstRoundQuietMillis,
    long firstRoundMaxDelayMillis,
    long settleQuietMillis,
    long intermediateRoundMillis,
    long scalingQuietMillis,
    long scalingMaxWindowMillis,
    long restartGraceMillis,
    long chamberBatchMillis,
    long emergencySettleMillis,
    long suspectedSilenceMillis) {

  public static final long DEFAULT_HEARTBEAT_INTERVAL_MILLIS = 500;
  public static final int DEFAULT_MISSED_HEARTBEATS_BEFORE_DEAD = 5;
  public static final long DEFAULT_FIRST_ROUND_QUIET_MILLIS = 300;
  public static final long DEFAULT_FIRST_ROUND_MAX_DELAY_MILLIS = 800;
  public static final long DEFAULT_SETTLE_QUIET_MILLIS = 2_000;
  public static final long DEFAULT_INTERMEDIATE_ROUND_MILLIS = 10_000;
  public static final long DEFAULT_SCALING_QUIET_MILLIS = 500;
  public static final long DEFAULT_SCALING_MAX_WINDOW_MILLIS = 2_000;
  public static final long DEFAULT_RESTART_GRACE_MILLIS = 60_000;
  public static final long DEFAULT_CHAMBER_BATCH_MILLIS = 50;
  public static final long DEFAULT_EMERGENCY_SETTLE_MILLIS = 1_000;
  public static final long DEFAULT_SUSPECTED_SILENCE_MILLIS = 1_700;

  public static final LeaderTuning DEFAULT = new LeaderTuning(DEFAULT_HEARTBEAT_INTERVAL_MILLIS,
      DEFAULT_MISSED_HEARTBEATS_BEFORE_DEAD, DEFAULT_FIRST_ROUND_QUIET_MILLIS, DEFAULT_FIRST_ROUND_MAX_DELAY_MILLIS,
      DEFAULT_SETTLE_QUIET_MILLIS, DEFAULT_INTERMEDIATE_ROUND_MILLIS, DEFAULT_SCALING_QUIET_MILLIS,
      DEFAULT_SCALING_MAX_WINDOW_MILLIS, DEFAULT_RESTART_GRACE_MILLIS, DEFAULT_CHAMBER_BATCH_MILLIS,
      DEFAULT_EMERGENCY_SETTLE_MILLIS, DEFAULT_SUSPECTED_SILENCE_MILLIS);

  public LeaderTuning {
    positive("heartbeatIntervalMillis", heartbeatIntervalMillis);
    positive("missedHeartbeatsBeforeDead", missedHeartbeatsBeforeDead);
    positive("firstRoundQuietMillis", firstRoundQuietMillis);
    positive("firstRoundMaxDelayMillis", firstRoundMaxDelayMillis);
    positive("settleQuietMillis", settleQuietMillis);
    positive("intermediateRoundMillis", intermediateRoundMillis);
    positive("scalingQuietMillis", scalingQuietMillis);
    positive("scalingMaxWindowMillis", scalingMaxWindowMillis);
    positive("restartGraceMillis", restartGraceMillis);
    positive("chamberBatchMillis", chamberBatchMillis);
    positive("emergencySettleMillis", emergencySettleMillis);
    positive("suspectedSilenceMillis", suspectedSilenceMillis);
    if (firstRoundQuietMillis > firstRoundMaxDelayMillis) {
      throw new IllegalArgumentException("leader tuning: firstRoundQuietMillis (" + firstRoundQuietMillis
          + ") must not exceed firstRoundMaxDelayMillis (" + firstRoundMaxDelayMillis + ")");
    }
    if (scalingQuietMillis > scalingMaxWindowMillis) {
      throw new IllegalArgumentException("leader tuning: scalingQuietMillis (" + scalingQuietMillis
          + ") must not exceed scalingMaxWindowMillis (" + scalingMaxWindowMillis + ")");
    }
    if (suspectedSilenceMillis > heartbeatIntervalMillis * missedHeartbeatsBeforeDead) {
      throw new IllegalArgumentException("leader tuning: suspectedSilenceMillis (" + suspectedSilenceMillis
          + ") must not exceed the silence that declares a defender dead anyway ("
          + heartbeatIntervalMillis * missedHeartbeatsBeforeDead + ")");
    }
  }

  /** Silence after which a defender is declared dead. */
  public long deadAfterMillis() {
    return heartbeatIntervalMillis * missedHeartbeatsBeforeDead;
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("leader tuning: " + name + " must be > 0, was " + value);
    }
  }
}
