package io.chamberlain.defense;

/**
 * Tuning of the built-in defense process.
 *
 * @param warmupContexts     contexts learned before a chamber judges anything (≥ 2)
 * @param ewmaLambda         weight of a new in-control value in the limits, in (0, 1]
 * @param familyFalseAlarm   wanted false-alarm probability per clean context for the whole chamber;
 *                           0 selects the classic Western Electric parameters (3σ, 8, 6)
 * @param processedIdCapacity context ids remembered for idempotence
 * @param maxListedViolations violations listed in a verdict (all are counted)
 * @param perStepWindows     also judge every recipe step's indicators (traces with a step table);
 *                           multiplies the charts, and the persisted state, by 1 + steps
 */
public record DefenseSettings(int warmupContexts, double ewmaLambda, double familyFalseAlarm,
                              int processedIdCapacity, int maxListedViolations, boolean perStepWindows) {

  public static final DefenseSettings DEFAULTS = new DefenseSettings(20, 0.05, 0.01, 1024, 50, false);

  /** Whole-context windows only. */
  public DefenseSettings(int warmupContexts, double ewmaLambda, double familyFalseAlarm,
                         int processedIdCapacity, int maxListedViolations) {
    this(warmupContexts, ewmaLambda, familyFalseAlarm, processedIdCapacity, maxListedViolations, false);
  }

  public DefenseSettings {
    if (warmupContexts < 2) {
      throw new IllegalArgumentException("warmupContexts must be ≥ 2, was " + warmupContexts);
    }
    if (!(ewmaLambda > 0 && ewmaLambda <= 1)) {
      throw new IllegalArgumentException("ewmaLambda must be in (0, 1], was " + ewmaLambda);
    }
    if (!(familyFalseAlarm >= 0 && familyFalseAlarm < 1)) {
      throw new IllegalArgumentException("familyFalseAlarm must be in [0, 1) (0 = classic rules), was " + familyFalseAlarm);
    }
    if (processedIdCapacity < 1 || maxListedViolations < 1) {
      throw new IllegalArgumentException("processedIdCapacity and maxListedViolations must be ≥ 1, were "
          + processedIdCapacity + ", " + maxListedViolations);
    }
  }

  public DefenseSettings withFamilyFalseAlarm(double value) {
    return new DefenseSettings(warmupContexts, ewmaLambda, value, processedIdCapacity, maxListedViolations, perStepWindows);
  }

  public DefenseSettings withPerStepWindows(boolean value) {
    return new DefenseSettings(warmupContexts, ewmaLambda, familyFalseAlarm, processedIdCapacity, maxListedViolations, value);
  }

  /**
   * The rules for a chamber with {@code seriesCount} charts whose limits have seen
   * {@code contextsSeen} contexts; calibrated rules tighten as the limits rest on more data.
   */
  public RuleParameters ruleParameters(int seriesCount, long contextsSeen) {
    return familyFalseAlarm == 0 ? RuleParameters.CLASSIC
        : RuleParameters.calibrated(seriesCount, familyFalseAlarm, effectiveSamples(contextsSeen));
  }

  /**
   * How many contexts the limits effectively rest on: those seen so far (at least the warm-up),
   * capped by the EWMA's memory {@code (2 − λ)/λ} — the sample size whose mean has the same
   * variance as the EWMA.
   */
  public double effectiveSamples(long contextsSeen) {
    return Math.max(2, Math.min(Math.max(warmupContexts, contextsSeen), (2 - ewmaLambda) / ewmaLambda));
  }
}
