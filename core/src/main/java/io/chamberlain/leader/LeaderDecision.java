package io.chamberlain.leader;

import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentSummary;
import io.chamberlain.assign.LeaseChanges;

/** What the adapter must carry out, in order. */
public sealed interface LeaderDecision {

  /**
   * Persist (compare-and-set on the epoch) and broadcast this assignment. {@code summary} tells
   * what moved (homes), {@code leases} what was lent out or handed back (restarts) — kept apart.
   */
  record PublishAssignment(Assignment assignment, String reason, AssignmentSummary summary, LeaseChanges leases)
      implements LeaderDecision {
  }

  /** Deliver {@link LeaderInput.TimerFired} with this name at {@code atMillis}; replaces a pending timer of the same name. */
  record SetTimer(String name, long atMillis) implements LeaderDecision {
  }

  record StateChanged(LeaderState from, LeaderState to, String reason) implements LeaderDecision {
  }

  /** A defender was declared dead (missed heartbeats, cluster loss, restart grace expired). */
  record DefenderDeclaredDead(String defenderId, String reason) implements LeaderDecision {
  }

  /**
   * The leader itself did not run for {@code pausedMillis} (GC pause, frozen VM): its heartbeat
   * check came that late. The defenders' silence over that time was its own, not theirs, so their
   * silence clocks restarted instead of declaring them all dead.
   */
  record LeaderPaused(long pausedMillis) implements LeaderDecision {
  }

  /** The input changed nothing; the reason is for the log (stale heartbeat, unknown defender…). */
  record InputIgnored(LeaderInput input, String reason) implements LeaderDecision {
  }
}
