package io.chamberlain.config;

import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.assign.ChamberWeights;
import io.chamberlain.assign.WeightSource;
import io.chamberlain.leader.LeaderTuning;

/** Whether a node may lead, and the leader's timing and balance tuning. */
public record LeaderSettings(boolean enabled, int minClusterMembers, String chambersFile, LeaderTuning tuning,
    AssignmentTuning balance, ChamberWeights weights) {

  public static final int DEFAULT_MIN_CLUSTER_MEMBERS = 2;

  public LeaderSettings {
    if (minClusterMembers < 1) {
      throw new ConfigException("leader.minClusterMembers must be ≥ 1, was " + minClusterMembers);
    }
  }

  /** Balancing by the profile formula only, leading with at least two members. */
  public LeaderSettings(boolean enabled, String chambersFile, LeaderTuning tuning, AssignmentTuning balance) {
    this(enabled, DEFAULT_MIN_CLUSTER_MEMBERS, chambersFile, tuning, balance, ChamberWeights.FORMULA_ONLY);
  }

  public static LeaderSettings from(ResolvedConfig c) {
    LeaderTuning d = LeaderTuning.DEFAULT;
    try {
      LeaderTuning tuning = new LeaderTuning(c.integer("leader.heartbeatIntervalMillis"),
          c.integer("leader.missedHeartbeats"), d.firstRoundQuietMillis(), d.firstRoundMaxDelayMillis(),
          d.settleQuietMillis(), d.intermediateRoundMillis(), d.scalingQuietMillis(), d.scalingMaxWindowMillis(),
          c.integer("leader.restartGraceMillis"), d.chamberBatchMillis(), d.emergencySettleMillis());
      String source = c.string("leader.weightSource");
      WeightSource weightSource = switch (source) {
        case "formula" -> WeightSource.FORMULA;
        case "observed" -> WeightSource.OBSERVED;
        case "blend" -> WeightSource.BLEND;
        default -> throw new ConfigException("leader.weightSource must be formula, observed or blend, was '" + source + "'");
      };
      return new LeaderSettings(c.bool("leader.enabled"), c.integer("leader.minClusterMembers"), c.string("chambers.file"), tuning,
          new AssignmentTuning(c.decimal("leader.epsilon")), new ChamberWeights(weightSource, c.decimal("leader.observedShare")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
