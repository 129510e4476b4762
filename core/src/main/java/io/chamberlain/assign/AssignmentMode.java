package io.chamberlain.assign;

/** How much the engine may change. */
public enum AssignmentMode {
  /** Keep, shed overload, place orphans, fill underloaded defenders: the full balance bound. */
  REBALANCE,
  /**
   * Only give the chambers without a live owner (dead owner, new chamber) to live defenders,
   * heaviest first onto the least loaded; no owned chamber moves. Used after a crash.
   */
  PLACE_ORPHANS_ONLY
}
