package io.chamberlain.assign;

/**
 * Knobs of the {@link AssignmentEngine}.
 *
 * @param epsilon allowed relative deviation from the fair share: every defender's load is kept
 *     within {@code [(1-ε) × fair, (1+ε) × fair]} unless chamber granularity makes it impossible
 */
public record AssignmentTuning(double epsilon) {

  /** ±3 %: the balance target of DESIGN.md (6,000 chambers on 100 defenders). */
  public static final double DEFAULT_EPSILON = 0.03;
  public static final AssignmentTuning DEFAULT = new AssignmentTuning(DEFAULT_EPSILON);

  public AssignmentTuning {
    if (!(epsilon > 0) || !(epsilon < 1)) {
      throw new IllegalArgumentException("assignment epsilon must be in (0, 1), was " + epsilon);
    }
  }
}
