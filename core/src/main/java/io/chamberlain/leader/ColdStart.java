package io.chamberlain.leader;

/**
 * Cold-start round planning: round 1 shortly after the first join (so chambers are owned at
 * once), at most one intermediate round while joins keep coming, and a final round once joins
 * have been quiet for the settle period. Bounded to three published rounds.
 */
final class ColdStart {

  enum Step { NOTHING, ROUND, FINAL }

  private static final long NONE = Long.MAX_VALUE;

  private final LeaderTuning tuning;
  private long firstChangeAt = NONE;
  private long lastChangeAt = NONE;
  private long firstRoundAt = NONE;
  private int rounds;
  private boolean changedSinceRound;
  private boolean finished;

  ColdStart(LeaderTuning tuning) {
    this.tuning = tuning;
  }

  void topologyChanged(long now) {
    if (firstChangeAt == NONE) {
      firstChangeAt = now;
    }
    lastChangeAt = now;
    changedSinceRound = true;
  }

  long deadline() {
    if (finished || firstChangeAt == NONE) {
      return NONE;
    }
    if (rounds == 0) {
      return Math.min(lastChangeAt + tuning.firstRoundQuietMillis(),
          firstChangeAt + tuning.firstRoundMaxDelayMillis());
    }
    long settle = lastChangeAt + tuning.settleQuietMillis();
    return rounds == 1 && changedSinceRound ? Math.min(settle, firstRoundAt + tuning.intermediateRoundMillis()) : settle;
  }

  Step due(long now) {
    if (now < deadline()) {
      return Step.NOTHING;
    }
    if (rounds == 0) {
      return Step.ROUND;
    }
    return now >= lastChangeAt + tuning.settleQuietMillis() ? Step.FINAL : Step.ROUND;
  }

  /** Records a round attempt; a round that could not publish (no defender left) starts over. */
  void published(long now, boolean published) {
    if (!published && rounds == 0) {
      firstChangeAt = NONE;
      lastChangeAt = NONE;
      return;
    }
    if (rounds == 0) {
      firstRoundAt = now;
    }
    rounds++;
    changedSinceRound = false;
  }

  void finish() {
    finished = true;
  }

  boolean finished() {
    return finished;
  }

  boolean hasPublished() {
    return rounds > 0;
  }

  int rounds() {
    return rounds;
  }

  boolean changedSinceRound() {
    return changedSinceRound;
  }
}
