package io.chamberlain.defense;

/**
 * The Western Electric / Nelson run rules, over standardized indicator values {@code z}. Zones
 * are thirds of the control band {@code ±k}: with the classic {@code k = 3} they are the familiar
 * 1σ, 2σ and 3σ lines (see {@link RuleParameters} for why k may be wider).
 *
 * <p>Severity policy: a point beyond the control limit is an {@link Verdict.Status#ALARM}; the
 * pattern rules are early warnings ({@link Verdict.Status#WARN}) — they say the process is
 * moving, not that this wafer is bad.
 */
public enum Rule {
  /** WE 1 / Nelson 1: the newest point is beyond ±k. */
  BEYOND_LIMIT("WE1_BEYOND_LIMIT", Verdict.Status.ALARM),
  /** WE 2 / Nelson 5: 2 of the last 3 points beyond 2k/3, on the same side. */
  TWO_OF_THREE_BEYOND_TWO_THIRDS("WE2_2_OF_3_BEYOND_2_THIRDS", Verdict.Status.WARN),
  /** WE 3 / Nelson 6: 4 of the last 5 points beyond k/3, on the same side. */
  FOUR_OF_FIVE_BEYOND_ONE_THIRD("WE3_4_OF_5_BEYOND_1_THIRD", Verdict.Status.WARN),
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
