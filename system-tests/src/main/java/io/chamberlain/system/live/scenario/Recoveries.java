package io.chamberlain.system.live.scenario;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.ClusterTimeline;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How long the chambers of a defender that went away (killed, frozen) took to be served again: the
 * leader's view shows them reassigned (the recovery), and each chamber's first event after the
 * loss is judged elsewhere — its wait is that verdict minus the later of the loss and the event's
 * send (a chamber's next event may come seconds after the loss; waiting for it is not recovery).
 */
final class Recoveries {

  private Recoveries() {
  }

  /** Per chamber, the recovery in ms; -1 for a chamber never processed by anyone else. */
  static Map<ChamberKey, Long> of(AuditReport report, Set<ChamberKey> chambers, String lost, long lostAt) {
    Map<ChamberKey, Long> recovery = new TreeMap<>();
    for (ChamberKey chamber : chambers) {
      recovery.put(chamber, report.firstVerdictAfter(chamber, lostAt, lost)
          .map(v -> v.publishedAt() - Math.max(lostAt, v.completedAt())).orElse(-1L));
    }
    return recovery;
  }

  /**
   * When the leader's view (through the gateway) first showed {@code lost} out of the assignment
   * with every chamber owned: from then on its chambers are routed to survivors. Sampled every
   * {@link ClusterTimeline#INTERVAL_MILLIS}; -1 if it never did.
   */
  static long reassignedAfter(ClusterTimeline timeline, String lost, long lostAt) {
    return timeline.first(lostAt, view -> !view.chambersByDefender().containsKey(lost) && view.unownedChambers() == 0
        && !view.chambersByDefender().isEmpty()).map(sample -> sample.at() - lostAt).orElse(-1L);
  }

  /**
   * Records the recovery numbers (loss → chambers reassigned, from the timeline; the worst first-event
   * wait), the invariant that every chamber of the lost defender was processed again by another, and
   * the target that its chambers were served again within {@code boundMillis}.
   */
  static void record(ScenarioResult result, long reassignedAfter, Map<ChamberKey, Long> eventWaits, long boundMillis,
      String boundReason) {
    boolean all = !eventWaits.isEmpty() && eventWaits.values().stream().allMatch(ms -> ms >= 0);
    long worst = eventWaits.values().stream().mapToLong(Long::longValue).max().orElse(-1);
    result.recovery("reassigned", reassignedAfter + " ms after the loss");
    result.recovery("worst first-event wait", worst + " ms (" + eventWaits.size() + " chambers)");
    result.detail("first event of each chamber after the loss: wait (ms)", eventWaits);
    result.invariant("every chamber of the lost defender was processed again by another", all, "waits " + eventWaits);
    result.target("its chambers served again within " + boundMillis + " ms (" + boundReason + ")",
        reassignedAfter >= 0 && worst >= 0 && worst <= boundMillis,
        "reassigned after " + reassignedAfter + " ms, worst first-event wait " + worst + " ms");
  }

  /** Invariant: the homes that changed are exactly {@code owned}, the lost defender's. */
  static void checkOnlyTheirsMoved(ScenarioResult result, Set<ChamberKey> moved, String lost, Set<ChamberKey> owned) {
    result.invariant("exactly the lost defender's chambers changed home", !owned.isEmpty() && moved.equals(owned),
        lost + " owned " + owned.size() + " " + owned + ", moved " + moved.size() + " " + moved);
  }
}
