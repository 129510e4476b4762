package io.chamberlain.config;

import io.chamberlain.capacity.CapacityPlanner;
import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.assign.ChamberWeights;
import io.chamberlain.assign.WeightSource;
import io.chamberlain.leader.LeaderTuning;

/** Whether a node may lead, and the leader's timing and balance tuning. */
public record LeaderSettings(boolean enabled, int minClusterMembers, String chambersFile, LeaderTuning tuning,
    AssignmentTuning balance, ChamberWeights weights, CapacityPlanner capacity, long drainBeforeScaleInMillis) {

  public static final int DEFAULT_MIN_CLUSTER_MEMBERS = 2;
  public static final double DEFAULT_TARGET_UTILISATION = 0.7;
  public static final int DEFAULT_DEFENDER_MILLIS_PER_SECOND = 1_000;
  public static final int DEFAULT_MIN_DEFENDERS = 2;
  public static final int DEFAULT_SLA_MILLIS = 5_000;
  /** The capacity plan at the defaults. */
  public static final CapacityPlanner DEFAULT_CAPACITY = new CapacityPlanner(DEFAULT_TARGET_UTILISATION,
      DEFAULT_DEFENDER_MILLIS_PER_SECOND, DEFAULT_SLA_MILLIS, DEFAULT_MIN_DEFENDERS);

  public LeaderSettings {
    if (drainBeforeScaleInMillis < 0) {
      throw new ConfigException("leader.autoscale.drainBeforeScaleInMillis must be ≥ 0 (0: off), was "
          + drainBeforeScaleInMillis);
    }
    if (minClusterMembers < 1) {
      throw new ConfigException("leader.minClusterMembers must be ≥ 1, was " + minClusterMembers);
    }
  }

  /** Balancing by the profile formula only, leading with at least two members. */
  public LeaderSettings(boolean enabled, String chambersFile, LeaderTuning tuning, AssignmentTuning balance) {
    this(enabled, DEFAULT_MIN_CLUSTER_MEMBERS, chambersFile, tuning, balance, ChamberWeights.FORMULA_ONLY, DEFAULT_CAPACITY, 0);
  }

  /** Every timing key of the leader: each must be > 0. */
  private static final java.util.List<String> TIMING_KEYS = java.util.List.of("leader.heartbeatIntervalMillis",
      "leader.missedHeartbeats", "leader.coldStart.firstRoundQuietMillis", "leader.coldStart.firstRoundMaxDelayMillis",
      "leader.coldStart.settleQuietMillis", "leader.coldStart.intermediateRoundMillis", "leader.scaling.quietMillis",
      "leader.scaling.maxWindowMillis", "leader.restartGraceMillis", "leader.chamberBatchMillis",
      "leader.emergencySettleMillis", "leader.suspectedSilenceMillis");

  /** Range checks by config key first, so an error names what the operator set, not an internal field. */
  private static void validate(ResolvedConfig c) {
    TIMING_KEYS.forEach(key -> Validation.positive(key, c.integer(key)));
    Validation.notAbove("leader.coldStart.firstRoundQuietMillis", c.integer("leader.coldStart.firstRoundQuietMillis"),
        "leader.coldStart.firstRoundMaxDelayMillis", c.integer("leader.coldStart.firstRoundMaxDelayMillis"));
    Validation.notAbove("leader.scaling.quietMillis", c.integer("leader.scaling.quietMillis"),
        "leader.scaling.maxWindowMillis", c.integer("leader.scaling.maxWindowMillis"));
    Validation.fraction("leader.epsilon", c.decimal("leader.epsilon"), true);
    Validation.fraction("leader.observedShare", c.decimal("leader.observedShare"), false);
    double utilisation = c.decimal("leader.autoscale.targetUtilisation");
    if (!(utilisation > 0 && utilisation <= 1)) {
      throw new ConfigException("leader.autoscale.targetUtilisation must be in (0, 1], was " + utilisation);
    }
    Validation.positive("leader.autoscale.defenderMillisPerSecond", c.integer("leader.autoscale.defenderMillisPerSecond"));
    Validation.atLeast("leader.autoscale.minDefenders", c.integer("leader.autoscale.minDefenders"), 0);
    Validation.positive("sla.millis", c.integer("sla.millis"));
  }

  public static LeaderSettings from(ResolvedConfig c) {
    validate(c);
    try {
      LeaderTuning tuning = new LeaderTuning(c.integer("leader.heartbeatIntervalMillis"),
          c.integer("leader.missedHeartbeats"), c.integer("leader.coldStart.firstRoundQuietMillis"),
          c.integer("leader.coldStart.firstRoundMaxDelayMillis"), c.integer("leader.coldStart.settleQuietMillis"),
          c.integer("leader.coldStart.intermediateRoundMillis"), c.integer("leader.scaling.quietMillis"),
          c.integer("leader.scaling.maxWindowMillis"), c.integer("leader.restartGraceMillis"),
          c.integer("leader.chamberBatchMillis"), c.integer("leader.emergencySettleMillis"),
          c.integer("leader.suspectedSilenceMillis"));
      String source = c.string("leader.weightSource");
      WeightSource weightSource = switch (source) {
        case "formula" -> WeightSource.FORMULA;
        case "observed" -> WeightSource.OBSERVED;
        case "blend" -> WeightSource.BLEND;
        default -> throw new ConfigException("leader.weightSource must be formula, observed or blend, was '" + source + "'");
      };
      return new LeaderSettings(c.bool("leader.enabled"), c.integer("leader.minClusterMembers"), c.string("chambers.file"), tuning,
          new AssignmentTuning(c.decimal("leader.epsilon")), new ChamberWeights(weightSource, c.decimal("leader.observedShare")),
          new CapacityPlanner(c.decimal("leader.autoscale.targetUtilisation"),
              c.integer("leader.autoscale.defenderMillisPerSecond"), c.integer("sla.millis"),
              c.integer("leader.autoscale.minDefenders")), c.integer("leader.autoscale.drainBeforeScaleInMillis"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
