package io.chamberlain.config;

import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.leader.LeaderTuning;

/** Whether a node may lead, and the leader's timing and balance tuning. */
public record LeaderSettings(boolean enabled, String chambersFile, LeaderTuning tuning, AssignmentTuning balance) {

  public static LeaderSettings from(ResolvedConfig c) {
    LeaderTuning d = LeaderTuning.DEFAULT;
    try {
      LeaderTuning tuning = new LeaderTuning(c.integer("leader.heartbeatIntervalMillis"),
          c.integer("leader.missedHeartbeats"), d.firstRoundQuietMillis(), d.firstRoundMaxDelayMillis(),
          d.settleQuietMillis(), d.intermediateRoundMillis(), d.scalingQuietMillis(), d.scalingMaxWindowMillis(),
          c.integer("leader.restartGraceMillis"), d.chamberBatchMillis(), d.emergencySettleMillis());
      return new LeaderSettings(c.bool("leader.enabled"), c.string("chambers.file"), tuning,
          new AssignmentTuning(c.decimal("leader.epsilon")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
