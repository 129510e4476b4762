package io.chamberlain.defense;

/**
 * One rule broken by one indicator of one SVID. Limits are {@code centre ± k·σ}; an external
 * defense process that does not work with limits leaves them and {@code z} as NaN.
 *
 * @param rule      rule id, e.g. {@code WE1_BEYOND_LIMIT} ({@link Rule#id()}) or a plug-in's own
 * @param severity  WARN or ALARM
 * @param indicator indicator id, e.g. {@code mean} ({@link Indicator#id()})
 * @param step      0 for the whole context, {@code k ≥ 1} for recipe step k's window
 */
public record Violation(String rule, Verdict.Status severity, int svid, String indicator, int step,
                        double value, double centre, double lower, double upper, double z) {

  public Violation {
    if (rule == null || rule.isBlank() || indicator == null || indicator.isBlank()) {
      throw new IllegalArgumentException("violation needs a rule and an indicator, got " + rule + " / " + indicator);
    }
    if (severity == null || severity == Verdict.Status.OK) {
      throw new IllegalArgumentException("violation " + rule + " must be WARN or ALARM, was " + severity);
    }
    if (svid < 0 || step < 0) {
      throw new IllegalArgumentException("violation " + rule + ": svid and step must be ≥ 0, were " + svid + ", " + step);
    }
  }
}
