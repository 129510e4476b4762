package io.chamberlain.leader;

import java.util.EnumSet;
import java.util.Set;

/**
 * What the leader is doing. A leader instance starts in {@link #COLD_START} (nothing assigned
 * yet) or in {@link #STABLE} (resumed from a persisted assignment) and never returns to cold start.
 */
public enum LeaderState {
  /** Defenders are joining and nothing is settled: publish early, then batch to ≤ 3 rounds. */
  COLD_START,
  /** Nothing to do. */
  STABLE,
  /** Joins and leaves are batched over a short window, then one incremental rebalance. */
  SCALING,
  /** At least one defender is restarting; its chambers are held for the grace period. */
  ROLLING_UPDATE,
  /** A defender died; only its chambers were redistributed, immediately. */
  EMERGENCY;

  private Set<LeaderState> successors() {
    return switch (this) {
      // Joins, leaves and crashes during a cold start are part of its rounds, so it ends either
      // settled or with a restart still held.
      case COLD_START -> EnumSet.of(STABLE, ROLLING_UPDATE);
      case STABLE -> EnumSet.of(SCALING, ROLLING_UPDATE, EMERGENCY);
      case SCALING -> EnumSet.of(STABLE, ROLLING_UPDATE, EMERGENCY);
      case ROLLING_UPDATE -> EnumSet.of(STABLE, SCALING, EMERGENCY);
      case EMERGENCY -> EnumSet.of(STABLE, SCALING, ROLLING_UPDATE);
    };
  }

  public boolean canMoveTo(LeaderState next) {
    return successors().contains(next);
  }

  /**
   * @return {@code next}, if this → next is a legal transition
   * @throws IllegalStateException naming both states otherwise
   */
  public LeaderState moveTo(LeaderState next) {
    if (!canMoveTo(next)) {
      throw new IllegalStateException("leader: illegal transition " + this + " → " + next);
    }
    return next;
  }
}
