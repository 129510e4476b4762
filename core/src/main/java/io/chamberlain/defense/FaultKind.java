package io.chamberlain.defense;

/** What the simulator injected into a context; {@link #NONE} for a clean context. */
public enum FaultKind {
  NONE,
  /** A linear ramp away from the recipe, growing until the end of the context. */
  DRIFT,
  /** A few consecutive samples far off the recipe level. */
  SPIKE,
  /** A step change that persists from a point in the context to its end. */
  LEVEL_SHIFT
}
