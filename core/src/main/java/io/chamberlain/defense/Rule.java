package io.chamberlain.defense;

/**
 * The Western Electric / Nelson run rules, over standardized indicator values {@code z}. The
 * classic lines are 3σ, 2σ and 1σ, runs of 8 and trends of 6; {@link RuleParameters} explains
 * why a chamber with many charts uses wider ones.
 *
 * <p>Severity policy: a point beyond the control limit is an {@link Verdict.Status#ALARM}; the
 * pattern rules are early warnings ({@link Verdict.Status#WARN}) — they say the process is
 * moving, not that this wafer is bad.
 */
public enum Rule {
  /** WE 1 / Nelson 1: the newest point is beyond the control limit ±k (classic 3σ). */
  BEYOND_LIMIT("WE1_BEYOND_LIMIT", Verdict.Status.ALARM),
  /** WE 2 / Nelson 5: 2 of the last 3 points beyond the 2σ line (classic), on the same side. */
  TWO_OF_THREE_BEYOND_2_SIGMA("WE2_2_OF_3_BEYOND_2_SIGMA", Verdict.Status.WARN),
  /** WE 3 / Nelson 6: 4 of the last 5 points beyond the 1σ line (classic), on the same side. */
  FOUR_OF_FIVE_BEYOND_1_SIGMA("WE3_4_OF_5_BEYOND_1_SIGMA", Verdict.Status.WARN),
  /** WE 4 / Nelson 2: the last {@code runLength} (classic 8) points on one side of the centre. */
  RUN_ON_ONE_SIDE("WE4_RUN_ON_ONE_SIDE", Verdict.Status.WARN),
  /** Nelson 3: the last {@code trendLength} (classic 6) points steadily rising or falling. */
  TREND("NELSON3_TREND", Verdict.Status.WARN);

  private final String id;
  private final Verdict.Status severity;

  Rule(String id, Verdict.Status severity) {
    this.id = id;
    this.severity = severity;
  }

  /** The wire name, as in a verdict's violation. */
  public String id() {
    return id;
  }

  public Verdict.Status severity() {
    return severity;
  }
}
