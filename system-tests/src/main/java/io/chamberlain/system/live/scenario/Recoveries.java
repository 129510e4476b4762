package io.chamberlain.system.live.scenario;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.ClusterTimeline;
import io.chamberlain.system.live.Verdict;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How long the chambers of a defender that went away (killed, frozen) took to be served again: the
 * leader's view shows them reassigned (the recovery), and each chamber's first event after the
 * loss is judged elsewhere — its wait is that verdict minus the later of the loss and the event's
 * completion (an event per chamber arrives only every 1.5 s; waiting for it is not recovery).
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
   * Records the recovery column (loss → chambers reassigned, from the timeline), the per-chamber
   * event waits, and checks every chamber was processed again and reassignment came within
   * {@code boundMillis}.
   */
  static void record(ScenarioResult result, long reassignedAfter, Map<ChamberKey, Long> eventWaits, long boundMillis,
      String boundReason) {
    boolean all = !eventWaits.isEmpty() && eventWaits.values().stream().allMatch(ms -> ms >= 0);
    result.measure(ScenarioResult.Column.RECOVERY, reassignedAfter, "(loss → " + eventWaits.size()
        + " chambers reassigned; worst first-event wait " + eventWaits.values().stream().mapToLong(Long::longValue)
        .max().orElse(-1) + ")");
    result.detail("first event of each chamber after the loss: wait (ms)", eventWaits);
    result.check("every chamber of the lost defender was processed again by another", all, "waits " + eventWaits);
    result.check("reassigned within " + boundMillis + " ms (" + boundReason + ")",
        reassignedAfter >= 0 && reassignedAfter <= boundMillis, "reassigned after " + reassignedAfter + " ms");
  }

  /** Records the chambers moved since {@code lostAt} and checks they are exactly {@code owned}, the lost defender's. */
  static void checkOnlyTheirsMoved(ScenarioResult result, AuditReport report, String lost, Set<ChamberKey> owned,
      long lostAt) {
    Set<ChamberKey> moved = new java.util.TreeSet<>();
    report.handovers(lostAt, Long.MAX_VALUE).forEach(handover -> moved.add(handover.chamber()));
    result.measure(ScenarioResult.Column.MOVED, moved.size(), "(" + lost + " owned " + owned.size() + ")");
    result.check("exactly the lost defender's chambers moved", !owned.isEmpty() && moved.equals(owned),
        lost + " owned " + owned + ", moved " + moved);
  }

  /**
   * Every chamber of {@code assignment} has its latest verdict from its assigned owner: the cluster
   * is serving the assignment, so a handover seen after this point is caused by what comes next.
   */
  static boolean servingAssignment(java.util.List<Verdict> verdicts, Map<ChamberKey, String> assignment) {
    Map<ChamberKey, String> lastBy = new TreeMap<>();
    verdicts.forEach(verdict -> lastBy.put(verdict.chamber(), verdict.defender()));
    return !assignment.isEmpty() && lastBy.equals(assignment);
  }
}
