package io.chamberlain.leader;

import io.chamberlain.assign.DefenderSpec;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.Ids;

/** Something the leader learned, at {@link #atMillis()} (epoch millis of the leader's clock). */
public sealed interface LeaderInput {

  long atMillis();

  /** One line for the log and the leader's history: what happened, and to whom. */
  default String describe() {
    return switch (this) {
      case Started started -> "leader started";
      case DefenderJoined joined -> "defender [" + joined.defenderId() + "] joined (version " + joined.version() + ")";
      case HeartbeatReceived heartbeat -> "heartbeat of defender [" + heartbeat.defenderId() + "]";
      case RestartAnnounced restart -> "defender [" + restart.defenderId() + "] announced a restart";
      case DefenderLeft left -> "defender [" + left.defenderId() + "] left";
      case DefenderLost lost -> "defender [" + lost.defenderId() + "] lost: " + lost.cause();
      case DefenderSuspected suspected -> "defender [" + suspected.defenderId() + "] suspected: " + suspected.evidence();
      case ChamberRegistered registered -> "chamber " + registered.chamber() + " registered";
      case ChamberRemoved removed -> "chamber " + removed.chamber() + " removed";
      case RebalanceRequested requested -> "rebalance requested by " + requested.requestedBy();
      case TimerFired fired -> "timer " + fired.timer().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    };
  }

  /** The adapter started this leader (fresh or resumed): the timers it needs, and whatever is due at once. */
  record Started(long atMillis) implements LeaderInput {
  }

  /** A defender process is ready to own chambers (first start, restart, or comeback). */
  record DefenderJoined(long atMillis, String defenderId, String version, double capacity) implements LeaderInput {
    public DefenderJoined {
      new DefenderSpec(defenderId, capacity); // validates id and capacity
      if (version == null || version.isBlank()) {
        throw new IllegalArgumentException("defender [" + defenderId + "]: version is missing");
      }
    }
  }

  record HeartbeatReceived(long atMillis, String defenderId) implements LeaderInput {
    public HeartbeatReceived {
      Ids.require("defenderId", defenderId);
    }
  }

  /** The defender is about to restart (SIGTERM in a rolling update) and will rejoin with the same id. */
  record RestartAnnounced(long atMillis, String defenderId) implements LeaderInput {
    public RestartAnnounced {
      Ids.require("defenderId", defenderId);
    }
  }

  /** The defender leaves for good (scale down); it keeps processing until its chambers are reassigned. */
  record DefenderLeft(long atMillis, String defenderId) implements LeaderInput {
    public DefenderLeft {
      Ids.require("defenderId", defenderId);
    }
  }

  /** The cluster dropped the defender (e.g. Hazelcast "member removed"): a crash, without waiting for heartbeats. */
  record DefenderLost(long atMillis, String defenderId, String cause) implements LeaderInput {
    public DefenderLost {
      Ids.require("defenderId", defenderId);
    }
  }

  /**
   * A gateway suspects the defender is not running: a request to it has been outstanding far longer
   * than a tolerated pause and the chamber's own processing time explain, while its heartbeat is
   * late at the gateway too. Evidence, not a verdict: the leader declares the defender dead only if
   * its own clock agrees ({@link LeaderTuning#suspectedSilenceMillis()} of silence).
   */
  record DefenderSuspected(long atMillis, String defenderId, String evidence) implements LeaderInput {
    public DefenderSuspected {
      Ids.require("defenderId", defenderId);
      if (evidence == null || evidence.isBlank()) {
        throw new IllegalArgumentException("suspicion of defender [" + defenderId + "] carries no evidence");
      }
    }
  }

  record ChamberRegistered(long atMillis, ChamberKey chamber, double weight) implements LeaderInput {
    public ChamberRegistered {
      if (chamber == null) {
        throw new IllegalArgumentException("chamber registration has no chamber");
      }
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException("chamber " + chamber + ": weight must be ≥ 0 and finite, was " + weight);
      }
    }
  }

  record ChamberRemoved(long atMillis, ChamberKey chamber) implements LeaderInput {
    public ChamberRemoved {
      if (chamber == null) {
        throw new IllegalArgumentException("chamber removal has no chamber");
      }
    }
  }

  /**
   * An operator asked for a full rebalance now (after changing chamber weights, say) instead of at
   * the next topology change. Ignored during a cold start, whose rounds balance anyway.
   */
  record RebalanceRequested(long atMillis, String requestedBy) implements LeaderInput {
  }

  /** A timer the leader asked for ({@link LeaderDecision.SetTimer}) fired. Early or stale firings are harmless. */
  record TimerFired(long atMillis, LeaderTimer timer) implements LeaderInput {
    public TimerFired {
      if (timer == null) {
        throw new IllegalArgumentException("a fired timer needs its name");
      }
    }
  }
}
