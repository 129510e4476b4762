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
  record SetTimer(LeaderTimer timer, long atMillis) implements LeaderDecision {
  }

  /** The leader's state moved; {@code cause} is the input it handled when it did (its {@code describe()} for people). */
  record StateChanged(LeaderState from, LeaderState to, LeaderInput cause) implements LeaderDecision {
  }

  /** A defender was declared dead; {@code detail} says what the leader saw (how long silent, the cluster's cause). */
  record DefenderDeclaredDead(String defenderId, DeathCause cause, String detail) implements LeaderDecision {

    /** Why a defender is declared dead: a value for metrics and tests, not a parsed message. */
    public enum DeathCause {
      /** Silent for the dead-after time (or the shorter suspected-silence time once a gateway suspects it). */
      MISSED_HEARTBEATS,
      /** The cluster dropped it (Hazelcast "member removed"): a crash, without waiting for heartbeats. */
      LOST_BY_CLUSTER,
      /** Announced a restart and was not back within the restart grace. */
      RESTART_GRACE_EXPIRED
    }

    /** For people: the cause and the detail. */
    public String reason() {
      return detail;
    }
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
